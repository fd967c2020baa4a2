import { DateTime } from "luxon";
import { checkinKey } from "../../domain/visits/care-outbox.ts";
import { byPatientZone, planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";

/** Yesterday on the calendar of `zone`, as UTC instants [from, to). */
export function yesterdayIn(now: Date, zone: string): { from: Date; to: Date } {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  return { from: today.minus({ days: 1 }).toJSDate(), to: today.toJSDate() };
}

/**
 * The next-day care check-in after a procedure (`checkin:<visitId>`, the key the visit's own
 * recording queues): completed procedures whose completion fell on "yesterday" on the patient's
 * calendar. A safety net: a row the visit already queued is counted as already queued. Care.
 * Visits of a history import start nothing (their own recording decided what was too old).
 */
export function planCheckin(ctx: PlanContext): Promise<PlanResult> {
  const prefix = checkinKey(0).slice(0, -1);
  return byPatientZone(
    ctx,
    (zone) => yesterdayIn(ctx.now, zone),
    (day, inZone) =>
      planStartFlows({
        ctx,
        category: "care",
        from: (s) => `"Visit" v JOIN "Patient" p ON p."id" = v."patientId"
          WHERE v."clinicId" = ${s.value(ctx.clinicId)} AND v."status" = 'completed' AND v."isProcedure" = TRUE
            AND v."history" = FALSE
            AND v."completedAt" >= ${s.time(day.from)} AND v."completedAt" < ${s.time(day.to)} AND ${inZone(s)}`,
        key: (s) => `${s.text(prefix)} || v."id"`,
        context: () => [
          ["visitId", `v."id"`],
          ["doctor", `v."doctor"`],
          ["service", `v."service"`],
          ["serviceCategory", `v."serviceCategory"`],
        ],
        orderBy: `p."id", v."id"`,
      }),
  );
}
