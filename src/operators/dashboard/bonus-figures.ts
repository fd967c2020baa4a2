// The clinic's bonus liability: points patients hold, points about to expire, and the last 30
// days' movement. Sums in the database (BonusAccount.balance is the ledger's cached total).
import type { Database } from "../../db/client.ts";
import { SqlStatement, toNumber } from "../../db/sql-statement.ts";
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
  const held = new SqlStatement(db.provider);
  const expiring = new SqlStatement(db.provider);
  const moved = new SqlStatement(db.provider);
  const [[balances], [soon], [movement]] = await Promise.all([
    held.run<{ outstanding: unknown; holders: unknown }[]>(
      db,
      `SELECT COALESCE(SUM(a."balance"), 0) AS "outstanding", COALESCE(SUM(CASE WHEN a."balance" > 0 THEN 1 ELSE 0 END), 0) AS "holders"
       FROM "BonusAccount" a WHERE a."clinicId" = ${held.value(clinicId)}`,
    ),
    expiring.run<{ points: unknown }[]>(
      db,
      `SELECT COALESCE(SUM(b."remaining"), 0) AS "points" FROM "BonusEntry" b
       WHERE b."clinicId" = ${expiring.value(clinicId)} AND b."remaining" > 0
         AND b."expiresAt" > ${expiring.time(periods.now)} AND b."expiresAt" <= ${expiring.time(periods.soonUntil)}`,
    ),
    moved.run<{ accrued: unknown; redeemed: unknown; expired: unknown }[]>(
      db,
      `SELECT COALESCE(SUM(CASE WHEN b."amount" > 0 THEN b."amount" ELSE 0 END), 0) AS "accrued",
              COALESCE(SUM(CASE WHEN b."kind" = 'redemption' THEN -b."amount" ELSE 0 END), 0) AS "redeemed",
              COALESCE(SUM(CASE WHEN b."kind" = 'expiry' THEN -b."amount" ELSE 0 END), 0) AS "expired"
       FROM "BonusEntry" b
       WHERE b."clinicId" = ${moved.value(clinicId)} AND b."createdAt" >= ${moved.time(periods.recentFrom)} AND b."createdAt" <= ${moved.time(periods.now)}`,
    ),
  ]);
  return {
    outstanding: toNumber(balances?.outstanding),
    holders: toNumber(balances?.holders),
    expiringNext30Days: toNumber(soon?.points),
    accruedLast30Days: toNumber(movement?.accrued),
    redeemedLast30Days: toNumber(movement?.redeemed),
    expiredLast30Days: toNumber(movement?.expired),
  };
}
