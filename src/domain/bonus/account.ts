import type { Tx } from "../../db/client.ts";

export interface AccountRef {
  id: number;
  balance: number;
}

/**
 * The patient's bonus account, created empty on first use. Race-free without a lock when it
 * exists; when it does not, the creating upsert must carry a real update: Prisma turns only
 * such an upsert into one insert that updates on a conflict, and an empty one into find-then-create, which
 * two transactions can both try (P2002).
 */
export async function ensureAccount(tx: Tx, clinicId: number, patientId: number): Promise<AccountRef> {
  const account = await tx.bonusAccount.findUnique({ where: { patientId }, select: { id: true, balance: true, clinicId: true } });
  return account ? checkClinic(account, clinicId, patientId) : lockAccount(tx, clinicId, patientId);
}

/**
 * Like ensureAccount, and holds the account's row lock for the rest of the transaction (the
 * no-op increment is the write that takes it). Every function that writes entries calls it
 * first, so two writers of one account run one after the other: on PostgreSQL the second waits,
 * then sees the first's entries; SQLite serializes writers anyway. Without it two redemptions
 * could both pass the balance check, and two bookings of one key could both try to insert.
 */
export async function lockAccount(tx: Tx, clinicId: number, patientId: number): Promise<AccountRef> {
  const account = await tx.bonusAccount.upsert({
    where: { patientId },
    create: { clinicId, patientId },
    update: { balance: { increment: 0 } },
    select: { id: true, balance: true, clinicId: true },
  });
  return checkClinic(account, clinicId, patientId);
}

/** Locks several accounts in one statement (expiry runs over a whole clinic). */
export async function lockAccounts(tx: Tx, accountIds: number[]): Promise<void> {
  if (accountIds.length === 0) return;
  await tx.bonusAccount.updateMany({ where: { id: { in: accountIds } }, data: { balance: { increment: 0 } } });
}

/** The cached balance moves in the same transaction as the entry that moves it. */
export async function moveBalance(tx: Tx, accountId: number, delta: number): Promise<void> {
  if (delta === 0) return;
  await tx.bonusAccount.update({ where: { id: accountId }, data: { balance: { increment: delta } } });
}

function checkClinic(account: { id: number; balance: number; clinicId: number }, clinicId: number, patientId: number): AccountRef {
  if (account.clinicId !== clinicId) {
    throw new Error(`patient ${patientId} has a bonus account in clinic ${account.clinicId}, not in clinic ${clinicId}`);
  }
  return { id: account.id, balance: account.balance };
}
