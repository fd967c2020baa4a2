import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { consumeOldestFirst } from "./consume.ts";
import { bookDebit, findBooked } from "./entries.ts";
import { expireAccountDue } from "./expire.ts";
import { sourceKeys } from "./keys.ts";

export interface FamilyRedemption {
  /** Points spent in all, the patient's own and the family's. */
  redeemed: number;
  /** Who the points came from, the patient first; members drawn on for 0 are left out. */
  draws: { patientId: number; points: number }[];
  /** The key was booked before: this is the first redemption's answer, nothing more was spent. */
  replayed: boolean;
}

/**
 * Pays a patient's bill with points from their family's pooled balance (bonus.familyWallet): the
 * patient's own first (`redeem:<key>`, booked even at 0, so a replay finds it), then the other
 * members' credits, the ones that expire soonest first, whoever holds them. Each draw is a
 * redemption on the account it came from (`family-redeem:<member>:<key>`): the ledger keeps an
 * account per person. `howMany` gets what the family can spend (due credits expired first) and
 * answers how many points to take: the caller applies the bill's cap there. Pass no members for
 * a patient's own points only. Answers `redeemed: 0` and books nothing when it is 0.
 */
export async function redeemFromFamily(
  tx: Tx,
  input: { clinicId: number; patientId: number; members: number[]; key: string; howMany: (spendable: number) => number; note?: string; now: Date },
): Promise<FamilyRedemption> {
  const { clinicId, patientId, now } = input;
  const sourceKey = sourceKeys.redeem(input.key);
  const others = input.members.filter((id) => id !== patientId);
  // Every writer locks one account; this one locks several, so always in id order (no deadlock
  // between a mother's redemption and her child's).
  const accounts = new Map<number, { id: number; balance: number }>();
  for (const id of [patientId, ...others].sort((a, b) => a - b)) accounts.set(id, await lockAccount(tx, clinicId, id));

  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return replay(tx, clinicId, patientId, -done.amount, input.key);

  const spendable = new Map<number, number>();
  for (const [id, account] of accounts) spendable.set(id, account.balance - (await expireAccountDue(tx, clinicId, account.id, now)).points);
  const total = [...spendable.values()].reduce((a, b) => a + b, 0);
  const points = Math.min(total, input.howMany(total));
  if (!Number.isInteger(points) || points < 0) throw new Error(`cannot redeem ${points} points: a redemption is a whole number of points`);
  if (points === 0) return { redeemed: 0, draws: [], replayed: false };

  const own = Math.min(points, spendable.get(patientId)!);
  const fromOthers = await drawsOnMembers(tx, others.map((id) => accounts.get(id)!.id), points - own);
  const note = input.note ?? (fromOthers.size > 0 ? "family wallet" : undefined);
  const ownAccount = accounts.get(patientId)!;
  await consumeOldestFirst(tx, ownAccount.id, own);
  await bookDebit(tx, { clinicId, accountId: ownAccount.id, patientId, kind: "redemption", points: own, sourceKey, at: now, ...(note ? { note } : {}) });
  const draws = [{ patientId, points: own }];
  for (const id of others) {
    const account = accounts.get(id)!;
    const take = fromOthers.get(account.id) ?? 0;
    if (take === 0) continue;
    await consumeOldestFirst(tx, account.id, take);
    const memberKey = sourceKeys.familyRedeem(input.key, id);
    await bookDebit(tx, { clinicId, accountId: account.id, patientId: id, kind: "redemption", points: take, sourceKey: memberKey, at: now, note: `family wallet: a visit of patient ${patientId}` });
    draws.push({ patientId: id, points: take });
  }
  return { redeemed: points, draws, replayed: false };
}

/** How many points each member account gives: the open credits of all of them, soonest expiry first. */
async function drawsOnMembers(tx: Tx, accountIds: number[], points: number): Promise<Map<number, number>> {
  const takes = new Map<number, number>();
  if (points <= 0) return takes;
  const credits = await tx.bonusEntry.findMany({
    where: { accountId: { in: accountIds }, remaining: { gt: 0 } },
    orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    select: { accountId: true, remaining: true },
  });
  let left = points;
  for (const credit of credits) {
    if (left === 0) break;
    const take = Math.min(left, credit.remaining!);
    takes.set(credit.accountId, (takes.get(credit.accountId) ?? 0) + take);
    left -= take;
  }
  if (left > 0) throw new Error(`family wallet: open credits hold ${points - left} points, ${points} were to be taken`);
  return takes;
}

/** The first redemption under this key, rebuilt from its entries (the family may have changed since). */
async function replay(tx: Tx, clinicId: number, patientId: number, own: number, key: string): Promise<FamilyRedemption> {
  const suffix = `:${key}`;
  const rows = await tx.bonusEntry.findMany({
    where: { clinicId, kind: "redemption", sourceKey: { startsWith: "family-redeem:", endsWith: suffix } },
    orderBy: { patientId: "asc" },
    select: { patientId: true, amount: true, sourceKey: true },
  });
  // The filter may match more (a LIKE pattern); only this key's exact draws count.
  const mine = rows.filter((r) => r.sourceKey === `family-redeem:${r.patientId}${suffix}`);
  const draws = [{ patientId, points: own }, ...mine.map((r) => ({ patientId: r.patientId, points: -r.amount }))];
  return { redeemed: draws.reduce((sum, d) => sum + d.points, 0), draws, replayed: true };
}
