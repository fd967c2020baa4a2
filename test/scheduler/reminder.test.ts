import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookSlot } from "../../src/domain/appointments/book.ts";
import { cancelAppointment, confirmAppointment } from "../../src/domain/appointments/manage.ts";
import { syncVisitAppointment } from "../../src/domain/appointments/visit-appointment.ts";
import { reminderBands } from "../../src/scheduler/planners/reminder.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { clinicHelpers } from "./helpers.ts";

describe("reminder bands", () => {
  it("give each visit the nearest offset whose moment has come", () => {
    const offsets = [{ daysBefore: 1, at: "12:00" }, { hoursBefore: 2 }];
    // 11:00 on Wednesday in Moscow: Tuesday's 12:00 has passed, so visits up to Wednesday's end are due a day-before reminder.
    expect(reminderBands(new Date("2026-12-02T08:00:00Z"), "Europe/Moscow", offsets)).toEqual([
      { id: "h2", before: new Date("2026-12-02T10:00:00.001Z") },
      { id: "d1-1200", before: new Date("2026-12-02T21:00:00Z") },
    ]);
    // At 12:00 Thursday's visits join.
    expect(reminderBands(new Date("2026-12-02T09:00:00Z"), "Europe/Moscow", offsets)[1]).toEqual({ id: "d1-1200", before: new Date("2026-12-03T21:00:00Z") });
  });
});

