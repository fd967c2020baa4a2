// What the preview uses, named narrowly: of the CareBot it serves, and of a patient's sandbox.
import type { ConversationRouter } from "../../conversations/router.ts";
import type { Database } from "../../db/client.ts";
import type { ServedClinic } from "../../domain/clinic/served-clinic.ts";
import type { FlowService } from "../../flows/service.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../util/clock.ts";

/** The service's pieces the preview draws on (the wiring's CareBot object has them all). */
interface ServedPieces {
  db: Database;
  clock: Clock;
  logger: Logger;
  clinic: ServedClinic;
  flows: FlowService;
}

/** The CareBot whose clinic is previewed: its data and flows are copied into sandboxes, never written. */
export type PreviewHost = Pick<ServedPieces, "db" | "clock" | "logger" | "clinic" | "flows"> & { router: Pick<ConversationRouter, "clinicCatalog"> };

/** A previewed patient's sandbox: the same flows and router over a throwaway copy of the clinic's data. */
export type PreviewSandbox = Pick<ServedPieces, "db" | "clock" | "clinic"> & { router: ConversationRouter };
