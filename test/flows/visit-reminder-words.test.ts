import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

/**
 * The visit reminder answered in words, as patients answer it. «Хорошо» and 👍 used to be read as
 * «no» (the words that answer «does something bother you?») and opened the cancel question, where
 * whatever the patient wrote next cancelled the visit; «не знаю» did the same.
 */
describe(`the visit reminder answered in words, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  let r: ReturnType<typeof createTestRouter>;
  let chats = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    r = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t?.dispose());

  /** A patient with a visit tomorrow (and two free times of the same doctor), reminded of it. */
  const reminded = async () => {
    const n = ++chats;
    const patient = await createPatient(db, clinicId, { fullName: "Анна Петрова" });
    const at = (hours: number) => new Date(clock.now().getTime() + hours * 3600_000);
    const doctor = "Громов Артур Сергеевич";
    const slot = await db.slot.create({ data: { clinicId, externalId: `VR-${n}`, doctor, service: "Лечение кариеса", startsAt: at(24), endsAt: at(25), status: "booked" } });
    for (const h of [48, 72]) await db.slot.create({ data: { clinicId, externalId: `VR-${n}-${h}`, doctor, service: "Лечение кариеса", startsAt: at(h), endsAt: at(h + 1) } });
    const appointment = await db.appointment.create({ data: { clinicId, patientId: patient.id, slotId: slot.id } });
    const chatId = `visit-words-${n}`;
    const identity = await linkChat(db, clinicId, patient.id, chatId);
    await r.router.startFlow(identity.id, "visit-reminder", { category: "care", context: { appointmentId: appointment.id } });
    const last = async () => (await r.outbox(chatId)).at(-1)!;
    expect((await last()).text).toMatch(/^Анна, напоминаем о вашем визите/);
    /** «confirmed» once the patient confirmed it (the row stays booked, with the time of the confirmation). */
    const status = async () => {
      const row = await db.appointment.findUniqueOrThrow({ where: { id: appointment.id } });
      return row.status === "booked" && row.confirmedAt ? "confirmed" : row.status;
    };
    const escalations = () => db.escalation.findMany({ where: { identityId: identity.id } });
    return { chatId, last, status, escalations };
  };

  it.each(["хорошо", "Хорошо, спасибо за напоминание", "👍", "ок", "буду 👍", "да конечно приду спасибо что напомнили", "не переживайте, приду"])(
    "«%s» confirms the visit",
    async (text) => {
      const p = await reminded();
      await r.text(p.chatId, text);
      expect((await p.last()).text).toMatch(/^Спасибо, ждём вас /);
      expect(await p.status()).toBe("confirmed");
    },
  );

  it.each(["да наверное", "не знаю", "постараюсь", "спасибо!"])("«%s» is asked again in one caring line with the buttons; the visit stays as it was", async (text) => {
    const p = await reminded();
    await r.text(p.chatId, text);
    const reask = await p.last();
    expect(reask.text).toBe("Подскажите, пожалуйста, получится ли прийти на приём? Нажмите «Подтверждаю», «Перенести» или «Отменить» — а если хотите что-то уточнить, напишите «оператор», и администратор ответит здесь.");
    expect(reask.options?.map((o) => o.value)).toEqual(["confirm", "reschedule", "cancel"]);
    expect(await p.status()).toBe("booked");
    expect(await p.escalations()).toEqual([]);
  });

  it.each(["отмените пожалуйста", "завтра не смогу", "к сожалению не получится"])("«%s» asks why (the visit is cancelled only after that answer)", async (text) => {
    const p = await reminded();
    await r.text(p.chatId, text);
    expect((await p.last()).text).toMatch(/^Жаль, что не получается\./);
    expect(await p.status()).toBe("booked");
    await r.text(p.chatId, "работа");
    expect((await p.last()).text).toMatch(/^Визит отменён, время освободили\./);
    expect(await p.status()).toBe("cancelled");
  });

  it.each(["не отменяйте, я приду", "нет-нет, всё-таки приду"])("«%s» after «не смогу» keeps the visit instead of cancelling it with that as the reason", async (text) => {
    const p = await reminded();
    await r.text(p.chatId, "не смогу");
    expect((await p.last()).text).toMatch(/^Жаль, что не получается\./);
    await r.text(p.chatId, text);
    expect((await p.last()).text).toBe("Хорошо, оставляем визит в силе. Ждём вас!");
    expect(await p.status()).toBe("booked");
  });

  it("«а можно на пятницу после 5?» offers the doctor's free times instead of a re-ask", async () => {
    const p = await reminded();
    await r.text(p.chatId, "а можно на пятницу после 5?");
    const offer = await p.last();
    expect(offer.options?.some((o) => String(o.value).startsWith("slot-"))).toBe(true);
    expect(await p.status()).toBe("booked");
  });

  it("«зуб болит» does not confirm the visit: a doctor is told at once", async () => {
    const p = await reminded();
    await r.text(p.chatId, "зуб болит");
    expect(await p.status()).toBe("booked");
    expect(await p.escalations()).toMatchObject([{ reason: "health_complaint", priority: "urgent" }]);
  });
});
