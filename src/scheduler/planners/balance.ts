import { DateTime } from "luxon";
import { planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";

/** `balance:<yyyy-mm>:<patientId>`, the month on the clinic's calendar. */
export const balanceKeyPrefix = (now: Date, clinicZone: string) => `balance:${DateTime.fromJSDate(now, { zone: clinicZone }).toFormat("yyyy-MM")}:`;

/**
 * The monthly reminder of the bonus balance: every patient with points, once a month, through
 * the flow that shows the balance and what expires when. Marketing: quiet hours and the
 * frequency cap apply at send time.
 */
export function planBalance(ctx: PlanContext): Promise<PlanResult> {
  const prefix = balanceKeyPrefix(ctx.now, ctx.clinicZone);
  return planStartFlows({
    ctx,
    category: "marketing",
    from: (s) => `"Patient" p JOIN "BonusAccount" a ON a."patientId" = p."id"
      WHERE p."clinicId" = ${s.value(ctx.clinicId)} AND a."balance" > 0`,
    key: (s) => `${s.text(prefix)} || p."id"`,
  });
}