describe(`visit reminder planner, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  let seq = 0;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  /** A scheduled visit the MIS posted at `postedAt`, and its appointment. */
  const scheduled = async (clinicId: number, patientId: number, startsAt: string, postedAt = "2026-12-01T06:00:00Z") => {
    const visit = await h.prisma.visit.create({
      data: { clinicId, patientId, externalId: `SV-${process.pid}-${++seq}`, doctor: "Громов А. С.", service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt: new Date(startsAt) },
    });
    await h.prisma.$transaction((tx) => syncVisitAppointment(tx, { clinicId, visitId: visit.id, now: new Date(postedAt) }));
    return h.prisma.appointment.findFirstOrThrow({ where: { visitId: visit.id, status: "booked" } });
  };
  const reminderKeys = async (clinicId: number) => (await h.keys(clinicId)).filter((k) => k.startsWith("visit-reminder:"));

  it("reminds the day before at the clinic's hour in the patient's zone, then two hours before, each once", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const anna = await h.patient(clinicId);
    const ivan = await h.patient(clinicId, { timezone: "Asia/Vladivostok" });
    // Thursday 3 December, 15:00 in Moscow and 15:00 in Vladivostok.
    const a = await scheduled(clinicId, anna.id, "2026-12-03T12:00:00Z");
    const b = await scheduled(clinicId, ivan.id, "2026-12-03T05:00:00Z");

    // Wednesday 12:00 in Vladivostok (05:00 in Moscow): Ivan's reminder only.
    expect(await h.plan(clinicId, "reminder", "2026-12-02T02:00:00Z")).toMatchObject({ planned: 1, flowId: "visit-reminder" });
    expect(await reminderKeys(clinicId)).toEqual([`visit-reminder:${b.id}:d1-1200`]);
    expect(await h.plan(clinicId, "reminder", "2026-12-02T08:55:00Z")).toMatchObject({ planned: 0, alreadyQueued: 1 });
    // Wednesday 12:00 in Moscow.
    expect(await h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z")).toMatchObject({ planned: 1, alreadyQueued: 1 });
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `visit-reminder:${a.id}:d1-1200` } });
    expect(row).toMatchObject({ kind: "start-flow", category: "care", patientId: anna.id, payload: { startFlow: "visit-reminder", context: { appointmentId: a.id } } });
    // Again on another process, or later that day: nothing new.
    expect(await h.plan(clinicId, "reminder", "2026-12-02T15:00:00Z")).toMatchObject({ planned: 0 });
    // Two hours before each visit.
    expect(await h.plan(clinicId, "reminder", "2026-12-03T03:00:00Z")).toMatchObject({ planned: 1 });
    expect(await h.plan(clinicId, "reminder", "2026-12-03T10:00:00Z")).toMatchObject({ planned: 1 });
    expect(await reminderKeys(clinicId)).toEqual([`visit-reminder:${a.id}:d1-1200`, `visit-reminder:${a.id}:h2`, `visit-reminder:${b.id}:d1-1200`, `visit-reminder:${b.id}:h2`].sort());
  });

  it("keeps quiet hours, skips opted-out patients, and forgets cancelled and moved visits", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const early = await h.patient(clinicId);
    const optedOut = await h.patient(clinicId, { optedOut: true });
    const cancelling = await h.patient(clinicId);
    // 09:30 on Thursday in Moscow: two hours before is 07:30, inside the quiet hours (21:00–09:00).
    const e = await scheduled(clinicId, early.id, "2026-12-03T06:30:00Z");
    await scheduled(clinicId, optedOut.id, "2026-12-03T12:00:00Z");
    const c = await scheduled(clinicId, cancelling.id, "2026-12-03T12:00:00Z");

    const day = await h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z");
    expect(day).toMatchObject({ planned: 2, skipped: 1 });
    expect(day.counts).toMatchObject({ optedOut: 1 });
    // The patient cancels in the chat: the slot is free again and the queued reminder is withdrawn.
    await h.prisma.$transaction((tx) => cancelAppointment(tx, { clinicId, patientId: cancelling.id, appointmentId: c.id, reason: "заболел", now: new Date("2026-12-02T09:01:00Z") }));
    expect(await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `visit-reminder:${c.id}:d1-1200` } })).toMatchObject({ status: "skipped" });
    expect(await h.prisma.slot.findUniqueOrThrow({ where: { id: c.slotId } })).toMatchObject({ status: "free" });

    const quiet = await h.plan(clinicId, "reminder", "2026-12-03T04:30:00Z");
    expect(quiet).toMatchObject({ planned: 0 });
    expect(quiet.counts).toMatchObject({ quietHours: 1 });
    expect(await h.plan(clinicId, "reminder", "2026-12-03T06:00:00Z")).toMatchObject({ planned: 1 });
    expect(await reminderKeys(clinicId)).toEqual([`visit-reminder:${c.id}:d1-1200`, `visit-reminder:${e.id}:d1-1200`, `visit-reminder:${e.id}:h2`].sort());
  });

  it("queues each reminder once when two processes plan the same moment at once", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const booked = [];
    for (let i = 0; i < 6; i++) booked.push(await scheduled(clinicId, (await h.patient(clinicId)).id, `2026-12-03T${String(7 + i).padStart(2, "0")}:00:00Z`));
    const runs = await Promise.all([h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z"), h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z")]);
    expect(runs[0]!.planned + runs[1]!.planned).toBe(6);
    expect(runs.map((r) => r.planned + r.alreadyQueued)).toEqual([6, 6]);
    expect(await reminderKeys(clinicId)).toEqual(booked.map((a) => `visit-reminder:${a.id}:d1-1200`).sort());
  });

  it("follows the MIS when it moves or cancels a visit: the old time's reminder is withdrawn, the new time reminded", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const patient = await h.patient(clinicId);
    const first = await scheduled(clinicId, patient.id, "2026-12-03T12:00:00Z");
    await h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z");
    // The MIS moves the visit to Friday.
    await h.prisma.visit.update({ where: { id: first.visitId! }, data: { startsAt: new Date("2026-12-04T12:00:00Z") } });
    await h.prisma.$transaction((tx) => syncVisitAppointment(tx, { clinicId, visitId: first.visitId!, now: new Date("2026-12-02T09:30:00Z") }));
    expect(await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `visit-reminder:${first.id}:d1-1200` } })).toMatchObject({ status: "skipped", lastError: "visit moved by the clinic" });
    expect(await h.prisma.slot.findUniqueOrThrow({ where: { id: first.slotId } })).toMatchObject({ status: "free" });
    const moved = await h.prisma.appointment.findFirstOrThrow({ where: { visitId: first.visitId!, status: "booked" } });
    expect(await h.plan(clinicId, "reminder", "2026-12-03T09:00:00Z")).toMatchObject({ planned: 1 });
    expect(await reminderKeys(clinicId)).toEqual([`visit-reminder:${first.id}:d1-1200`, `visit-reminder:${moved.id}:d1-1200`].sort());
    // Then cancels it: nothing more is planned.
    await h.prisma.visit.update({ where: { id: first.visitId! }, data: { status: "cancelled" } });
    await h.prisma.$transaction((tx) => syncVisitAppointment(tx, { clinicId, visitId: first.visitId!, now: new Date("2026-12-03T10:00:00Z") }));
    expect(await h.prisma.appointment.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ status: "cancelled", cancelReason: "cancelled by the clinic" });
    expect(await h.plan(clinicId, "reminder", "2026-12-04T10:01:00Z")).toMatchObject({ planned: 0 });
  });

  it("lets a booking just made in the chat rest before its first reminder", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const patient = await h.patient(clinicId);
    const slot = await h.prisma.slot.create({
      data: { clinicId, externalId: `S-${++seq}`, doctor: "Громов А. С.", service: "Лечение кариеса", startsAt: new Date("2026-12-03T12:00:00Z"), endsAt: new Date("2026-12-03T12:30:00Z") },
    });
    const booked = await h.prisma.$transaction((tx) => bookSlot(tx, { clinicId, patientId: patient.id, slotId: slot.id, now: new Date("2026-12-02T12:00:00Z") }));
    const right = await h.plan(clinicId, "reminder", "2026-12-02T12:30:00Z");
    expect(right).toMatchObject({ planned: 0 });
    expect(right.counts).toMatchObject({ justBooked: 1 });
    expect(await h.plan(clinicId, "reminder", "2026-12-02T14:05:00Z")).toMatchObject({ planned: 1 });
    expect(await reminderKeys(clinicId)).toEqual([`visit-reminder:${booked!.id}:d1-1200`]);
  });

  it("asks the staff to call a reminded patient who has not confirmed three hours before, once", async () => {
    const { id: clinicId } = await h.clinic({}, "Europe/Moscow");
    const silent = await h.patient(clinicId);
    const confirming = await h.patient(clinicId);
    const s = await scheduled(clinicId, silent.id, "2026-12-03T12:00:00Z");
    const c = await scheduled(clinicId, confirming.id, "2026-12-03T12:00:00Z");
    await h.plan(clinicId, "reminder", "2026-12-02T09:00:00Z");
    await h.prisma.outbox.updateMany({ where: { clinicId, idempotencyKey: { startsWith: "visit-reminder:" } }, data: { status: "sent", sentAt: new Date("2026-12-02T09:00:00Z") } });
    await h.prisma.$transaction((tx) => confirmAppointment(tx, { clinicId, patientId: confirming.id, appointmentId: c.id, now: new Date("2026-12-02T09:10:00Z") }));

    expect((await h.plan(clinicId, "reminder", "2026-12-03T08:55:00Z")).counts).toMatchObject({ callsForStaff: 0 });
    expect((await h.plan(clinicId, "reminder", "2026-12-03T09:00:00Z")).counts).toMatchObject({ callsForStaff: 1 });
    expect((await h.plan(clinicId, "reminder", "2026-12-03T09:05:00Z")).counts).toMatchObject({ callsForStaff: 0 });
    const tasks = await h.prisma.escalation.findMany({ where: { clinicId } });
    expect(tasks).toEqual([
      expect.objectContaining({ patientId: silent.id, reason: "visit_unconfirmed", priority: "normal", status: "open", slaDueAt: new Date("2026-12-03T12:00:00Z"), details: expect.objectContaining({ appointmentId: s.id }) }),
    ]);
  });
});
