import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
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
  const candidates = ctx.q
    .selectFrom("Patient as p")
    .innerJoin("BonusAccount as a", "a.patientId", "p.id")
    .where("p.clinicId", "=", ctx.clinicId)
    .where("a.balance", ">", 0);
  const eb = expressionBuilder(candidates);
  return planStartFlows({ ctx, category: "marketing", candidates, key: concat(text(prefix), eb.ref("p.id")) });
}
