import type { Tx } from "../../db/client.ts";

export const EXPIRING_SOON_DAYS = 30;

export interface BonusSummary {
  balance: number;
  /** Points that expire in the next 30 days, soonest first, one line per expiry date. */
  expiringSoon: { amount: number; expiresAt: Date }[];
  expiringTotal: number;
  nextExpiry: Date | null;
}

export const EMPTY_BONUS: BonusSummary = { balance: 0, expiringSoon: [], expiringTotal: 0, nextExpiry: null };

/**
 * The balance and what expires soon: queries over the ledger's open credits. The balance leaves
 * out points already past their expiry that the daily expiry job has not booked yet: a
 * redemption would expire them first, so the patient is never shown points they cannot spend.
 */
export async function bonusSummary(tx: Tx, patientId: number, now: Date): Promise<BonusSummary> {
  const [account, overdue, credits] = await Promise.all([
    tx.bonusAccount.findUnique({ where: { patientId }, select: { balance: true } }),
    tx.bonusEntry.aggregate({ where: { patientId, remaining: { gt: 0 }, expiresAt: { lte: now } }, _sum: { remaining: true } }),
    tx.bonusEntry.findMany({
      where: { patientId, remaining: { gt: 0 }, expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000) } },
      select: { remaining: true, expiresAt: true },
      orderBy: { expiresAt: "asc" },
    }),
  ]);
  const byDay = new Map<string, { amount: number; expiresAt: Date }>();
  for (const c of credits) {
    const key = c.expiresAt!.toISOString().slice(0, 10);
    const line = byDay.get(key);
    if (line) line.amount += c.remaining!;
    else byDay.set(key, { amount: c.remaining!, expiresAt: c.expiresAt! });
  }
  const expiringSoon = [...byDay.values()];
  return {
    balance: Math.max(0, (account?.balance ?? 0) - (overdue._sum.remaining ?? 0)),
    expiringSoon,
    expiringTotal: expiringSoon.reduce((sum, line) => sum + line.amount, 0),
    nextExpiry: expiringSoon[0]?.expiresAt ?? null,
  };
}
