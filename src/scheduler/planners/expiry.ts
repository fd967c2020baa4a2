import { DateTime } from "luxon";
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
  return planStartFlows({
    ctx,
    category: "marketing",
    from: (s) => {
      const clinic = s.value(ctx.clinicId);
      return `"Patient" p
      WHERE p."clinicId" = ${clinic} AND p."id" IN (
        SELECT e."patientId" FROM "BonusEntry" e
        WHERE e."clinicId" = ${clinic} AND e."remaining" > 0 AND e."expiresAt" >= ${s.time(day.from)} AND e."expiresAt" < ${s.time(day.to)}
      )`;
    },
    key: (s) => `${s.text(`expiry:${day.date}:`)} || p."id"`,
  });
}
