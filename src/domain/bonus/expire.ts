import type { Database, Prisma, Tx } from "../../db/client.ts";
import { insertExpiries } from "../../db/queries/bonus-entries.ts";
import { lockAccounts } from "./account.ts";
import { sourceKeys } from "./keys.ts";

export interface ExpiryResult {
  entries: number;
  points: number;
}

/** Credits per run by default: one transaction stays short; the job calls again while it is full. */
export const EXPIRY_BATCH = 1000;

/**
 * Expires what is left of every credit of the clinic whose `expiresAt <= now`: one expiry entry
 * per credit (`expiry:<credit id>`, dated at the credit's expiry), its `remaining` set to 0, the
 * balances lowered. At most `limit` credits per call, soonest first; when `entries === limit`
 * there may be more. Running it again finds nothing to do.
 */
export async function expireDue(tx: Tx, input: { clinicId: number; now: Date; limit?: number }): Promise<ExpiryResult> {
  const due = await tx.bonusEntry.findMany({
    where: { clinicId: input.clinicId, remaining: { gt: 0 }, expiresAt: { lte: input.now } },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    take: input.limit ?? EXPIRY_BATCH,
    select: { id: true, accountId: true },
  });
  if (due.length === 0) return { entries: 0, points: 0 };
  // Lock the accounts before touching their credits (the order every writer uses), then read
  // the credits again: a redemption may have spent some of them while we waited.
  await lockAccounts(tx, [...new Set(due.map((c) => c.accountId))]);
  return expireCredits(tx, input.clinicId, { id: { in: due.map((c) => c.id) } }, input.now);
}

/** Expires one account's due credits: redemptions call it first, so expired points cannot be spent. */
export async function expireAccountDue(tx: Tx, clinicId: number, accountId: number, now: Date): Promise<ExpiryResult> {
  return expireCredits(tx, clinicId, { accountId }, now);
}

/**
 * Expires those of these credits that are due (a history import books points already expired),
 * their entries written in one statement however many; the caller holds their accounts' locks.
 */
export async function expireCreditsDue(tx: Tx, provider: Database["provider"], clinicId: number, creditIds: number[], now: Date): Promise<ExpiryResult> {
  if (creditIds.length === 0) return { entries: 0, points: 0 };
  return expireCredits(tx, clinicId, { id: { in: creditIds } }, now, provider);
}

async function expireCredits(tx: Tx, clinicId: number, where: Prisma.BonusEntryWhereInput, now: Date, bulk?: Database["provider"]): Promise<ExpiryResult> {
  const credits = await tx.bonusEntry.findMany({
    where: { ...where, clinicId, remaining: { gt: 0 }, expiresAt: { lte: now } },
    select: { id: true, accountId: true, patientId: true, remaining: true, expiresAt: true },
  });
  if (credits.length === 0) return { entries: 0, points: 0 };
  const entries = credits.map((c) => ({
    clinicId,
    accountId: c.accountId,
    patientId: c.patientId,
    kind: "expiry" as const,
    amount: -c.remaining!,
    sourceKey: sourceKeys.expiry(c.id),
    createdAt: c.expiresAt!,
  }));
  if (bulk) {
    await insertExpiries(tx, bulk, entries);
  } else {
    await tx.bonusEntry.createMany({ data: entries });
  }
  await tx.bonusEntry.updateMany({ where: { id: { in: credits.map((c) => c.id) } }, data: { remaining: 0 } });

  const perAccount = new Map<number, number>();
  for (const c of credits) perAccount.set(c.accountId, (perAccount.get(c.accountId) ?? 0) + c.remaining!);
  // One update per distinct amount rather than per account: many patients lose the same welcome bonus.
  const byAmount = new Map<number, number[]>();
  for (const [accountId, points] of perAccount) byAmount.set(points, [...(byAmount.get(points) ?? []), accountId]);
  for (const [points, ids] of byAmount) {
    await tx.bonusAccount.updateMany({ where: { id: { in: ids } }, data: { balance: { decrement: points } } });
  }
  return { entries: credits.length, points: [...perAccount.values()].reduce((a, b) => a + b, 0) };
}
