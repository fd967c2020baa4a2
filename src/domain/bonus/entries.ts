import type { BonusEntryKind, Tx } from "../../db/client.ts";
import { moveBalance } from "./account.ts";
import type { CreditKind, DebitKind } from "./types.ts";

const bookedSelect = { id: true, patientId: true, kind: true, amount: true, expiresAt: true, visitId: true } as const;

export interface BookedEntry {
  id: number;
  patientId: number;
  kind: BonusEntryKind;
  amount: number;
  expiresAt: Date | null;
  visitId: number | null;
}

/**
 * The entry already booked under a source key, if any. A key booked for another patient means
 * the caller mixed up its keys: refusing is safer than answering with someone else's entry.
 */
export async function findBooked(tx: Tx, clinicId: number, patientId: number, sourceKey: string): Promise<BookedEntry | null> {
  const entry = await tx.bonusEntry.findUnique({ where: { clinicId_sourceKey: { clinicId, sourceKey } }, select: bookedSelect });
  if (entry && entry.patientId !== patientId) {
    throw new Error(`bonus key "${sourceKey}" is already booked for patient ${entry.patientId}, not ${patientId}`);
  }
  return entry;
}

export interface CreditInput {
  clinicId: number;
  accountId: number;
  patientId: number;
  kind: CreditKind;
  amount: number;
  sourceKey: string;
  at: Date;
  expiresAt: Date;
  visitId?: number;
  note?: string;
}

/** Books a credit (its whole amount still to spend) and raises the balance. */
export async function bookCredit(tx: Tx, c: CreditInput): Promise<void> {
  assertPoints(c.amount);
  await tx.bonusEntry.create({
    data: {
      clinicId: c.clinicId,
      accountId: c.accountId,
      patientId: c.patientId,
      kind: c.kind,
      amount: c.amount,
      remaining: c.amount,
      expiresAt: c.expiresAt,
      sourceKey: c.sourceKey,
      visitId: c.visitId ?? null,
      note: c.note ?? null,
      createdAt: c.at,
    },
  });
  await moveBalance(tx, c.accountId, c.amount);
}

export interface DebitInput {
  clinicId: number;
  accountId: number;
  patientId: number;
  kind: DebitKind;
  /** Points taken, as a positive number; stored negative. */
  points: number;
  sourceKey: string;
  at: Date;
  visitId?: number;
  note?: string;
}

/** Books a debit and lowers the balance; the caller has already taken the points from credits. */
export async function bookDebit(tx: Tx, d: DebitInput): Promise<void> {
  if (!Number.isInteger(d.points) || d.points < 0) throw new Error(`a debit takes a whole non-negative number of points, not ${d.points}`);
  await tx.bonusEntry.create({
    data: {
      clinicId: d.clinicId,
      accountId: d.accountId,
      patientId: d.patientId,
      kind: d.kind,
      amount: -d.points,
      sourceKey: d.sourceKey,
      visitId: d.visitId ?? null,
      note: d.note ?? null,
      createdAt: d.at,
    },
  });
  await moveBalance(tx, d.accountId, -d.points);
}

function assertPoints(points: number): void {
  if (!Number.isInteger(points) || points <= 0) throw new Error(`a credit is a whole positive number of points, not ${points}`);
}
