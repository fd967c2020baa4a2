// What a posting changes on a visit already recorded (or a new one): the columns it writes, and
// whether it completes the visit or moves a completed visit to another time. Pure, so a batch
// can tell a replay from a change without writing anything.
import type { VisitStatus } from "../../db/client.ts";
import type { VisitInput } from "./visit-input.ts";
import { visitEnd } from "./visit-time.ts";

export interface RecordedVisit {
  doctor: string;
  service: string;
  serviceCategory: string | null;
  isProcedure: boolean;
  amount: number;
  status: VisitStatus;
  startsAt: Date;
  endsAt: Date | null;
  completedAt: Date | null;
  misUpdatedAt: Date | null;
}

export interface VisitChanges {
  fields: Omit<RecordedVisit, "completedAt">;
  /** The visit's own end (visit-time.ts). */
  ended: Date;
  /** This posting completes the visit: points, the patient's last visit, its conversations. */
  completing: boolean;
  /** A completed visit posted again with other times: everything it started follows the new time. */
  retimed: boolean;
  completedAt: Date | null;
  /** False for a replay: nothing to write. */
  differs: boolean;
}

export function visitChanges(before: RecordedVisit | null, input: VisitInput, now: Date): VisitChanges {
  const fields = {
    doctor: input.doctor,
    service: input.service,
    serviceCategory: input.serviceCategory,
    isProcedure: input.isProcedure,
    amount: input.amount,
    status: input.status,
    startsAt: input.startsAt,
    endsAt: input.endsAt ?? null,
    misUpdatedAt: input.updatedAt ?? before?.misUpdatedAt ?? null,
  };
  const ended = visitEnd(input, now);
  const completing = input.status === "completed" && (before?.completedAt ?? null) === null;
  const timesMoved =
    before !== null &&
    before.completedAt !== null &&
    (before.startsAt.getTime() !== input.startsAt.getTime() ||
      (before.endsAt?.getTime() ?? null) !== (input.endsAt?.getTime() ?? null) ||
      (input.completedAt != null && input.completedAt.getTime() !== before.completedAt.getTime()));
  const retimed = !completing && input.status === "completed" && timesMoved && ended.getTime() !== before!.completedAt!.getTime();
  const completedAt = completing || retimed ? ended : (before?.completedAt ?? null);
  const differs =
    !before ||
    completing ||
    retimed ||
    (Object.keys(fields) as (keyof typeof fields)[]).some((k) => {
      const a = before[k];
      const b = fields[k];
      return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
    });
  return { fields, ended, completing, retimed, completedAt, differs };
}
