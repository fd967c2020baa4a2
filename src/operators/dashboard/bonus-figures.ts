// The clinic's bonus liability: points patients hold, points about to expire, and the last 30
// days' movement. Sums in the database (BonusAccount.balance is the ledger's cached total).
import type { Database } from "../../db/client.ts";
import { countWhere, enumValue, sumOf, sumWhere, toNumber, typedSql } from "../../db/kysely/index.ts";
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
  const q = typedSql(db);
  const [balances, soon, movement] = await Promise.all([
    q
      .selectFrom("BonusAccount as a")
      .select((eb) => [sumOf(eb.ref("a.balance")).as("outstanding"), countWhere(eb("a.balance", ">", 0)).as("holders")])
      .where("a.clinicId", "=", clinicId)
      .executeTakeFirst(),
    q
      .selectFrom("BonusEntry as b")
      .select((eb) => sumOf(eb.ref("b.remaining")).as("points"))
      .where("b.clinicId", "=", clinicId)
      .where("b.remaining", ">", 0)
      .where("b.expiresAt", ">", periods.now)
      .where("b.expiresAt", "<=", periods.soonUntil)
      .executeTakeFirst(),
    q
      .selectFrom("BonusEntry as b")
      .select((eb) => [
        sumWhere(eb("b.amount", ">", 0), eb.ref("b.amount")).as("accrued"),
        sumWhere(eb("b.kind", "=", enumValue(q.provider, "BonusEntryKind", "redemption")), eb.neg("b.amount")).as("redeemed"),
        sumWhere(eb("b.kind", "=", enumValue(q.provider, "BonusEntryKind", "expiry")), eb.neg("b.amount")).as("expired"),
      ])
      .where("b.clinicId", "=", clinicId)
      .where("b.createdAt", ">=", periods.recentFrom)
      .where("b.createdAt", "<=", periods.now)
      .executeTakeFirst(),
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
