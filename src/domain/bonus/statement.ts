import type { BonusEntryKind, Tx } from "../../db/client.ts";

export interface StatementLine {
  at: Date;
  kind: BonusEntryKind;
  /** Signed points: credits positive, debits negative. */
  amount: number;
  note: string | null;
  expiresAt: Date | null;
}

/** The patient's balance and ledger, newest first (ties by booking order); `limit` keeps the latest lines. */
export async function statement(tx: Tx, patientId: number, options: { limit?: number } = {}): Promise<{ balance: number; entries: StatementLine[] }> {
  const [account, rows] = await Promise.all([
    tx.bonusAccount.findUnique({ where: { patientId }, select: { balance: true } }),
    tx.bonusEntry.findMany({
      where: { patientId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...(options.limit !== undefined ? { take: options.limit } : {}),
      select: { createdAt: true, kind: true, amount: true, note: true, expiresAt: true },
    }),
  ]);
  return {
    balance: account?.balance ?? 0,
    entries: rows.map((r) => ({ at: r.createdAt, kind: r.kind, amount: r.amount, note: r.note, expiresAt: r.expiresAt })),
  };
}
