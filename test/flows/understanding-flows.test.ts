import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

/**
 * Issue 14's cases through the router and the shipped flows, typed as patients type them. The
 * same cases run through the preview's HTTP routes and the fake Bot API in test/e2e/understanding.test.ts.
 */
describe(`free text in check-ins, NPS and follow-ups on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  let r: ReturnType<typeof createTestRouter>;
  let chats = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db, { reviewUrl: "https://example.com/review" })).id;
    r = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t?.dispose());

  /** A linked patient's chat with a flow started as the scheduler starts it. */
  const chatIn = async (flowId: string, context: Record<string, unknown> = {}, patient: { fullName?: string; locale?: string } = {}) => {
    const p = await createPatient(db, clinicId, { fullName: patient.fullName ?? "Анна Петрова", locale: patient.locale });
    const chatId = `understanding-${++chats}`;
    const identity = await linkChat(db, clinicId, p.id, chatId);
    await r.router.startFlow(identity.id, flowId, { category: "care", context });
    return { chatId, identity, patient: p };
  };
  const last = async (chatId: string) => (await r.outbox(chatId)).at(-1)!;
  const escalations = (identityId: number) => db.escalation.findMany({ where: { identityId }, orderBy: { id: "asc" } });

  it.each(["хорошо", "Всё отлично!", "нормально", "всё нормально, спасибо", "норм 👍", "Зуб больше не болит"])(
    "check-in: «%s» is taken as fine — no urgent escalation",
    async (text) => {
      const { chatId, identity } = await chatIn("care-checkin", { service: "Удаление зуба" });
      expect((await last(chatId)).text).toMatch(/^Анна, здравствуйте! Как вы себя чувствуете/);
      await r.text(chatId, text);
      expect((await last(chatId)).text).toBe("Рады это слышать! Берегите себя. Если что-то изменится, просто напишите сюда.");
      expect(await escalations(identity.id)).toEqual([]);
    },
  );

  it("check-in: a clear complaint, typos and all, is urgent at once", async () => {
    const { chatId, identity } = await chatIn("care-checkin", { doctor: "Орлова Ирина Викторовна" });
    await r.text(chatId, "щека апухла и балит");
    expect((await last(chatId)).text).toMatch(/^Мы срочно передали ваше сообщение врачу \(Орлова Ирина Викторовна\)\. Вам позвонят до 23 ноября в 1\d:\d\d\./);
    expect(await escalations(identity.id)).toMatchObject([{ reason: "health_complaint", priority: "urgent", details: { context: { problem: "щека апухла и балит" } } }]);
  });

  it("check-in: when unsure it asks «Правильно понимаю…?»; «да» makes it urgent, «нет» does not", async () => {
    const yes = await chatIn("care-checkin");
    await r.text(yes.chatId, "не очень");
    const question = await last(yes.chatId);
    expect(question).toMatchObject({ text: "Правильно понимаю, что вас что-то беспокоит после приёма?", options: [{ value: "yes", label: "Да" }, { value: "no", label: "Нет" }] });
    expect(await escalations(yes.identity.id)).toEqual([]);
    await r.text(yes.chatId, "да, ноет");
    expect((await last(yes.chatId)).text).toMatch(/^Мы срочно передали ваше сообщение врачу/);
    expect(await escalations(yes.identity.id)).toMatchObject([{ reason: "health_complaint", priority: "urgent", details: { context: { problem: "не очень" } } }]);

    const no = await chatIn("care-checkin");
    await r.text(no.chatId, "всё хорошо, только немного ноет");
    expect((await last(no.chatId)).text).toBe("Правильно понимаю, что вас что-то беспокоит после приёма?");
    await r.text(no.chatId, "Нет");
    expect((await last(no.chatId)).text).toMatch(/^Хорошо, спасибо, что ответили!/);
    expect(await escalations(no.identity.id)).toEqual([]);
  });

  it("check-in: an unanswered confirming question goes to staff without hurry, and without a message", async () => {
    const { chatId, identity } = await chatIn("care-checkin");
    await r.text(chatId, "так себе");
    const sent = (await r.outbox(chatId)).length;
    clock.advance(3 * 3600_000 + 60_000);
    await r.router.fireDueTimers();
    expect(await r.outbox(chatId)).toHaveLength(sent);
    expect(await escalations(identity.id)).toMatchObject([{ reason: "health_complaint", priority: "normal" }]);
  });

  it("check-in: a red flag is urgent at once, with the emergency advice first", async () => {
    const { chatId, identity } = await chatIn("care-checkin");
    await r.text(chatId, "кровь не останавливается уже час");
    expect((await last(chatId)).text).toMatch(/^Это может быть серьёзно\. Если сейчас сильное кровотечение, трудно дышать.*звоните 103/s);
    expect(await escalations(identity.id)).toMatchObject([{ priority: "urgent", summary: "Тревожные признаки после процедуры" }]);
    // What the patient adds lands on the escalation as a note.
    await r.text(chatId, "приложила лёд, не помогает");
    expect((await last(chatId)).text).toMatch(/^Спасибо, добавили к вашему обращению — врач увидит\. Вам позвонят до /);
    const [escalation] = await escalations(identity.id);
    expect((escalation!.details as { notes: { text: string }[] }).notes.map((n) => n.text)).toEqual(["приложила лёд, не помогает"]);
  });

  it("NPS: 10 and «Зуб больше не болит, врач супер!» is a happy patient who gets the review link", async () => {
    const { chatId, identity, patient } = await chatIn("nps", { doctor: "Громов Артур Сергеевич" });
    await r.text(chatId, "10");
    expect((await last(chatId)).text).toMatch(/^Спасибо! Что вам понравилось больше всего\?/);
    await r.text(chatId, "Зуб больше не болит, врач супер!");
    const thanks = await last(chatId);
    expect(thanks.text).toMatch(/^Спасибо, нам очень приятно! Если будет минутка, оставьте, пожалуйста, отзыв — он поможет другим пациентам выбрать врача\. Кнопки ниже ведут на сайты отзывов\./);
    // The review site is a link button through the counting redirect: no patient data in it.
    const invite = await db.reviewInvite.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(invite).toMatchObject({ site: "Отзывы", url: "https://example.com/review", clickedAt: null });
    expect((thanks as { links?: unknown }).links).toEqual([{ label: "Отзывы", url: `http://localhost:3000/r/${invite.token}` }]);
    expect(await escalations(identity.id)).toEqual([]);
    expect(await db.npsResponse.findFirstOrThrow({ where: { patientId: patient.id } })).toMatchObject({ score: 10, category: "promoter", comment: "Зуб больше не болит, врач супер!" });
  });

  it("NPS: «11» is re-asked naming 0–10, twice without calling staff; «на девятку» counts", async () => {
    const { chatId, identity, patient } = await chatIn("nps");
    await r.text(chatId, "11");
    const sent = await r.outbox(chatId);
    // One short line with the buttons again: the question itself is just above.
    expect(sent.at(-1)!.text).toBe("Оценка — это число от 0 до 10: 0 — точно не порекомендую, 10 — обязательно порекомендую. Нажмите кнопку или напишите, например, «девять».");
    expect(sent.at(-1)!.options).toHaveLength(11);
    expect(sent.at(-2)!.text).toMatch(/насколько вероятно, что вы порекомендуете нас/);
    await r.text(chatId, "сто");
    expect((await last(chatId)).options).toHaveLength(11);
    expect(await escalations(identity.id)).toEqual([]);
    await r.text(chatId, "на девятку");
    expect((await last(chatId)).text).toMatch(/^Спасибо! Что вам понравилось больше всего\?/);
    await r.send(chatId, { type: "CHOICE", value: "skip" });
    expect(await db.npsResponse.findFirstOrThrow({ where: { patientId: patient.id } })).toMatchObject({ score: 9 });
  });

  it("NPS: a soft complaint in the comment is asked about; a clear one is urgent whatever the score", async () => {
    const soft = await chatIn("nps");
    await r.text(soft.chatId, "9");
    await r.text(soft.chatId, "всё понравилось, только немного ноет");
    expect((await last(soft.chatId)).text).toBe("Правильно понимаю, что вас что-то беспокоит после приёма?");
    await r.send(soft.chatId, { type: "CHOICE", value: "yes" });
    expect((await last(soft.chatId)).text).toMatch(/^Спасибо, что рассказали\. Мы срочно передали/);
    expect(await escalations(soft.identity.id)).toMatchObject([{ reason: "health_complaint", priority: "urgent" }]);

    const clear = await chatIn("nps");
    await r.text(clear.chatId, "десять");
    await r.text(clear.chatId, "Врач хороший, но место удаления покраснело и болит");
    expect(await escalations(clear.identity.id)).toMatchObject([{ reason: "health_complaint", priority: "urgent" }]);
  });

  it("rebooking: a wish in words after «Другое время» reaches staff as a note, not the menu", async () => {
    const { chatId, identity, patient } = await chatIn("main-menu");
    const visit = await db.visit.create({ data: { clinicId, patientId: patient.id, externalId: `V-${chats}`, doctor: "Орлова Ирина Викторовна", service: "Гигиена", amount: 300000, status: "completed", startsAt: new Date("2026-10-01T07:00:00Z") } });
    await db.followUp.create({ data: { clinicId, patientId: patient.id, visitId: visit.id, service: "Гигиена", doctor: "Орлова Ирина Викторовна", dueAt: new Date("2026-11-20T07:00:00Z"), missedAt: new Date("2026-11-21T07:00:00Z") } });
    await db.slot.create({ data: { clinicId, externalId: `S-${chats}`, doctor: "Орлова Ирина Викторовна", service: "Гигиена", startsAt: new Date("2026-11-25T07:00:00Z"), endsAt: new Date("2026-11-25T07:45:00Z") } });
    await r.router.startFlow(identity.id, "rebook-followup", { category: "transactional" });
    // A female doctor «рекомендовала»; Анна Петрова is Анна.
    expect((await last(chatId)).text).toMatch(/^Анна, врач рекомендовала повторный визит: Гигиена, Орлова Ирина Викторовна\./);
    await r.send(chatId, { type: "CHOICE", value: "other" });
    expect((await last(chatId)).text).toMatch(/^Хорошо, передали администратору — он подберёт удобное время и ответит здесь до \d+ ноября/);
    await r.text(chatId, "Можно в субботу утром?");
    expect((await last(chatId)).text).toMatch(/^Спасибо, передали администратору — он подберёт время и ответит здесь до \d+ ноября/);
    const [escalation, ...more] = await escalations(identity.id);
    expect(more).toEqual([]);
    expect(escalation).toMatchObject({ reason: "rebook_other_time", priority: "normal" });
    expect((escalation!.details as { notes: { text: string; reading: string }[] }).notes).toMatchObject([{ text: "Можно в субботу утром?", reading: expect.stringMatching(/^booking/) }]);
  });

  it("after an operator hands back, «Спасибо, жду звонка» is a note for them, not the menu", async () => {
    const { chatId, identity } = await chatIn("main-menu");
    await r.text(chatId, "оператор");
    const conversation = await r.conversation(chatId);
    await db.conversation.update({ where: { id: conversation!.id }, data: { status: "operator" } });
    await db.escalation.updateMany({ where: { conversationId: conversation!.id }, data: { status: "taken" } });
    await r.router.resume(conversation!.id);
    await r.text(chatId, "Спасибо, жду звонка");
    expect((await last(chatId)).text).toMatch(/^Спасибо, добавили ваше сообщение к обращению — вам ответят здесь до /);
    const [escalation, ...more] = await escalations(identity.id);
    expect(more).toEqual([]);
    expect((escalation!.details as { notes: { text: string }[] }).notes.map((n) => n.text)).toEqual(["Спасибо, жду звонка"]);

    // With nothing waiting, a question still reaches a person; a greeting gets the menu.
    await db.escalation.updateMany({ where: { identityId: identity.id }, data: { status: "resolved" } });
    await r.text(chatId, "Когда будут готовы анализы?");
    expect((await last(chatId)).text).toMatch(/^Спасибо, передали ваше сообщение администратору клиники — вам ответят здесь до /);
    expect(await db.escalation.count({ where: { identityId: identity.id, status: "open", reason: "patient_message" } })).toBe(1);
    await db.escalation.updateMany({ where: { identityId: identity.id }, data: { status: "resolved" } });
    await r.text(chatId, "привет");
    expect((await last(chatId)).text).toBe("Анна, чем мы можем помочь? Выберите, пожалуйста:");
  });

  it("free text with a wish of its own starts its flow: a person, a stop", async () => {
    const person = await chatIn("main-menu");
    await r.text(person.chatId, "хочу поговорить с живым человеком");
    expect((await last(person.chatId)).text).toMatch(/^Анна, ваш запрос передан администратору клиники/);
    const stop = await chatIn("main-menu");
    await r.text(stop.chatId, "не пишите мне больше пожалуйста");
    expect((await r.conversation(stop.chatId))!.flowId).toBe("opt-out");
  });

  it("greets by the MIS's separate first name, and by the given name in either order", async () => {
    const separate = await chatIn("main-menu", {}, { fullName: "Петрова-Водкина Анна-Мария" });
    await db.patient.update({ where: { id: separate.patient.id }, data: { firstName: "Аня" } });
    await r.text(separate.chatId, "меню");
    expect((await last(separate.chatId)).text).toBe("Аня, чем мы можем помочь? Выберите, пожалуйста:");
    for (const fullName of ["Петрова Анна Сергеевна", "Анна Сергеевна Петрова", "Петрова Анна"]) {
      const chat = await chatIn("main-menu", {}, { fullName });
      await r.text(chat.chatId, "меню");
      expect((await last(chat.chatId)).text).toBe("Анна, чем мы можем помочь? Выберите, пожалуйста:");
    }
  });
});
