import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { attemptThresholds } from "../../src/scheduler/planners/followup.ts";
import { clinicHelpers } from "./helpers.ts";

describe("attemptThresholds", () => {
  it("counts gaps in whole days of the clinic's calendar", () => {
    // 11:00 on Thursday 26 November in Moscow.
    const t = attemptThresholds(new Date("2026-11-26T08:00:00Z"), "Europe/Moscow", [0, 3, 7], 4);
    // The last attempt must be before: tomorrow (gap 0), Monday 24:00 (gap 3), the Friday before (gap 7), again 7.
    expect(t.map((d) => d.toISOString())).toEqual(["2026-11-26T21:00:00.000Z", "2026-11-23T21:00:00.000Z", "2026-11-19T21:00:00.000Z", "2026-11-19T21:00:00.000Z"]);
  });
});

describe(`follow-up planner, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  const followUp = (clinicId: number, patientId: number, data: Partial<{ dueAt: string; missedAt: string; attempts: number; lastAttemptAt: string; snoozedUntil: string; status: "open" | "booked" }>) =>
    h.prisma.followUp.create({
      data: {
        clinicId,
        patientId,
        service: "Контрольный осмотр",
        doctor: "Орлова Ирина Викторовна",
        dueAt: new Date(data.dueAt ?? "2026-11-20T07:00:00Z"),
        missedAt: data.missedAt ? new Date(data.missedAt) : null,
        attempts: data.attempts ?? 0,
        lastAttemptAt: data.lastAttemptAt ? new Date(data.lastAttemptAt) : null,
        snoozedUntil: data.snoozedUntil ? new Date(data.snoozedUntil) : null,
        status: data.status ?? "open",
      },
    });
  /** 11:00 in Moscow on the given day of November/December 2026. */
  const at = (date: string) => `${date}T08:00:00Z`;

  it("nudges again after growing gaps, up to maxAttempts, bumping exactly the rows it queues", async () => {
    const { id: clinicId } = await h.clinic({ followUp: { maxAttempts: 3, gapDays: [0, 3, 7] } });
    const patient = await h.patient(clinicId);
    // Missed on Monday 23 November at 15:37 Moscow time; the visit's recording sent attempt 1 then.
    const missed = await followUp(clinicId, patient.id, { missedAt: "2026-11-23T12:37:00Z", attempts: 1, lastAttemptAt: "2026-11-23T12:37:00Z" });
    const state = () => h.prisma.followUp.findUniqueOrThrow({ where: { id: missed.id } });

    for (const day of ["2026-11-24", "2026-11-25"]) {
      expect(await h.plan(clinicId, "followup", at(day))).toMatchObject({ planned: 0, counts: { waitingForGap: 1 } });
    }
    const thursday = await h.plan(clinicId, "followup", at("2026-11-26"));
    expect(thursday).toMatchObject({ planned: 1, skipped: 0, alreadyQueued: 0, flowId: "rebook-followup" });
    expect(await h.keys(clinicId)).toEqual([`followup:${missed.id}:2`]);
    expect(await state()).toMatchObject({ attempts: 2, lastAttemptAt: new Date(at("2026-11-26")) });
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `followup:${missed.id}:2` } });
    expect(row).toMatchObject({ category: "transactional", kind: "start-flow", identityId: null, payload: { startFlow: "rebook-followup", context: { followUpId: missed.id } } });

    // Running again the same day plans and bumps nothing.
    expect(await h.plan(clinicId, "followup", at("2026-11-26"))).toMatchObject({ planned: 0 });
    expect((await state()).attempts).toBe(2);

    // Then a 7-day gap: Thursday 3 December.
    for (const day of ["2026-11-27", "2026-11-30", "2026-12-02"]) expect((await h.plan(clinicId, "followup", at(day))).planned).toBe(0);
    expect((await h.plan(clinicId, "followup", at("2026-12-03"))).planned).toBe(1);
    expect(await state()).toMatchObject({ attempts: 3, lastAttemptAt: new Date(at("2026-12-03")) });

    // Three attempts were the maximum.
    const after = await h.plan(clinicId, "followup", at("2026-12-20"));
    expect(after).toMatchObject({ planned: 0, skipped: 0, counts: { maxAttempts: 1 } });
    expect(await h.keys(clinicId)).toEqual([`followup:${missed.id}:2`, `followup:${missed.id}:3`]);
  });

  it("picks open follow-ups that are missed or overdue and not snoozed, for patients it may write to", async () => {
    const { id: clinicId } = await h.clinic();
    const patient = await h.patient(clinicId);
    const overdue = await followUp(clinicId, patient.id, { dueAt: "2026-11-25T07:00:00Z" });
    const notYet = await followUp(clinicId, patient.id, { dueAt: "2026-11-27T07:00:00Z" });
    const snoozed = await followUp(clinicId, patient.id, { dueAt: "2026-11-20T07:00:00Z", snoozedUntil: "2026-11-28T00:00:00Z" });
    await followUp(clinicId, patient.id, { missedAt: "2026-11-20T07:00:00Z", status: "booked" });
    const optedOut = await h.patient(clinicId, { optedOut: true });
    const quiet = await followUp(clinicId, optedOut.id, { missedAt: "2026-11-24T07:00:00Z" });

    const run = await h.plan(clinicId, "followup", at("2026-11-26"));
    expect(run).toMatchObject({ planned: 1, skipped: 1 });
    expect(await h.keys(clinicId)).toEqual([`followup:${overdue.id}:1`]);
    expect((await h.prisma.followUp.findUniqueOrThrow({ where: { id: quiet.id } })).attempts).toBe(0);

    // Two days later the snooze is over and the other one is overdue too.
    expect((await h.plan(clinicId, "followup", at("2026-11-28"))).planned).toBe(2);
    expect(await h.keys(clinicId)).toEqual([`followup:${overdue.id}:1`, `followup:${snoozed.id}:1`, `followup:${notYet.id}:1`].sort());
  });

  it("bumps attempts once when two runs race", async () => {
    const { id: clinicId } = await h.clinic();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const patient = await h.patient(clinicId);
      ids.push((await followUp(clinicId, patient.id, { missedAt: "2026-11-20T07:00:00Z" })).id);
    }
    const runs = await Promise.all([h.plan(clinicId, "followup", at("2026-11-26")), h.plan(clinicId, "followup", at("2026-11-26"))]);
    expect(runs[0]!.planned + runs[1]!.planned).toBe(10);
    expect(await h.prisma.outbox.count({ where: { clinicId } })).toBe(10);
    const rows = await h.prisma.followUp.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
  });

  it("does not nudge a follow-up long past due: skipped as too old, recorded once for the dashboard", async () => {
    const { id: clinicId } = await h.clinic({ staleAfterDays: { followUp: 60 } });
    const patient = await h.patient(clinicId);
    const ancient = await followUp(clinicId, patient.id, { dueAt: "2026-08-01T07:00:00Z" });
    const missedLately = await followUp(clinicId, patient.id, { dueAt: "2026-08-01T07:00:00Z", missedAt: "2026-11-20T07:00:00Z" });
    const run = await h.plan(clinicId, "followup", at("2026-11-26"));
    expect(run).toMatchObject({ planned: 1, counts: { tooOld: 1 } });
    expect(await h.keys(clinicId)).toEqual([`followup:${ancient.id}:stale`, `followup:${missedLately.id}:1`].sort());
    const stale = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `followup:${ancient.id}:stale` } });
    expect(stale).toMatchObject({ status: "skipped", category: "transactional", payload: { startFlow: "rebook-followup", context: { followUpId: ancient.id } } });
    expect(stale.lastError).toMatch(/^too old: /);
    expect((await h.prisma.followUp.findUniqueOrThrow({ where: { id: ancient.id } })).attempts).toBe(0);
    // The next day: counted among the candidates again, recorded no second time.
    expect(await h.plan(clinicId, "followup", at("2026-11-27"))).toMatchObject({ planned: 0, counts: { tooOld: 1 } });
    expect(await h.prisma.outbox.count({ where: { clinicId, status: "skipped" } })).toBe(1);
  });

  it("does not nudge a follow-up a history import brought in overdue; one it brought in for later is nudged when due", async () => {
    const { id: clinicId } = await h.clinic();
    const patient = await h.patient(clinicId);
    const historic = await h.prisma.visit.create({
      data: { clinicId, patientId: patient.id, externalId: "H-1", doctor: "Орлова", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-01T07:00:00Z"), completedAt: new Date("2026-11-01T07:00:00Z"), history: true },
    });
    const imported = new Date("2026-11-24T08:00:00Z");
    const base = { clinicId, patientId: patient.id, visitId: historic.id, doctor: null, createdAt: imported };
    const overdue = await h.prisma.followUp.create({ data: { ...base, service: "Контроль", dueAt: new Date("2026-11-15T07:00:00Z") } });
    const later = await h.prisma.followUp.create({ data: { ...base, service: "Гигиена", dueAt: new Date("2026-12-01T07:00:00Z") } });
    expect(await h.plan(clinicId, "followup", at("2026-11-26"))).toMatchObject({ planned: 0, counts: { history: 1 } });
    expect(await h.plan(clinicId, "followup", at("2026-12-02"))).toMatchObject({ planned: 1, counts: { history: 1 } });
    expect(await h.keys(clinicId)).toEqual([`followup:${later.id}:1`]);
    expect((await h.prisma.followUp.findUniqueOrThrow({ where: { id: overdue.id } })).attempts).toBe(0);
  });
});
