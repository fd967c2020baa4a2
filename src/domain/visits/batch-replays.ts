// The rows of a batch that change nothing, answered with a few reads and no write: what makes
// running an import a second time cheap.
import type { Tx } from "../../db/client.ts";
import type { BatchOutcome, BatchRow } from "./batch-types.ts";
import type { RecordScope, VisitInput } from "./record-visit.ts";
import { visitChanges } from "./visit-changes.ts";

/**
 * Rows that change nothing, answered without writing: a replay of the recorded state, or a
 * posting older (by the MIS's updatedAt) than it. Re-running an import costs a few reads per
 * batch. Returns the other rows. Only visits that appear once in the batch are judged here.
 */
export async function answerReplays(tx: Tx, scope: RecordScope, rows: BatchRow[], outcomes: Map<BatchRow, BatchOutcome>): Promise<BatchRow[]> {
  const { clinicId, now } = scope;
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.input.externalId, (count.get(r.input.externalId) ?? 0) + 1);
  const known = await tx.visit.findMany({ where: { clinicId, externalId: { in: [...count.keys()] } } });
  if (known.length === 0) return rows;
  const visits = new Map(known.map((v) => [v.externalId, v]));
  const patients = new Map(
    (await tx.patient.findMany({ where: { clinicId, id: { in: [...new Set(known.map((v) => v.patientId))] } }, select: { id: true, externalId: true } })).map((p) => [p.id, p.externalId]),
  );
  const followUps = await tx.followUp.findMany({ where: { visitId: { in: known.map((v) => v.id) } }, select: { visitId: true, service: true, dueAt: true, doctor: true, status: true } });
  const followUpUnchanged = (visitId: number, f: VisitInput["followUp"]) =>
    !f ||
    followUps.some((o) => o.visitId === visitId && o.service === f.service && (o.status !== "open" || (o.dueAt.getTime() === f.dueAt.getTime() && o.doctor === (f.doctor ?? null))));

  const replays: { row: BatchRow; id: number; outdated: boolean }[] = [];
  const rest: BatchRow[] = [];
  for (const row of rows) {
    const before = visits.get(row.input.externalId);
    const samePatient = before !== undefined && patients.get(before.patientId) === row.input.patientExternalId;
    if (!before || !samePatient || count.get(row.input.externalId) !== 1) {
      rest.push(row);
      continue;
    }
    const outdated = row.input.updatedAt != null && before.misUpdatedAt !== null && row.input.updatedAt < before.misUpdatedAt;
    if (outdated || (!visitChanges(before, row.input, now).differs && followUpUnchanged(before.id, row.input.followUp))) replays.push({ row, id: before.id, outdated });
    else rest.push(row);
  }
  // findMany, not groupBy: Prisma splits a long IN list to fit SQLite's limit on parameters only for reads like this one.
  const points = new Map<number, number>();
  for (const e of await tx.bonusEntry.findMany({ where: { visitId: { in: replays.map((r) => r.id) }, kind: "accrual" }, select: { visitId: true, amount: true } })) {
    points.set(e.visitId!, (points.get(e.visitId!) ?? 0) + e.amount);
  }
  for (const { row, id, outdated } of replays) {
    const before = visits.get(row.input.externalId)!;
    outcomes.set(row, { at: row.at, externalId: row.input.externalId, outcome: outdated ? "outdated" : "unchanged", id, accrued: before.completedAt ? (points.get(id) ?? 0) : 0, skippedTooOld: [] });
  }
  return rest;
}
