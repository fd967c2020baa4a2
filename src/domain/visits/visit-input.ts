import type { VisitStatus } from "../../db/client.ts";
import type { RecommendedFollowUp } from "./follow-ups.ts";

/** A visit as the clinic's MIS reports it (the API, an import). */
export interface VisitInput {
  externalId: string;
  patientExternalId: string;
  doctor: string;
  service: string;
  serviceCategory: string | null;
  isProcedure: boolean;
  /** Minor units (kopecks). */
  amount: number;
  status: VisitStatus;
  startsAt: Date;
  /** When the visit ended, if the MIS says. */
  endsAt?: Date | null;
  /** When the MIS marked the visit completed, if it says. */
  completedAt?: Date | null;
  /** The MIS's time of this state: a posting older than the one recorded changes nothing. */
  updatedAt?: Date | null;
  followUp?: RecommendedFollowUp;
}
