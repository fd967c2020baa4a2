// Many visits in one transaction (POST /api/visits/batch, `carebot import visits`), each with its
// own outcome. Live postings go through recordVisit one by one. A history import records visits
// CareBot has never seen in a few statements per batch (the visits, their points, their
// follow-ups, the patients' last visit) with exactly recordVisit's rules for history; any other
// row (a visit already known, the same visit twice, an unknown patient) goes through recordVisit.
import type { Database, Tx } from "../../db/client.ts";
import { insertRows } from "../../db/insert-rows.ts";
import { SqlStatement, sqlRunner } from "../../db/sql-statement.ts";
import { accrueForNewVisits } from "../bonus/ledger.ts";
import { parseClinicSettings } from "../clinic/settings.ts";
import { rewardReferral } from "../referrals/reward.ts";
import type { StaleKind } from "./care-messages.ts";
import { recordVisit, VisitRefused } from "./record-visit.ts";
import type { RecordScope, VisitInput } from "./record-visit.ts";
import { visitChanges } from "./visit-changes.ts";
import { visitEnd } from "./visit-time.ts";

export interface BatchRow {
  /** The row's place in the caller's list (index in the body, line of the file). */
  at: number;
  input: VisitInput;
}

export type BatchOutcome =
  | { at: number; externalId: string; outcome: "created" | "updated" | "unchanged" | "outdated"; id: number; accrued: number; skippedTooOld: StaleKind[] }
  | { at: number; externalId: string; outcome: "refused"; field: string; error: string };

/** Records the rows in order (a history import: new visits together, first); one outcome per row, in the rows' order. */
export async function recordVisitBatch(tx: Tx, scope: RecordScope & { provider: Database["provider"] }, rows: BatchRow[]): Promise<BatchOutcome[]> {
  const outcomes = new Map<BatchRow, BatchOutcome>();
  const changing = await answerReplays(tx, scope, rows, outcomes);
  const rest = scope.history ? await recordNewHistory(tx, scope, changing, outcomes) : changing;
  for (const row of rest) outcomes.set(row, await recordOne(tx, scope, row));
  return rows.map((row) => outcomes.get(row)!);
}

async function recordOne(tx: Tx, scope: RecordScope, row: BatchRow): Promise<BatchOutcome> {
  const externalId = row.input.externalId;
  try {
    const r = await recordVisit(tx, scope, row.input);
    const outcome = r.outdated ? "outdated" : r.created ? "created" : r.changed ? "updated" : "unchanged";
    return { at: row.at, externalId, outcome, id: r.id, accrued: r.accrued, skippedTooOld: r.skippedTooOld };
  } catch (error) {
    if (error instanceof VisitRefused) return { at: row.at, externalId, outcome: "refused", field: error.field, error: error.message };
    throw error;
  }
}

/**
 * Rows that change nothing, answered without writing: a replay of the recorded state, or a
 * posting older (by the MIS's updatedAt) than it. Re-running an import costs a few reads per
 * batch. Returns the other rows. Only visits that appear once in the batch are judged here.
 */
