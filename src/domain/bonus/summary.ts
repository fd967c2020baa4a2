import type { Database, Tx } from "../../db/client.ts";
import { openCreditsUntil } from "../../db/queries/bonus-summary.ts";

export const EXPIRING_SOON_DAYS = 30;

export interface BonusSummary {
  balance: number;
  /** Points that expire in the next 30 days, soonest first, one line per expiry date. */
  expiringSoon: { amount: number; expiresAt: Date }[];
  expiringTotal: number;
  nextExpiry: Date | null;
}

export const EMPTY_BONUS: BonusSummary = { balance: 0, expiringSoon: [], expiringTotal: 0, nextExpiry: null };

const soonLimit = (now: Date): Date => new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);

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
      where: { patientId, remaining: { gt: 0 }, expiresAt: { gt: now, lte: soonLimit(now) } },
      select: { remaining: true, expiresAt: true },
      orderBy: { expiresAt: "asc" },
    }),
  ]);
  return summarize(account?.balance ?? 0, overdue._sum.remaining ?? 0, credits.map((c) => ({ remaining: c.remaining!, expiresAt: c.expiresAt! })));
}

/**
 * The same summary in one statement, for the inbound hot path (every message of a linked
 * patient needs it): the account's balance with the open credits that expire up to 30 days from
 * now; overdue and soon-expiring credits are told apart here rather than in the query.
 */
export async function bonusSummaryIn(tx: Tx, provider: Database["provider"], patientId: number, now: Date): Promise<BonusSummary> {
  const { balance, credits: open } = await openCreditsUntil(tx, provider, patientId, soonLimit(now));
  let overdue = 0;
  const credits: { remaining: number; expiresAt: Date }[] = [];
  for (const credit of open) {
    if (credit.expiresAt.getTime() <= now.getTime()) overdue += credit.remaining;
    else credits.push(credit);
  }
  return summarize(balance, overdue, credits);
}

/** Folds open credits (soonest first) into one line per expiry date. */
function summarize(balance: number, overdue: number, credits: { remaining: number; expiresAt: Date }[]): BonusSummary {
  const byDay = new Map<string, { amount: number; expiresAt: Date }>();
  for (const c of credits) {
    const key = c.expiresAt.toISOString().slice(0, 10);
    const line = byDay.get(key);
    if (line) line.amount += c.remaining;
    else byDay.set(key, { amount: c.remaining, expiresAt: c.expiresAt });
  }
  const expiringSoon = [...byDay.values()];
  return {
    balance: Math.max(0, balance - overdue),
    expiringSoon,
    expiringTotal: expiringSoon.reduce((sum, line) => sum + line.amount, 0),
    nextExpiry: expiringSoon[0]?.expiresAt ?? null,
  };
}

/**
 * What each of these patients can spend now: the balance less points past their expiry that the
 * job has not booked yet (as bonusSummary counts it). A family wallet adds them up.
 */
export async function spendableBalances(tx: Tx, patientIds: number[], now: Date): Promise<Map<number, number>> {
  if (patientIds.length === 0) return new Map();
  const [accounts, overdue] = await Promise.all([
    tx.bonusAccount.findMany({ where: { patientId: { in: patientIds } }, select: { patientId: true, balance: true } }),
    tx.bonusEntry.groupBy({ by: ["patientId"], where: { patientId: { in: patientIds }, remaining: { gt: 0 }, expiresAt: { lte: now } }, _sum: { remaining: true } }),
  ]);
  const late = new Map(overdue.map((o) => [o.patientId, o._sum.remaining ?? 0]));
  const balances = new Map(patientIds.map((id) => [id, 0]));
  for (const a of accounts) balances.set(a.patientId, Math.max(0, a.balance - (late.get(a.patientId) ?? 0)));
  return balances;
}
