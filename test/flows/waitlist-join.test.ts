import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookSlot } from "../../src/domain/appointments/book.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

describe(`the waitlist asked for in words or from the menu, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  // Wednesday 2 December 2026, 13:00 in Moscow.
  const clock = new FixedClock("2026-12-02T10:00:00Z");
  let chats = 0;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  const setUp = async () => {
    const clinic = await createClinic(t.db.prisma, { quietHours: { start: "00:00", end: "00:00" } });
    const patient = await createPatient(t.db.prisma, clinic.id);
    const chatId = `waitlist-join-${process.pid}-${++chats}`;
    await linkChat(t.db.prisma, clinic.id, patient.id, chatId);
    const slot = (externalId: string, startsAt: string, doctor = "Орлова И. В.") =>
      t.db.prisma.slot.create({
        data: { clinicId: clinic.id, externalId: `${chatId}-${externalId}`, service: "Консультация терапевта", doctor, startsAt: new Date(startsAt), endsAt: new Date(new Date(startsAt).getTime() + 1800_000) },
      });
    return { clinic, patient, chatId, r: createTestRouter(t.db, clock, clinic.id), slot };
  };
  const entries = (patientId: number) => t.db.prisma.waitlistEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } });

  it("«Сообщите, если освободится время раньше»: the next visit waits for an earlier time of its doctor, which the waitlist then offers", async () => {
    const { clinic, patient, chatId, r, slot } = await setUp();
    const booked = await slot("late", "2026-12-10T07:00:00Z");
    const appointment = await t.db.prisma.$transaction((tx) => bookSlot(tx, { clinicId: clinic.id, patientId: patient.id, slotId: booked.id, now: new Date("2026-11-30T10:00:00Z") }));

    await r.text(chatId, "Сообщите, пожалуйста, если освободится время раньше");
    expect((await r.outbox(chatId)).at(-1)!.text).toBe(
      "Хорошо, мы вас записали в лист ожидания. Сейчас ваш визит — 10 декабря в 10:00, Консультация терапевта (врач Орлова И. В.). " +
        "Если у врача освободится время раньше, мы сразу напишем, и перенести визит можно будет одним нажатием. А пока ваша запись остаётся в силе.",
    );
    const [entry] = await entries(patient.id);
    expect(entry).toMatchObject({ appointmentId: appointment!.id, service: "Консультация терапевта", doctor: "Орлова И. В.", status: "waiting" });

    // Asking again (in other words) keeps the one entry.
    await r.text(chatId, "хочу в лист ожидания");
    expect(await entries(patient.id)).toHaveLength(1);

    // Another patient cancels an earlier visit with the same doctor: the waitlist offers it.
    const freed = await slot("early", "2026-12-04T07:00:00Z");
    const run = await runPlanner(t.db, "waitlist", { clinicId: clinic.id, now: clock.now() });
    expect(run.planned).toBe(1);
    expect(await t.db.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `waitlist:${freed.id}:${entry!.id}` } })).toMatchObject({ kind: "start-flow", patientId: patient.id });
  });

  it("from the menu, with a visit the doctor recommended: waits for the first free time of that service and doctor", async () => {
    const { clinic, patient, chatId, r } = await setUp();
    const visit = await t.db.prisma.visit.create({
      data: { clinicId: clinic.id, patientId: patient.id, externalId: `WV-${chatId}`, doctor: "Орлова И. В.", service: "Лечение кариеса", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z") },
    });
    await t.db.prisma.followUp.create({
      data: { clinicId: clinic.id, patientId: patient.id, visitId: visit.id, service: "Консультация терапевта", doctor: "Смирнов А. В.", dueAt: new Date("2026-12-15T08:00:00Z") },
    });

    await r.text(chatId, "меню");
    const menu = (await r.outbox(chatId)).at(-1)!;
    const item = menu.options!.find((o) => o.label === "Лист ожидания");
    expect(item).toMatchObject({ value: "menu-waitlist-join" });
    await r.send(chatId, { type: "CHOICE", value: String(item!.value) });
    expect((await r.outbox(chatId)).at(-1)!.text).toBe(
      "Хорошо, мы вас записали в лист ожидания: Консультация терапевта (врач Смирнов А. В.). Как только освободится время, мы сразу напишем — записаться можно будет одним нажатием.",
    );
    expect(await entries(patient.id)).toEqual([expect.objectContaining({ appointmentId: null, service: "Консультация терапевта", doctor: "Смирнов А. В.", status: "waiting" })]);
    await r.send(chatId, { type: "CHOICE", value: String(item!.value) });
    expect(await entries(patient.id)).toHaveLength(1);
  });

  it("with nothing booked or recommended, points to «записаться» instead of promising", async () => {
    const { patient, chatId, r } = await setUp();
    await r.text(chatId, "хочу в лист ожидания");
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Сейчас у вас нет записи, которую можно было бы перенести пораньше\. Напишите «записаться»/);
    expect(await entries(patient.id)).toEqual([]);
  });

  it("speaks English to an English-speaking patient", async () => {
    const { clinic, patient, chatId, r, slot } = await setUp();
    await t.db.prisma.patient.update({ where: { id: patient.id }, data: { locale: "en" } });
    const booked = await slot("late", "2026-12-10T07:00:00Z");
    await t.db.prisma.$transaction((tx) => bookSlot(tx, { clinicId: clinic.id, patientId: patient.id, slotId: booked.id, now: new Date("2026-11-30T10:00:00Z") }));
    await r.send(chatId, { type: "TEXT", text: "Please let me know if an earlier slot opens up" }, { languageCode: "en" });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Fine, you are on the waitlist\. Your visit now: 10 December at 10:00 AM, Консультация терапевта \(with Орлова И\. В\.\)\. If an earlier time frees up/);
  });
});
