// The clinic's bonus liability: points patients hold, points about to expire, and the last 30
// days' movement (summed by src/db/queries/dashboard/bonus.ts).
import type { Database } from "../../db/client.ts";
import { bonusTotals } from "../../db/queries/dashboard/bonus.ts";
import type { DashboardPeriods } from "./periods.ts";

export interface BonusFigures {
  /** Sum of all balances: what the clinic owes in points. */
  outstanding: number;
  /** Patients holding points. */
  holders: number;
  /** What is left of credits expiring within the next 30 days. */
  expiringNext30Days: number;
  /** Credits booked (accruals, welcome, birthday, referral, positive adjustments) in the last 30 days. */
  accruedLast30Days: number;
  /** Points spent on visits in the last 30 days. */
  redeemedLast30Days: number;
  /** Points that expired in the last 30 days. */
  expiredLast30Days: number;
}

export async function bonusFigures(db: Database, clinicId: number, periods: DashboardPeriods): Promise<BonusFigures> {
  const totals = await bonusTotals(db, { clinicId, from: periods.recentFrom, until: periods.now, now: periods.now, soonUntil: periods.soonUntil });
  return {
    outstanding: totals.outstanding,
    holders: totals.holders,
    expiringNext30Days: totals.expiringSoon,
    accruedLast30Days: totals.accrued,
    redeemedLast30Days: totals.redeemed,
    expiredLast30Days: totals.expired,
  };
}
