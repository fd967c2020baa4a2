import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
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
    (day, inZone) => {
      const candidates = ctx.q
        .selectFrom("Visit as v")
        .innerJoin("Patient as p", "p.id", "v.patientId")
        .where("v.clinicId", "=", ctx.clinicId)
        .where("v.status", "=", "completed")
        .where("v.isProcedure", "=", true)
        .where("v.history", "=", false)
        .where("v.completedAt", ">=", day.from)
        .where("v.completedAt", "<", day.to)
        .where(inZone);
      const eb = expressionBuilder(candidates);
      return planStartFlows({
        ctx,
        category: "care",
        candidates,
        key: concat(text(prefix), eb.ref("v.id")),
        context: [
          ["visitId", eb.ref("v.id")],
          ["doctor", eb.ref("v.doctor")],
          ["service", eb.ref("v.service")],
          ["serviceCategory", eb.ref("v.serviceCategory")],
        ],
        orderBy: [eb.ref("p.id"), eb.ref("v.id")],
        // A child's procedure: «Как Миша себя чувствует…» in their guardian's chat.
        throughGuardians: true,
      });
    },
  );
}
