import type { Tx } from "../../db/client.ts";

/**
 * Takes `points` from the account's open credits, the one expiring soonest first (then the
 * oldest id), so a patient spends what they would otherwise lose. Call with the account locked
 * and due credits already expired. Throws when the credits hold less than asked: the ledger is
 * inconsistent and the caller's transaction must roll back.
 */
export async function consumeOldestFirst(tx: Tx, accountId: number, points: number): Promise<void> {
  if (points <= 0) return;
  const credits = await tx.bonusEntry.findMany({
    where: { accountId, remaining: { gt: 0 } },
    orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    select: { id: true, remaining: true },
  });
  const emptied: number[] = [];
  let left = points;
  for (const credit of credits) {
    if (left === 0) break;
    const take = Math.min(left, credit.remaining!);
    left -= take;
    if (take === credit.remaining) emptied.push(credit.id);
    else await tx.bonusEntry.update({ where: { id: credit.id }, data: { remaining: { decrement: take } } });
  }
  if (left > 0) throw new Error(`bonus account ${accountId}: open credits hold ${points - left} points, ${points} were to be taken`);
  if (emptied.length > 0) await tx.bonusEntry.updateMany({ where: { id: { in: emptied } }, data: { remaining: 0 } });
}
