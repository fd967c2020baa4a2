// The clinic's bonus liability as sums in the database (BonusAccount.balance is the ledger's
// cached total): what patients hold, what expires soon, and the window's movement.
import type { Database } from "../../client.ts";
import { countWhere, enumValue, sumOf, sumWhere, toNumber, typedSql } from "../../kysely/index.ts";
import type { FigureWindow } from "./window.ts";

export interface BonusTotals {
  outstanding: number;
  holders: number;
  /** What is left of credits expiring after `now` up to `soonUntil`. */
  expiringSoon: number;
  /** Positive entries, redemptions and expiries booked in the window. */
  accrued: number;
  redeemed: number;
  expired: number;
}

export async function bonusTotals(db: Database, window: FigureWindow & { now: Date; soonUntil: Date }): Promise<BonusTotals> {
  const q = typedSql(db);
  const { clinicId } = window;
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
      .where("b.expiresAt", ">", window.now)
      .where("b.expiresAt", "<=", window.soonUntil)
      .executeTakeFirst(),
    q
      .selectFrom("BonusEntry as b")
      .select((eb) => [
        sumWhere(eb("b.amount", ">", 0), eb.ref("b.amount")).as("accrued"),
        sumWhere(eb("b.kind", "=", enumValue(q.provider, "BonusEntryKind", "redemption")), eb.neg("b.amount")).as("redeemed"),
        sumWhere(eb("b.kind", "=", enumValue(q.provider, "BonusEntryKind", "expiry")), eb.neg("b.amount")).as("expired"),
      ])
      .where("b.clinicId", "=", clinicId)
      .where("b.createdAt", ">=", window.from)
      .where("b.createdAt", "<=", window.until)
      .executeTakeFirst(),
  ]);
  return {
    outstanding: toNumber(balances?.outstanding),
    holders: toNumber(balances?.holders),
    expiringSoon: toNumber(soon?.points),
    accrued: toNumber(movement?.accrued),
    redeemed: toNumber(movement?.redeemed),
    expired: toNumber(movement?.expired),
  };
}
