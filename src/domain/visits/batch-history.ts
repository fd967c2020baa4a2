// The history rows of a batch whose visits CareBot has never seen, recorded together in a few
// statements with recordVisit's rules for history (src/api/mis/README.md, "History").
import type { Database, Tx } from "../../db/client.ts";
import { insertFollowUps, insertVisits, raiseLastCompletedVisit } from "../../db/queries/visit-history.ts";
import { accrueForNewVisits } from "../bonus/ledger.ts";
import { parseClinicSettings } from "../clinic/settings.ts";
import { rewardReferral } from "../referrals/reward.ts";
import type { BatchOutcome, BatchRow } from "./batch-types.ts";
import type { RecordScope, VisitInput } from "./record-visit.ts";
import { visitEnd } from "./visit-time.ts";

/**
 * The history rows of visits new to CareBot, recorded together; returns the rows left for
 * recordVisit. A visit is completed on its own clock and marked `history`, so no planner starts
 * anything for it; a missed one is a fact only, as in recordVisit.
 */
export async function recordNewHistory(tx: Tx, scope: RecordScope & { provider: Database["provider"] }, rows: BatchRow[], outcomes: Map<BatchRow, BatchOutcome>): Promise<BatchRow[]> {
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

  const inserted = await insertVisits(
    tx,
    scope.provider,
    fresh.map(({ input, patientId }) => ({
      clinicId,
      patientId,
      externalId: input.externalId,
      doctor: input.doctor,
      service: input.service,
      serviceCategory: input.serviceCategory,
      isProcedure: input.isProcedure,
      amount: input.amount,
      status: input.status,
      startsAt: input.startsAt,
      endsAt: input.endsAt ?? null,
      completedAt: input.status === "completed" ? visitEnd(input, now) : null,
      history: input.status === "completed",
      misUpdatedAt: input.updatedAt ?? null,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const insertedIds = new Map(inserted.map((v) => [v.externalId, v.id]));
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
    await insertFollowUps(
      tx,
      scope.provider,
      followUps.map(({ row, visit }) => ({ clinicId, patientId: visit.patientId, visitId: visit.id, service: row.input.followUp!.service, doctor: row.input.followUp!.doctor ?? null, dueAt: row.input.followUp!.dueAt, createdAt: now, updatedAt: now })),
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
    await raiseLastCompletedVisit(tx, scope.provider, { clinicId, now }, completedPatients);
  }

  for (const { row } of fresh) {
    const visit = byExternalId.get(row.input.externalId)!;
    outcomes.set(row, { at: row.at, externalId: row.input.externalId, outcome: "created", id: visit.id, accrued: accrued.get(visit.id) ?? 0, skippedTooOld: [] });
  }
  return rest;
}