async function answerReplays(tx: Tx, scope: RecordScope, rows: BatchRow[], outcomes: Map<BatchRow, BatchOutcome>): Promise<BatchRow[]> {
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

/**
 * The history rows of visits new to CareBot, recorded together; returns the rows left for
 * recordVisit. A visit is completed on its own clock and marked `history`, so no planner starts
 * anything for it; a missed one is a fact only, as in recordVisit.
 */
async function recordNewHistory(tx: Tx, scope: RecordScope & { provider: Database["provider"] }, rows: BatchRow[], outcomes: Map<BatchRow, BatchOutcome>): Promise<BatchRow[]> {
  const { clinicId, now } = scope;
  const ids = [...new Set(rows.map((r) => r.input.externalId))];
  const patients = new Map(
    (await tx.patient.findMany({ where: { clinicId, externalId: { in: [...new Set(rows.map((r) => r.input.patientExternalId))] } }, select: { id: true, externalId: true } })).map((p) => [p.externalId, p.id]),
  );
  const known = new Set((await tx.visit.findMany({ where: { clinicId, externalId: { in: ids } }, select: { externalId: true } })).map((v) => v.externalId));
  const fresh: { row: BatchRow; input: VisitInput; patientId: number }[] = [];
  const rest: BatchRow[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const patientId = patients.get(row.input.patientExternalId);
    if (patientId === undefined || known.has(row.input.externalId) || seen.has(row.input.externalId)) rest.push(row);
    else fresh.push({ row, input: row.input, patientId });
    seen.add(row.input.externalId);
  }
  if (fresh.length === 0) return rest;
  // In the order the visits happened: a patient's welcome bonus goes with their first visit.
  fresh.sort((a, b) => a.input.startsAt.getTime() - b.input.startsAt.getTime() || a.row.at - b.row.at);

  const runner = sqlRunner(tx, scope.provider);
  const visitColumns = [
    ["clinicId", "int"],
    ["patientId", "int"],
    ["externalId", "text"],
    ["doctor", "text"],
    ["service", "text"],
    ["serviceCategory", "text"],
    ["isProcedure", "bool"],
    ["amount", "int"],
    ["status", { enum: "VisitStatus" }],
    ["startsAt", "time"],
    ["endsAt", "time"],
    ["completedAt", "time"],
    ["history", "bool"],
    ["misUpdatedAt", "time"],
    ["createdAt", "time"],
    ["updatedAt", "time"],
  ] as const;
  const inserted = await insertRows<{ id: unknown; externalId: string }>(
    runner,
    "Visit",
    visitColumns,
    fresh.map(({ input, patientId }) => [
      clinicId,
      patientId,
      input.externalId,
      input.doctor,
      input.service,
      input.serviceCategory,
      input.isProcedure,
      input.amount,
      input.status,
      input.startsAt,
      input.endsAt ?? null,
      input.status === "completed" ? visitEnd(input, now) : null,
      input.status === "completed",
      input.updatedAt ?? null,
      now,
      now,
    ]),
    ["id", "externalId"],
  );
  const insertedIds = new Map(inserted.map((v) => [v.externalId, Number(v.id)]));
  const created = fresh.map(({ input, patientId }) => ({
    id: insertedIds.get(input.externalId)!,
    externalId: input.externalId,
    patientId,
    amount: input.amount,
    serviceCategory: input.serviceCategory,
    completedAt: input.status === "completed" ? visitEnd(input, now) : null,
  }));
  const byExternalId = new Map(created.map((v) => [v.externalId, v]));
  const completed = fresh.filter((r) => r.input.status === "completed").map((r) => ({ row: r.row, visit: byExternalId.get(r.input.externalId)! }));

  const clinic = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { settings: true } });
  const rules = parseClinicSettings(clinic.settings).bonus;
  const { accrued } = await accrueForNewVisits(tx, {
    clinicId,
    provider: scope.provider,
    rules,
    now,
    visits: completed.map(({ visit }) => ({ patientId: visit.patientId, visit: { ...visit, completedAt: visit.completedAt! } })),
  });

  const followUps = completed.filter(({ row }) => row.input.followUp);
  if (followUps.length > 0) {
    const columns = [["clinicId", "int"], ["patientId", "int"], ["visitId", "int"], ["service", "text"], ["doctor", "text"], ["dueAt", "time"], ["createdAt", "time"], ["updatedAt", "time"]] as const;
    await insertRows(
      runner,
      "FollowUp",
      columns,
      followUps.map(({ row, visit }) => [clinicId, visit.patientId, visit.id, row.input.followUp!.service, row.input.followUp!.doctor ?? null, row.input.followUp!.dueAt, now, now]),
      ["id"],
    );
  }

  // A referee whose first completed visit is in the history is rewarded as recordVisit would, dated at that visit.
  const completedPatients = [...new Set(completed.map(({ visit }) => visit.patientId))];
  if (completedPatients.length > 0) {
    const pending = await tx.referral.findMany({ where: { clinicId, status: "pending", refereeId: { in: completedPatients } }, select: { refereeId: true } });
    for (const { refereeId } of pending) {
      const first = completed.find(({ visit }) => visit.patientId === refereeId)!;
      await rewardReferral(tx, { clinicId, refereeId, rules, now: first.visit.completedAt! });
    }
    await raiseLastVisit(tx, scope.provider, { clinicId, now }, completedPatients);
  }

  for (const { row } of fresh) {
    const visit = byExternalId.get(row.input.externalId)!;
    outcomes.set(row, { at: row.at, externalId: row.input.externalId, outcome: "created", id: visit.id, accrued: accrued.get(visit.id) ?? 0, skippedTooOld: [] });
  }
  return rest;
}

/** The patients' last completed visit, raised to their latest visit's own time (never moved back), in one statement. */
async function raiseLastVisit(tx: Tx, provider: Database["provider"], { clinicId, now }: { clinicId: number; now: Date }, patientIds: number[]): Promise<void> {
  // In slices: SQLite takes at most 999 parameters in one statement.
  if (patientIds.length > 500) {
    for (let i = 0; i < patientIds.length; i += 500) await raiseLastVisit(tx, provider, { clinicId, now }, patientIds.slice(i, i + 500));
    return;
  }
  const s = new SqlStatement(provider);
  const latest = `(SELECT MAX(v."completedAt") FROM "Visit" v WHERE v."patientId" = "Patient"."id" AND v."status" = ${s.enumValue("VisitStatus", "completed")})`;
  await s.execute(
    sqlRunner(tx, provider),
    `UPDATE "Patient" SET "lastCompletedVisitAt" = ${latest}, "updatedAt" = ${s.time(now)}
     WHERE "clinicId" = ${s.value(clinicId)} AND "id" IN (${s.list(patientIds)})
       AND ("lastCompletedVisitAt" IS NULL OR "lastCompletedVisitAt" < ${latest})`,
  );
}

export interface BatchSummary {
  created: number;
  updated: number;
  unchanged: number;
  outdated: number;
  refused: number;
  /** Conversations skipped as too old, by kind (live postings only: history starts none). */
  skippedTooOld: Record<StaleKind, number>;
}

export function emptyBatchSummary(): BatchSummary {
  return { created: 0, updated: 0, unchanged: 0, outdated: 0, refused: 0, skippedTooOld: { nps: 0, checkin: 0, followup: 0 } };
}

/** Adds outcomes to a running summary (an import sums its batches). */
export function addToSummary(summary: BatchSummary, outcomes: readonly BatchOutcome[]): BatchSummary {
  for (const o of outcomes) {
    summary[o.outcome]++;
    if (o.outcome !== "refused") for (const kind of o.skippedTooOld) summary.skippedTooOld[kind]++;
  }
  return summary;
}
