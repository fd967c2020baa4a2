// The history rows of a batch whose visits CareBot has never seen, recorded together in a few
// statements with recordVisit's rules for history (src/api/mis/README.md, "History").
import type { Database, Tx } from "../../db/client.ts";
import { insertRows } from "../../db/insert-rows.ts";
import { enumValue, typedSqlOn } from "../../db/kysely/index.ts";
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

  const runner = typedSqlOn(tx, scope.provider);
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
  const completed = enumValue(provider, "VisitStatus", "completed");
  await typedSqlOn(tx, provider)
    .updateTable("Patient")
    .set((eb) => ({
      lastCompletedVisitAt: eb.selectFrom("Visit as v").select((v) => v.fn.max("v.completedAt").as("latest")).whereRef("v.patientId", "=", "Patient.id").where("v.status", "=", completed),
      updatedAt: now,
    }))
    .where("clinicId", "=", clinicId)
    .where("id", "in", patientIds)
    .where((eb) =>
      eb.or([
        eb("lastCompletedVisitAt", "is", null),
        eb("lastCompletedVisitAt", "<", eb.selectFrom("Visit as v").select((v) => v.fn.max("v.completedAt").as("latest")).whereRef("v.patientId", "=", "Patient.id").where("v.status", "=", completed)),
      ]),
    )
    .execute();
}
