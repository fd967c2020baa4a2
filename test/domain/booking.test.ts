import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { bookSlot, freeSlots } from "../../src/domain/appointments/book.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const now = new Date("2026-11-23T08:00:00Z");

describe(`slot booking on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  const slot = (externalId: string, hoursFromNow: number, service = "Лечение кариеса", doctor = "Громов") =>
    db.slot.create({ data: { clinicId, externalId, doctor, service, startsAt: new Date(now.getTime() + hoursFromNow * 3600_000), endsAt: new Date(now.getTime() + (hoursFromNow + 1) * 3600_000) } });

  it("offers the three soonest free future slots of the right service and doctor", async () => {
    await slot("past", -2);
    const [a, b, c] = [await slot("a", 5), await slot("b", 2), await slot("c", 30)];
    await slot("d", 50);
    await slot("other-service", 1, "Гигиена");
    await slot("other-doctor", 1, "Лечение кариеса", "Орлова");
    const offered = await freeSlots(db, { clinicId, service: "Лечение кариеса", doctor: "Громов", after: now });
    expect(offered.map((s) => s.id)).toEqual([b.id, a.id, c.id]);
  });

  it("gives one slot to exactly one of two patients booking it at the same time", async () => {
    const contested = await slot("contested", 3, "Имплантация");
    const [p1, p2] = [await createPatient(db, clinicId), await createPatient(db, clinicId)];
    const attempt = (patientId: number) =>
      db.$transaction((tx) => bookSlot(tx, { clinicId, patientId, slotId: contested.id, now })).catch((error: unknown) => error);
    const results = await Promise.all([attempt(p1.id), attempt(p2.id), attempt(p1.id), attempt(p2.id)]);
    const winners = results.filter((r) => r && typeof r === "object" && "slotId" in r);
    expect(winners).toHaveLength(1);
    expect(await db.appointment.count({ where: { slotId: contested.id } })).toBe(1);
    expect((await db.slot.findUniqueOrThrow({ where: { id: contested.id } })).status).toBe("booked");
  });

  it("books a follow-up's slot and marks the follow-up booked", async () => {
    const s = await slot("for-followup", 4, "Гигиена");
    const patient = await createPatient(db, clinicId);
    const followUp = await db.followUp.create({ data: { clinicId, patientId: patient.id, service: "Гигиена", dueAt: now } });
    const appointment = await db.$transaction((tx) => bookSlot(tx, { clinicId, patientId: patient.id, slotId: s.id, followUpId: followUp.id, now }));
    expect(appointment).toMatchObject({ patientId: patient.id, slotId: s.id, status: "booked" });
    expect((await db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status).toBe("booked");
    // Nobody books a slot that already started.
    const started = await slot("started", -1, "Гигиена");
    expect(await db.$transaction((tx) => bookSlot(tx, { clinicId, patientId: patient.id, slotId: started.id, now }))).toBeNull();
  });
});
