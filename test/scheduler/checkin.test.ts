import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueStartFlow } from "../../src/domain/visits/care-outbox.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { clinicHelpers } from "./helpers.ts";

describe(`care check-in planner, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  let visits = 0;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  const visit = (clinicId: number, patientId: number, completedAt: string, extra: { isProcedure?: boolean; status?: "completed" | "cancelled"; history?: boolean } = {}) =>
    h.prisma.visit.create({
      data: {
        clinicId,
        patientId,
        externalId: `V-${process.pid}-${++visits}`,
        doctor: "Орлова Ирина Викторовна",
        service: "Удаление зуба",
        serviceCategory: visits % 2 ? "surgery" : null,
        isProcedure: extra.isProcedure ?? true,
        amount: 500_000,
        status: extra.status ?? "completed",
        history: extra.history ?? false,
        startsAt: new Date(new Date(completedAt).getTime() - 3600_000),
        completedAt: new Date(completedAt),
      },
    });

  it("checks in the day after a procedure on the patient's own calendar", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const moscow = await h.patient(clinicId);
    const vladivostok = await h.patient(clinicId, { timezone: "Asia/Vladivostok" });
    const optedOut = await h.patient(clinicId, { optedOut: true });
    // 23:30 on 22 November in Moscow = 06:30 on 23 November in Vladivostok.
    const a = await visit(clinicId, moscow.id, "2026-11-22T20:30:00Z");
    const b = await visit(clinicId, vladivostok.id, "2026-11-22T20:30:00Z");
    await visit(clinicId, moscow.id, "2026-11-22T10:00:00Z", { isProcedure: false });
    await visit(clinicId, moscow.id, "2026-11-22T11:00:00Z", { status: "cancelled" });
    await visit(clinicId, optedOut.id, "2026-11-22T12:00:00Z");
    const early = await visit(clinicId, moscow.id, "2026-11-21T20:59:59Z"); // 23:59:59 on the 21st in Moscow

    // 10:00 on 23 November in Moscow: yesterday is the 22nd there, but the 23rd is "today" in Vladivostok.
    const first = await h.plan(clinicId, "checkin", "2026-11-23T07:00:00Z");
    expect(first).toMatchObject({ planned: 1, skipped: 1, alreadyQueued: 0, flowId: "care-checkin" });
    expect(await h.keys(clinicId)).toEqual([`checkin:${a.id}`]);
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `checkin:${a.id}` } });
    expect(row).toMatchObject({
      category: "care",
      kind: "start-flow",
      identityId: null,
      patientId: moscow.id,
      payload: { startFlow: "care-checkin", context: { visitId: a.id, doctor: a.doctor, service: a.service, serviceCategory: a.serviceCategory } },
    });

    const next = await h.plan(clinicId, "checkin", "2026-11-24T07:00:00Z");
    expect(next.planned).toBe(1);
    expect(await h.keys(clinicId)).toEqual([`checkin:${a.id}`, `checkin:${b.id}`].sort());
    expect(await h.keys(clinicId)).not.toContain(`checkin:${early.id}`);
  });

  it("is a safety net: the check-in the visit queued itself is counted, not doubled", async () => {
    const { id: clinicId } = await h.clinic();
    const patient = await h.patient(clinicId);
    const v = await visit(clinicId, patient.id, "2026-11-22T09:00:00Z");
    await queueStartFlow(h.prisma, {
      clinicId,
      patientId: patient.id,
      key: `checkin:${v.id}`,
      flowId: "care-checkin",
      category: "care",
      context: { visitId: v.id, doctor: v.doctor, service: v.service, serviceCategory: v.serviceCategory },
      dueAt: new Date("2026-11-23T07:00:00Z"),
    });
    const run = await h.plan(clinicId, "checkin", "2026-11-23T07:00:00Z");
    expect(run).toMatchObject({ planned: 0, alreadyQueued: 1, skipped: 0 });
    expect(await h.prisma.outbox.count({ where: { clinicId } })).toBe(1);
  });

  it("starts nothing for a procedure a history import recorded, even one from yesterday", async () => {
    const { id: clinicId } = await h.clinic();
    const patient = await h.patient(clinicId);
    await visit(clinicId, patient.id, "2026-11-22T09:00:00Z", { history: true });
    const run = await h.plan(clinicId, "checkin", "2026-11-23T07:00:00Z");
    expect(run).toMatchObject({ planned: 0, alreadyQueued: 0, counts: { candidates: 0 } });
    expect(await h.prisma.outbox.count({ where: { clinicId } })).toBe(0);
  });
});
