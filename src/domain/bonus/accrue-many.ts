import type { Database, Tx } from "../../db/client.ts";
import { insertCredits } from "../../db/queries/bonus-entries.ts";
import type { NewCredit } from "../../db/queries/bonus-entries.ts";
import { accrualPoints } from "./accrual.ts";
import { expireCreditsDue } from "./expire.ts";
import { lockAccount, lockAccounts } from "./account.ts";
import { creditExpiresAt } from "./expiry-dates.ts";
import { sourceKeys } from "./keys.ts";
import type { BonusRules, VisitForAccrual } from "./types.ts";

/**
 * accrueForVisit for many visits at once (a history import): the same entries, keys, dates and
 * expiries, in a handful of statements instead of several per visit. The visits must be new to
 * the ledger (a key booked already makes the whole call fail, and the caller falls back to one
 * visit at a time). Visits come in the order they happened: a patient's welcome bonus goes with
 * their first one, if they never had one. Points past their expiry are expired at once.
 */
export async function accrueForNewVisits(
  tx: Tx,
  input: { clinicId: number; provider: Database["provider"]; rules: BonusRules; now: Date; visits: { patientId: number; visit: VisitForAccrual }[] },
): Promise<{ accrued: Map<number, number> }> {
  const { clinicId, rules, now, visits } = input;
  const accrued = new Map<number, number>();
  if (visits.length === 0) return { accrued };
  const patientIds = [...new Set(visits.map((v) => v.patientId))];
  const accounts = new Map((await tx.bonusAccount.findMany({ where: { clinicId, patientId: { in: patientIds } }, select: { id: true, patientId: true } })).map((a) => [a.patientId, a.id]));
  for (const patientId of patientIds) if (!accounts.has(patientId)) accounts.set(patientId, (await lockAccount(tx, clinicId, patientId)).id);
  await lockAccounts(tx, [...accounts.values()]);
  const welcomed = new Set(
    (await tx.bonusEntry.findMany({ where: { clinicId, sourceKey: { in: patientIds.map(sourceKeys.welcome) } }, select: { patientId: true } })).map((e) => e.patientId),
  );

  const rows: NewCredit[] = [];
  for (const { patientId, visit } of visits) {
    const accountId = accounts.get(patientId)!;
    const credit = { clinicId, accountId, patientId, visitId: visit.id, createdAt: visit.completedAt, expiresAt: creditExpiresAt(visit.completedAt, rules) };
    const points = accrualPoints(visit.amount, visit.serviceCategory, rules);
    accrued.set(visit.id, points);
    // Accrual first: with equal expiry, FIFO by id spends it before the welcome bonus.
    if (points > 0) rows.push({ ...credit, kind: "accrual", amount: points, remaining: points, sourceKey: sourceKeys.visit(visit.externalId) });
    if (!welcomed.has(patientId) && rules.welcomeBonus > 0) {
      rows.push({ ...credit, kind: "welcome", amount: rules.welcomeBonus, remaining: rules.welcomeBonus, sourceKey: sourceKeys.welcome(patientId) });
    }
    welcomed.add(patientId);
  }
  if (rows.length === 0) return { accrued };
  const booked = await insertCredits(tx, input.provider, rows);
  const expiresAt = new Map(rows.map((r) => [r.sourceKey, r.expiresAt]));

  // Raise the balances (one update per distinct amount), then expire what is already past due.
  const perAccount = new Map<number, number>();
  for (const r of rows) perAccount.set(r.accountId, (perAccount.get(r.accountId) ?? 0) + r.amount);
  const byAmount = new Map<number, number[]>();
  for (const [accountId, points] of perAccount) byAmount.set(points, [...(byAmount.get(points) ?? []), accountId]);
  for (const [points, ids] of byAmount) await tx.bonusAccount.updateMany({ where: { id: { in: ids } }, data: { balance: { increment: points } } });
  await expireCreditsDue(
    tx,
    input.provider,
    clinicId,
    booked.filter((b) => expiresAt.get(b.sourceKey)! <= now).map((b) => b.id),
    now,
  );
  return { accrued };
}
