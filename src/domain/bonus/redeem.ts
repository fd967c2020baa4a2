import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { consumeOldestFirst } from "./consume.ts";
import { bookDebit, findBooked } from "./entries.ts";
import { InsufficientPointsError } from "./errors.ts";
import { expireAccountDue } from "./expire.ts";
import { sourceKeys } from "./keys.ts";

/**
 * Spends points (`redeem:<key>`), oldest expiry first. Points past their expiry are expired
 * first, so they cannot be spent even if the expiry job has not run yet. Throws
 * InsufficientPointsError when the balance is smaller, an Error when points are not a positive
 * whole number. Replaying the key answers with the first redemption. The bill's cap
 * (maxRedeemable) is the caller's to apply: it knows the bill.
 */
export async function redeem(
  tx: Tx,
  input: { clinicId: number; patientId: number; points: number; key: string; note?: string; now: Date },
): Promise<{ redeemed: number }> {
  const { clinicId, patientId, points, now } = input;
  if (!Number.isInteger(points) || points <= 0) throw new Error(`cannot redeem ${points} points: a redemption is a whole positive number of points`);
  const sourceKey = sourceKeys.redeem(input.key);
  const account = await lockAccount(tx, clinicId, patientId);
  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return { redeemed: -done.amount };
  await takePoints(tx, { clinicId, patientId, accountId: account.id, balance: account.balance, points, now });
  await bookDebit(tx, { clinicId, accountId: account.id, patientId, kind: "redemption", points, sourceKey, at: now, ...(input.note ? { note: input.note } : {}) });
  return { redeemed: points };
}

/** Expires what is due, checks the balance, takes the points from credits (the entry is the caller's). */
export async function takePoints(
  tx: Tx,
  a: { clinicId: number; patientId: number; accountId: number; balance: number; points: number; now: Date },
): Promise<void> {
  const expired = await expireAccountDue(tx, a.clinicId, a.accountId, a.now);
  const balance = a.balance - expired.points;
  if (a.points > balance) throw new InsufficientPointsError(a.points, balance);
  await consumeOldestFirst(tx, a.accountId, a.points);
}
