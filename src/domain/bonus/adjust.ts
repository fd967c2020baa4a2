import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { bookCredit, bookDebit, findBooked } from "./entries.ts";
import { creditExpiresAt } from "./expiry-dates.ts";
import { sourceKeys } from "./keys.ts";
import { takePoints } from "./redeem.ts";
import type { BonusRules } from "./types.ts";

/**
 * A manual correction by the clinic (`adjust:<key>`), with a note saying why. A positive one is
 * a credit that expires like an accrual; a negative one is spent from the oldest credits and,
 * like a redemption, cannot take more than the balance (InsufficientPointsError).
 */
export async function adjust(
  tx: Tx,
  input: { clinicId: number; patientId: number; points: number; key: string; note: string; rules: BonusRules; now: Date },
): Promise<void> {
  const { clinicId, patientId, points, note, rules, now } = input;
  if (!Number.isInteger(points) || points === 0) throw new Error(`an adjustment is a whole non-zero number of points, not ${points}`);
  if (note.trim() === "") throw new Error("an adjustment needs a note saying why");
  const sourceKey = sourceKeys.adjust(input.key);
  const account = await lockAccount(tx, clinicId, patientId);
  if (await findBooked(tx, clinicId, patientId, sourceKey)) return;
  const entry = { clinicId, accountId: account.id, patientId, kind: "adjustment" as const, sourceKey, at: now, note };
  if (points > 0) {
    await bookCredit(tx, { ...entry, amount: points, expiresAt: creditExpiresAt(now, rules) });
    return;
  }
  await takePoints(tx, { clinicId, patientId, accountId: account.id, balance: account.balance, points: -points, now });
  await bookDebit(tx, { ...entry, points: -points });
}
