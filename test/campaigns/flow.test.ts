import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const OFFER = "профессиональная гигиена со скидкой 15 % до конца декабря";

describe(`the reactivation flow on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let chat = 0;
  const clock = new FixedClock("2026-11-24T09:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t?.dispose());

  /** A patient's chat with the campaign's conversation started, as the dispatcher starts it. */
  async function started(offerText: string | null, locale: "ru" | "en" = "ru", gift: { offerPoints?: number; offerValidDays?: number } = {}, offerTextEn: string | null = null) {
    const r = createTestRouter(t.db, clock, clinicId);
    const chatId = `reactivation-${++chat}`;
    const patient = await createPatient(db, clinicId, { fullName: "Петрова Анна Сергеевна", locale });
    const identity = await linkChat(db, clinicId, patient.id, chatId);
    const context = { campaignId: "winter-return", offerText, offerTextEn, offerPoints: gift.offerPoints ?? null, offerValidDays: gift.offerValidDays ?? null };
    await r.router.startFlow(identity.id, "reactivation", { category: "marketing", context });
    const [invite] = await r.outbox(chatId);
    return { r, chatId, patient, identity, context, invite: invite! };
  }

  it("grants the campaign's points once, when the invitation goes out, and says until when they are valid", async () => {
    const { r, patient, identity, context, invite } = await started(OFFER, "ru", { offerPoints: 300, offerValidDays: 30 });
    expect(invite.text).toContain("Мы начислили вам 300\u00a0баллов — они действуют до 24 декабря.");
    const entries = await db.bonusEntry.findMany({ where: { patientId: patient.id } });
    expect(entries).toMatchObject([{ kind: "adjustment", amount: 300, remaining: 300, sourceKey: `campaign:winter-return:${patient.id}`, expiresAt: new Date("2026-12-24T09:00:00Z") }]);
    // The same campaign started again (a retried row, a second run) gives nothing more.
    await r.router.startFlow(identity.id, "reactivation", { category: "marketing", context });
    expect(await db.bonusEntry.count({ where: { patientId: patient.id } })).toBe(1);
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).balance).toBe(300);
    // Without offerPoints nobody is credited and the text says nothing of points.
    const plain = await started(OFFER);
    expect(plain.invite.text).not.toMatch(/начислили|балл/);
    expect(await db.bonusEntry.count({ where: { patientId: plain.patient.id } })).toBe(0);
  });

  it("invites warmly, mentions the offer when there is one, with three options", async () => {
    const { invite } = await started(OFFER);
    expect(invite.text).toMatch(/^Анна, здравствуйте! Это Клиника «Здоровье»\. Давно вас не видели — надеемся, у вас всё хорошо\./);
    expect(invite.text).toContain(`Для вас сейчас действует предложение: ${OFFER}`);
    expect(invite.options?.map((o) => [o.value, o.label])).toEqual([
      ["book", "Записаться"],
      ["later", "Не сейчас"],
      ["menu-opt-out", "Больше не присылать"],
    ]);
    const plain = await started(null);
    expect(plain.invite.text).toContain("Давно вас не видели");
    expect(plain.invite.text).not.toMatch(/предложение|null|undefined/);
    // A patient who reads English gets the offer's English text when the clinic wrote one, else the Russian one.
    const english = await started(OFFER, "en");
    expect(english.invite.text).toContain(`There is an offer for you right now: ${OFFER}`);
    const translated = await started(OFFER, "en", {}, "15 % off professional hygiene until the end of February");
    expect(translated.invite.text).toContain("There is an offer for you right now: 15 % off professional hygiene until the end of February");
    expect(translated.invite.text).not.toContain(OFFER);
    expect((await started(OFFER, "ru", {}, "15 % off")).invite.text).toContain(`Для вас сейчас действует предложение: ${OFFER}`);
  });

  it("«Записаться» hands over to rebooking, which asks an administrator when there is no follow-up", async () => {
    const { r, chatId, patient } = await started(OFFER);
    await r.send(chatId, { type: "CHOICE", value: "book" });
    const conversations = await db.conversation.findMany({ where: { patientId: patient.id }, orderBy: { id: "asc" } });
    expect(conversations.map((c) => [c.flowId, c.status])).toEqual([
      ["reactivation", "closed"],
      ["rebook-followup", "closed"],
    ]);
    // No recommended visit and no free slot at all: a booking request for the staff.
    expect(await db.escalation.count({ where: { patientId: patient.id, reason: "booking_request", status: "open" } })).toBe(1);
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("Передали администратору, что вы хотите записаться");
  });

  it("«Не сейчас» says a kind goodbye; «Больше не присылать» asks to confirm the opt-out", async () => {
    const later = await started(null);
    await later.r.send(later.chatId, { type: "CHOICE", value: "later" });
    expect((await later.r.outbox(later.chatId)).at(-1)!.text).toMatch(/^Хорошо, конечно\. Будьте здоровы!/);
    expect((await later.r.conversation(later.chatId))!.status).toBe("closed");

    // The button starts the opt-out flow itself, which asks to confirm; typing its label does the same.
    for (const press of [{ type: "CHOICE", value: "menu-opt-out" } as const, { type: "TEXT", text: "Больше не присылать" } as const]) {
      const stop = await started(null);
      await stop.r.send(stop.chatId, press);
      const conversations = await db.conversation.findMany({ where: { patientId: stop.patient.id }, orderBy: { id: "asc" } });
      expect(conversations.map((c) => [c.flowId, c.status])).toEqual([
        ["reactivation", "closed"],
        ["opt-out", "bot"],
      ]);
      expect((await stop.r.outbox(stop.chatId)).at(-1)!.text).toContain("Вы хотите, чтобы мы больше не присылали вам сообщения");
      await stop.r.send(stop.chatId, { type: "CHOICE", value: "yes" });
      expect((await db.patient.findUniqueOrThrow({ where: { id: stop.patient.id } })).optedOutAt).toEqual(clock.now());
    }
  });

  it("an answer in the patient's own words goes to a person; silence ends it quietly", async () => {
    const asked = await started(OFFER);
    await asked.r.text(asked.chatId, "А сколько сейчас стоит чистка?");
    expect(await db.escalation.count({ where: { patientId: asked.patient.id, reason: "operator_request" } })).toBe(1);
    expect((await asked.r.outbox(asked.chatId)).at(-1)!.text).toMatch(/^Спасибо, что ответили! Передали ваше сообщение администратору/);

    const silent = await started(OFFER);
    clock.advance(3 * 86_400_000 + 60_000);
    await silent.r.router.fireDueTimers();
    expect((await silent.r.conversation(silent.chatId))!.status).toBe("closed");
    expect(await silent.r.outbox(silent.chatId)).toHaveLength(1);
  });
});
