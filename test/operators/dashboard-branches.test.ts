// The dashboard of one branch on a real database: appointments (confirmed, cancelled, reminders
// sent, shows) and reachable messengers count that branch's only; the whole network's figures
// add both branches up. Points stay the network's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { VISIT_REMINDER_PREFIX } from "../../src/domain/appointments/keys.ts";
import { dashboardFigures } from "../../src/operators/dashboard/figures.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

describe(`the dashboard per branch on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const now = new Date("2026-11-23T08:00:00Z");
  let seq = 0;

  /** A patient seen at the branch, with a Telegram chat, whose next appointment there was reminded and confirmed (or cancelled). */
  const patientOf = async (branchId: number, outcome: "confirmed" | "cancelled") => {
    const patient = await createPatient(db, clinicId, { fullName: `Пациент ${++seq}`, balance: 100 });
    await linkChat(db, clinicId, patient.id, `dash-${seq}`);
    await db.visit.create({ data: { clinicId, patientId: patient.id, externalId: `DV-${seq}`, doctor: "Громов А. С.", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-10T08:00:00Z"), completedAt: new Date("2026-11-10T09:00:00Z"), branchId } });
    const slot = await db.slot.create({ data: { clinicId, externalId: `DS-${seq}`, doctor: "Громов А. С.", service: "Осмотр", startsAt: new Date("2026-11-25T08:00:00Z"), endsAt: new Date("2026-11-25T08:30:00Z"), status: "booked", branchId } });
    const appointment = await db.appointment.create({
      data: { clinicId, patientId: patient.id, slotId: slot.id, branchId, ...(outcome === "confirmed" ? { confirmedAt: new Date("2026-11-22T10:00:00Z") } : { status: "cancelled", cancelledAt: new Date("2026-11-22T10:00:00Z") }) },
    });
    await db.outbox.create({ data: { clinicId, patientId: patient.id, idempotencyKey: `${VISIT_REMINDER_PREFIX}${appointment.id}:48h`, kind: "start-flow", category: "care", payload: {}, dueAt: new Date("2026-11-22T08:00:00Z"), status: "sent", sentAt: new Date("2026-11-22T08:00:00Z") } });
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    const north = (await db.branch.create({ data: { clinicId, code: "north", name: "Северный", reviewLinks: [] } })).id;
    const south = (await db.branch.create({ data: { clinicId, code: "south", name: "Южный", reviewLinks: [] } })).id;
    await patientOf(north, "confirmed");
    await patientOf(north, "confirmed");
    await patientOf(north, "cancelled");
    await patientOf(south, "confirmed");
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("counts appointments and messengers per branch, points for the network", async () => {
    const all = await dashboardFigures(t.db, clinicId, now);
    const north = await dashboardFigures(t.db, clinicId, now, "north");
    const south = await dashboardFigures(t.db, clinicId, now, "south");
    expect(all.appointments).toMatchObject({ remindersSent: 4, confirmed: 3, cancelled: 1 });
    expect(north.appointments).toMatchObject({ remindersSent: 3, confirmed: 2, cancelled: 1 });
    expect(south.appointments).toMatchObject({ remindersSent: 1, confirmed: 1, cancelled: 0 });
    expect(all.channels.reachable.telegram).toBe(4);
    expect(north.channels.reachable.telegram).toBe(3);
    expect(south.channels.reachable.telegram).toBe(1);
    // A patient's points are spent at any branch: the liability is the network's.
    expect(south.bonus.outstanding).toBe(all.bonus.outstanding);
    expect(south.branch).toEqual({ code: "south", name: "Южный" });
  });
});
