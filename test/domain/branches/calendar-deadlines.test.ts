// A branch's days off and special hours in the deadlines that count working time, on a real
// database: an escalation about a visit at a closed branch is due on its next working day, a
// patient's note that raises it counts on the same calendar, and the call about an unconfirmed
// visit at that branch is due on its calendar too (the clinic's other visits on the clinic's).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client.ts";
import { typedSql } from "../../../src/db/kysely/index.ts";
import { VISIT_REMINDER_PREFIX } from "../../../src/domain/appointments/keys.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import type { ClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { noteForStaff } from "../../../src/domain/escalations/note.ts";
import { openEscalation } from "../../../src/domain/escalations/open.ts";
import { planUnconfirmedCalls } from "../../../src/scheduler/planners/unconfirmed-calls.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient, linkChat } from "../../support/fixtures.ts";

describe(`a branch's own calendar in deadlines on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let settings: ClinicSettings;
  const now = new Date("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  const branch = { closed: 0, short: 0 };
  let seq = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    // An hour to answer an ordinary request; calls about visits up to two days ahead.
    const clinic = await createClinic(db, { sla: { normalHours: 1 }, visitReminders: { confirmByHours: 48 } });
    clinicId = clinic.id;
    settings = parseClinicSettings(clinic.settings);
    // Closed on Monday for a sanitary day; the other works only 09:00–12:00 that Monday.
    branch.closed = (await db.branch.create({ data: { clinicId, code: "north", name: "Северный", reviewLinks: [], calendar: { version: 2, week: null, daysOff: ["2026-11-23"], specialHours: [] } } })).id;
    branch.short = (await db.branch.create({ data: { clinicId, code: "south", name: "Южный", reviewLinks: [], calendar: { version: 2, week: null, daysOff: [], specialHours: [{ date: "2026-11-23", start: "09:00", end: "11:30" }] } } })).id;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const patientAt = async (fullName: string, branchId: number | null) => {
    const patient = await createPatient(db, clinicId, { fullName });
    const visit = await db.visit.create({
      data: { clinicId, patientId: patient.id, externalId: `CV-${++seq}`, doctor: "Громов А. С.", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z"), completedAt: new Date("2026-11-20T09:00:00Z"), branchId },
    });
    const identity = await linkChat(db, clinicId, patient.id, `cal-${seq}`);
    return { patient, visit, identity };
  };
  const scope = (p: Awaited<ReturnType<typeof patientAt>>) => ({ clinicId, timezone: "Europe/Moscow", sla: settings.sla, calendar: settings.calendar, patientId: p.patient.id, identityId: p.identity.id, conversationId: null, now, visitId: p.visit.id });

  it("counts an escalation's answer time on its branch's calendar", async () => {
    const due = async (branchId: number | null) => {
      const p = await patientAt(`Пациент ${++seq}`, branchId);
      const e = await t.db.transaction((tx) => openEscalation(tx, { ...scope(p), reason: "operator_request", priority: "normal" }));
      expect(e.branchId).toBe(branchId);
      return e.slaDueAt.toISOString();
    };
    expect(await due(null)).toBe("2026-11-23T09:00:00.000Z"); // the clinic: Monday 12:00
    expect(await due(branch.closed)).toBe("2026-11-24T07:00:00.000Z"); // closed Monday: Tuesday 10:00
    expect(await due(branch.short)).toBe("2026-11-24T06:30:00.000Z"); // half an hour Monday until 11:30, half Tuesday: 09:30
  });

  it("a note that raises the escalation counts on the same branch's calendar", async () => {
    const p = await patientAt("Заметкина Ольга", branch.closed);
    const first = await t.db.transaction((tx) => noteForStaff(tx, { ...scope(p), reason: "patient_message", priority: "low", text: "Хочу перенести визит" }));
    expect(first.joined).toBe(false);
    const raised = await t.db.transaction((tx) => noteForStaff(tx, { ...scope(p), reason: "patient_message", priority: "normal", text: "Ответьте, пожалуйста" }));
    expect(raised.joined).toBe(true);
    expect(raised.escalation.slaDueAt.toISOString()).toBe("2026-11-24T07:00:00.000Z");
    expect(raised.answerBy.toISOString()).toBe("2026-11-24T07:00:00.000Z");
  });

  it("has the call about an unconfirmed visit due on the visit's branch's calendar", async () => {
    const book = async (fullName: string, branchId: number | null) => {
      const patient = await createPatient(db, clinicId, { fullName });
      await linkChat(db, clinicId, patient.id, `unconfirmed-${++seq}`);
      const slot = await db.slot.create({ data: { clinicId, externalId: `US-${seq}`, doctor: "Лисицына Е. В.", service: "УЗИ", startsAt: new Date("2026-11-25T08:00:00Z"), endsAt: new Date("2026-11-25T08:30:00Z"), status: "booked", branchId } });
      const appointment = await db.appointment.create({ data: { clinicId, patientId: patient.id, slotId: slot.id, branchId } });
      await db.outbox.create({ data: { clinicId, patientId: patient.id, idempotencyKey: `${VISIT_REMINDER_PREFIX}${appointment.id}:24h`, kind: "start-flow", category: "care", payload: {}, dueAt: new Date("2026-11-23T06:00:00Z"), status: "sent", sentAt: new Date("2026-11-23T06:00:00Z") } });
      return appointment.id;
    };
    const atClinic = await book("Клиникова Анна", null);
    const atClosed = await book("Северова Анна", branch.closed);
    const atShort = await book("Южанина Анна", branch.short);
    const planned = await planUnconfirmedCalls({ q: typedSql(t.db), clinicId, clinicZone: "Europe/Moscow", settings, now, flowId: "visit-reminder" });
    expect(planned).toBe(3);
    const dueOf = async (appointmentId: number) => {
      const tasks = await db.escalation.findMany({ where: { clinicId, reason: "visit_unconfirmed" }, select: { details: true, slaDueAt: true } });
      return tasks.find((e) => (e.details as { appointmentId: number }).appointmentId === appointmentId)!.slaDueAt.toISOString();
    };
    expect(await dueOf(atClinic)).toBe("2026-11-23T09:00:00.000Z");
    expect(await dueOf(atClosed)).toBe("2026-11-24T07:00:00.000Z");
    expect(await dueOf(atShort)).toBe("2026-11-24T06:30:00.000Z");
  });
});
