import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
import { planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";

/** How many days ahead patients hear that their points expire. */
export const EXPIRY_NOTICE_DAYS = 14;

/** The clinic-local day, `EXPIRY_NOTICE_DAYS` ahead of `now`, whose expiring credits are announced. */
export function expiryDay(now: Date, clinicZone: string): { date: string; from: Date; to: Date } {
  const day = DateTime.fromJSDate(now, { zone: clinicZone }).startOf("day").plus({ days: EXPIRY_NOTICE_DAYS });
  return { date: day.toISODate()!, from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() };
}

/**
 * The bonus expiry warning: patients with credits (points left) that expire on the clinic-local
 * day two weeks ahead, one row per patient and expiry date (`expiry:<yyyy-mm-dd>:<patientId>`),
 * through the balance flow (it lists what expires and when). Marketing.
 */
export function planExpiry(ctx: PlanContext): Promise<PlanResult> {
  const day = expiryDay(ctx.now, ctx.clinicZone);
  const candidates = ctx.q
    .selectFrom("Patient as p")
    .where("p.clinicId", "=", ctx.clinicId)
    .where("p.id", "in", (eb) =>
      eb
        .selectFrom("BonusEntry as e")
        .select("e.patientId")
        .where("e.clinicId", "=", ctx.clinicId)
        .where("e.remaining", ">", 0)
        .where("e.expiresAt", ">=", day.from)
        .where("e.expiresAt", "<", day.to),
    );
  const eb = expressionBuilder(candidates);
  return planStartFlows({ ctx, category: "marketing", candidates, key: concat(text(`expiry:${day.date}:`), eb.ref("p.id")) });
}
