import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

describe(`«Записаться» from the menu, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  // Wednesday 2 December 2026, 19:00 in Moscow.
  const clock = new FixedClock("2026-12-02T16:00:00Z");
  let chats = 0;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  const setUp = async () => {
    const clinic = await createClinic(t.db.prisma);
    const patient = await createPatient(t.db.prisma, clinic.id);
    const chatId = `menu-book-${process.pid}-${++chats}`;
    await linkChat(t.db.prisma, clinic.id, patient.id, chatId);
    const slot = (externalId: string, service: string, doctor: string, startsAt: string) =>
      t.db.prisma.slot.create({ data: { clinicId: clinic.id, externalId, service, doctor, startsAt: new Date(startsAt), endsAt: new Date(new Date(startsAt).getTime() + 1800_000) } });
    return { clinic, patient, chatId, r: createTestRouter(t.db, clock, clinic.id), slot };
  };

  it("offers the services with free time, then that service's nearest slots, and books one tap", async () => {
    const { patient, chatId, r, slot } = await setUp();
    await slot("M-1", "Профессиональная гигиена полости рта", "Кузнецова Е. П.", "2026-12-03T07:00:00Z");
    const wanted = await slot("M-2", "Консультация терапевта", "Орлова И. В.", "2026-12-03T08:00:00Z");
    await slot("M-3", "Консультация терапевта", "Смирнов А. В.", "2026-12-04T08:00:00Z");
    await slot("M-4", "Консультация терапевта", "Орлова И. В.", "2026-12-01T08:00:00Z"); // already past

    await r.text(chatId, "записаться");
    const services = (await r.outbox(chatId)).at(-1)!;
    expect(services.text).toContain("Выберите, пожалуйста, услугу");
    expect(services.options!.map((o) => o.label)).toEqual(["Профессиональная ги…", "Консультация терапе…", "Другое время"]);

    await r.send(chatId, { type: "CHOICE", value: String(services.options![1]!.value) });
    const slots = (await r.outbox(chatId)).at(-1)!;
    expect(slots.text).toMatch(/^Консультация терапевта: вот ближайшее свободное время/);
    expect(slots.options!.map((o) => o.value)).toEqual([`slot-${wanted.id}`, expect.stringMatching(/^slot-/), "other", "later"]);

    await r.send(chatId, { type: "CHOICE", value: `slot-${wanted.id}` });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Готово, вы записаны: .*Консультация терапевта, врач Орлова И\. В\./s);
    const appointment = await t.db.prisma.appointment.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(appointment).toMatchObject({ slotId: wanted.id, status: "booked" });
    // The MIS is told at once (when MIS_WEBHOOK_URL is set) and finds it in GET /api/appointments.
    const hook = await t.db.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `mis:appointment:${appointment.id}:booked` } });
    expect(hook).toMatchObject({ kind: "mis-webhook", payload: { event: "appointment.booked", appointment: { id: appointment.id, status: "booked", slotExternalId: "M-2" } } });
  });

  it("«Не сейчас» promises no reminder when no follow-up was recommended; with one it does", async () => {
    const { patient, chatId, r, slot } = await setUp();
    await slot("M-6", "Консультация терапевта", "Орлова И. В.", "2026-12-08T08:00:00Z");
    clock.set("2026-12-02T16:00:00Z");
    await r.text(chatId, "записаться");
    await r.send(chatId, { type: "CHOICE", value: String((await r.outbox(chatId)).at(-1)!.options![0]!.value) });
    await r.send(chatId, { type: "CHOICE", value: "later" });
    const said = (await r.outbox(chatId)).at(-1)!.text;
    expect(said).toBe("Хорошо. Когда будет удобно, напишите «записаться» — подберём для вас время.");
    expect(said).not.toMatch(/напомним/);

    // A doctor's recommendation is different: it is reminded of again in a few days.
    const visit = await t.db.prisma.visit.create({
      data: { clinicId: patient.clinicId, patientId: patient.id, externalId: `MV-${chatId}`, doctor: "Орлова И. В.", service: "Консультация терапевта", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z") },
    });
    const followUp = await t.db.prisma.followUp.create({
      data: { clinicId: patient.clinicId, patientId: patient.id, visitId: visit.id, service: "Консультация терапевта", doctor: "Орлова И. В.", dueAt: new Date("2026-12-01T08:00:00Z") },
    });
    await r.text(chatId, "записаться");
    await r.send(chatId, { type: "CHOICE", value: "later" });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/^Хорошо, напомним через несколько дней/);
    expect(await t.db.prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).toMatchObject({ snoozedUntil: new Date("2026-12-05T16:00:00Z") });
  });

  it("«Другое время» is a booking request the staff answer within two working hours, never on a Saturday", async () => {
    const { patient, chatId, r, slot } = await setUp();
    await slot("M-5", "Консультация терапевта", "Орлова И. В.", "2026-12-08T08:00:00Z");
    // Friday 4 December, 19:30 in Moscow.
    clock.set("2026-12-04T16:30:00Z");
    await r.text(chatId, "записаться");
    await r.send(chatId, { type: "CHOICE", value: "other" });
    const escalation = await t.db.prisma.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    // 30 minutes on Friday, then 90 on Monday morning.
    expect(escalation).toMatchObject({ reason: "rebook_other_time", slaDueAt: new Date("2026-12-07T07:30:00Z") });
    expect((await r.outbox(chatId)).at(-1)!.text).toMatch(/ответит здесь до 7 декабря в 10:30/);
  });

  it("a wish in words instead of a service («Можно в субботу утром?») goes to the staff with the wish, not to «не понял»", async () => {
    const { patient, chatId, r, slot } = await setUp();
    await slot("M-7", "Консультация терапевта", "Орлова И. В.", "2026-12-08T08:00:00Z");
    clock.set("2026-12-02T16:00:00Z");
    await r.text(chatId, "записаться");
    await r.text(chatId, "Можно в субботу утром?");
    const said = (await r.outbox(chatId)).map((m) => m.text);
    expect(said.at(-1)).toMatch(/^Хорошо, передали администратору ваше пожелание/);
    expect(said.join("\n")).not.toMatch(/не получилось разобрать/);
    const escalation = await t.db.prisma.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(escalation.reason).toBe("rebook_other_time");
    expect(JSON.stringify(escalation.details)).toContain("Можно в субботу утром?");
  });
});
