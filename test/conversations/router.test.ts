import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { readSession } from "../../src/flows/runtime/session.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

describe(`conversation router on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  let r: ReturnType<typeof createTestRouter>;
  let chat = 1000;
  const newChat = async (data: Parameters<typeof createPatient>[2] = {}) => {
    const chatId = String(++chat);
    const patient = await createPatient(db, clinicId, data);
    await linkChat(db, clinicId, patient.id, chatId);
    return { chatId, patient };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    r = createTestRouter(t.db, clock, clinicId);
  });
  afterAll(() => t.dispose());

  it("answers «меню» with the menu, the patient's name and one button per menu entry", async () => {
    const { chatId } = await newChat();
    const result = await r.text(chatId, "Меню!");
    expect(result.status).toBe("flow");
    const [menu] = await r.outbox(chatId);
    expect(menu!.text).toBe("Анна, чем мы можем помочь? Выберите, пожалуйста:");
    expect(menu!.options).toContainEqual({ value: "menu-operator-request", label: "Связаться с администратором" });
  });

  it("starts the flow of a pressed menu button", async () => {
    const { chatId, patient } = await newChat();
    await r.text(chatId, "меню");
    await r.send(chatId, { type: "CHOICE", value: "menu-operator-request" });
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(escalation).toMatchObject({ reason: "operator_request", priority: "high", status: "open" });
    const texts = (await r.outbox(chatId)).map((m) => m.text);
    // Monday 11:00 + 4 business hours = 15:00 Moscow.
    expect(texts[1]).toContain("ответят здесь же, в этом чате, до 23 ноября в 15:00");
  });

  it("speaks English to a patient whose locale is English", async () => {
    const { chatId } = await newChat({ locale: "en", fullName: "Smith John" });
    await r.text(chatId, "menu");
    expect((await r.outbox(chatId))[0]!.text).toBe("John, how can we help? Please choose:");
  });

  it("asks to confirm an opt-out and records it only after «да»", async () => {
    const { chatId, patient } = await newChat();
    await r.text(chatId, "стоп");
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt).toBeNull();
    await r.text(chatId, "Да, больше не присылать");
    const after = await db.patient.findUniqueOrThrow({ where: { id: patient.id } });
    expect(after.optedOutAt).toEqual(clock.now());
    expect(after.optOutSource).toBe("chat");
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("мы больше не будем писать вам первыми");
    expect((await r.conversation(chatId))!.status).toBe("closed");
  });

  it("re-asks an unexpected answer, then escalates after the second", async () => {
    const { chatId, patient } = await newChat();
    await r.text(chatId, "стоп");
    await r.text(chatId, "а что это значит?");
    let sent = await r.outbox(chatId);
    // A short line with the same buttons: the question is just above, it is not sent twice.
    expect(sent.at(-1)!.text).toMatch(/^Извините, не получилось разобрать ответ\. Выберите, пожалуйста, вариант ниже/);
    expect(sent.at(-1)!.options).toHaveLength(2);
    expect(sent.at(-2)!.text).toMatch(/^Вы хотите, чтобы мы больше не присылали вам сообщения/);
    await r.text(chatId, "не понимаю");
    sent = await r.outbox(chatId);
    expect(sent.at(-1)!.text).toContain("Похоже, нам не удаётся понять друг друга");
    expect(await db.escalation.count({ where: { patientId: patient.id, reason: "unrecognized_input" } })).toBe(1);
  });

  it("answers stickers and photos politely, without leaving the question", async () => {
    const { chatId } = await newChat();
    await r.text(chatId, "стоп");
    await r.send(chatId, { type: "MEDIA", kind: "sticker" });
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("понимаем только текст и кнопки");
    expect(readSession((await r.conversation(chatId))!.snapshot).machine.value).toBe("confirm");
    await r.text(chatId, "нет, оставить");
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("всё остаётся как было");
  });

  it("lets global words interrupt any state", async () => {
    const { chatId } = await newChat();
    await r.text(chatId, "стоп");
    const result = await r.text(chatId, "Оператор");
    expect(result.status === "flow" && result.outcome.state).toBe("requested");
    const conversations = await db.conversation.findMany({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "asc" } });
    expect(conversations.map((c) => [c.flowId, c.status])).toEqual([
      ["opt-out", "closed"],
      ["operator-request", "bot"],
    ]);
    await r.text(chatId, "/menu");
    expect((await r.conversation(chatId))!.flowId).toBe("main-menu");
  });

  it("processes a redelivered update once", async () => {
    const { chatId } = await newChat();
    const message = { channel: "telegram" as const, chatId, dedupeKey: `dup-${chatId}`, event: { type: "TEXT" as const, text: "меню" } };
    expect((await r.router.handle(message)).status).toBe("flow");
    expect((await r.router.handle(message)).status).toBe("duplicate");
    expect(await r.outbox(chatId)).toHaveLength(1);
    expect(await db.message.count({ where: { dedupeKey: `dup-${chatId}` } })).toBe(1);
  });

  it("handles one chat's messages in order while other chats run in parallel", async () => {
    const chats = await Promise.all([newChat(), newChat(), newChat()]);
    const words = ["стоп", "что?", "нет, оставить", "меню", "оператор", "у меня болит зуб", "и ещё вопрос"];
    await Promise.all(chats.flatMap(({ chatId }) => words.map((w) => r.text(chatId, w))));
    for (const { chatId } of chats) {
      const inbound = await db.message.findMany({ where: { identity: { externalChatId: chatId }, direction: "inbound" }, orderBy: { id: "asc" } });
      expect(inbound.map((m) => m.text)).toEqual(words);
      const flows = (await db.conversation.findMany({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "asc" } })).map((c) => c.flowId);
      expect(flows, JSON.stringify(await r.outbox(chatId))).toEqual(["opt-out", "main-menu", "operator-request"]);
      const last = await r.conversation(chatId);
      expect(readSession(last!.snapshot).machine.value).toBe("waiting");
    }
  });

  it("goes quiet while an operator holds the chat, sends the operator's answers, and carries on when handed back", async () => {
    const { chatId } = await newChat();
    await r.text(chatId, "оператор");
    const conversation = (await r.conversation(chatId))!;
    const operator = await db.operator.create({ data: { clinicId, login: `op-${chatId}`, passwordHash: "x", displayName: "Мария" } });
    await db.conversation.update({ where: { id: conversation.id }, data: { status: "operator", operatorId: operator.id } });

    const before = (await r.outbox(chatId)).length;
    const held = await r.text(chatId, "Когда мне перезвонят?");
    expect(held).toMatchObject({ status: "operator", conversationId: conversation.id });
    expect(await r.outbox(chatId)).toHaveLength(before);

    await r.router.operatorReply(conversation.id, operator.id, "Здравствуйте! Перезвоню через 10 минут.");
    const reply = await db.outbox.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: { id: "desc" } });
    expect(reply).toMatchObject({ category: "reply" });
    expect(await db.message.findFirstOrThrow({ where: { conversationId: conversation.id, operatorId: operator.id } })).toMatchObject({ text: "Здравствуйте! Перезвоню через 10 минут." });

    const resumed = await r.router.resume(conversation.id);
    expect(resumed).toMatchObject({ state: "resumed", done: true });
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("Если появятся ещё вопросы");
  });

  it("starts the fallback menu for a message that fits nothing", async () => {
    const { chatId } = await newChat();
    await r.text(chatId, "здравствуйте");
    expect((await r.conversation(chatId))!.flowId).toBe("main-menu");
  });

  it("asks a new Telegram chat for its phone number, and links it by the patient's own contact", async () => {
    const patient = await createPatient(db, clinicId, { phone: "+79161234567", fullName: "Соколова Мария" });
    const chatId = "new-1";
    await r.text(chatId, "меню");
    const [ask] = await r.outbox(chatId);
    expect(ask).toMatchObject({ text: expect.stringContaining("поделитесь номером телефона"), requestContact: true });
    // The clinic named once, as «клиники «…»», never «клиники «Клиника «…»»».
    expect(ask!.text).toContain("клиники «Здоровье»");

    await r.send(chatId, { type: "CONTACT", phone: "+79990000000", own: false });
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("это чужой контакт");

    await r.send(chatId, { type: "CONTACT", phone: "8 (916) 123-45-67", own: true });
    const identity = await db.channelIdentity.findFirstOrThrow({ where: { externalChatId: chatId } });
    expect(identity).toMatchObject({ patientId: patient.id, phone: "+79161234567" });
    const sent = (await r.outbox(chatId)).map((m) => m.text);
    expect(sent.at(-2)).toBe("Спасибо, Мария! Мы нашли вашу карту — теперь здесь можно узнать баланс бонусов, записаться на приём и связаться с администратором.");
    expect(sent.at(-1)).toBe("Мария, чем мы можем помочь? Выберите, пожалуйста:");
  });

  it("asks a person to link a number it cannot find, and keeps what the patient adds", async () => {
    const chatId = "new-2";
    await r.text(chatId, "/start");
    await r.send(chatId, { type: "CONTACT", phone: "+7 903 000-00-00", own: true });
    const escalation = await db.escalation.findFirstOrThrow({ where: { identity: { externalChatId: chatId } } });
    expect(escalation).toMatchObject({ reason: "unknown_phone", status: "open", patientId: null });
    expect((await r.outbox(chatId)).at(-1)!.text).toContain("Мы не нашли этот номер среди пациентов клиники");
    await r.text(chatId, "Я записана на номер мужа, 8 916 000 11 22");
    expect((await r.outbox(chatId)).at(-1)!.text).toBe("Спасибо, передали администратору — он увидит ваше сообщение.");
  });

  it("lets an unlinked chat reach a person or opt out without linking first", async () => {
    const chatId = "new-3";
    await r.text(chatId, "оператор");
    expect((await r.conversation(chatId))!.flowId).toBe("operator-request");
    expect((await r.outbox(chatId))[0]!.text).toMatch(/^Ваш запрос передан администратору клиники/);
  });
});

describe(`numbered and typed answers to the last buttons shown, on ${TEST_PROVIDER}`, () => {
  it("picks a menu entry by its number on a numbered-menu channel, after the menu conversation ended", async () => {
    const t = await createMigratedDatabase();
    try {
      const clinicId = (await createClinic(t.db.prisma)).id;
      const r = createTestRouter(t.db, new FixedClock("2026-11-23T08:00:00Z"), clinicId);
      const patient = await createPatient(t.db.prisma, clinicId);
      await linkChat(t.db.prisma, clinicId, patient.id, "79990001122@c.us", "whatsapp");
      const send = (text: string) =>
        r.router.handle({ channel: "whatsapp", chatId: "79990001122@c.us", event: { type: "TEXT", text } }, { numberedMenu: true });
      await send("меню");
      const menu = (await r.outbox("79990001122@c.us"))[0]!;
      const operator = menu.options!.findIndex((o) => o.value === "menu-operator-request") + 1;
      await send(String(operator));
      expect((await r.conversation("79990001122@c.us"))!.flowId).toBe("operator-request");
    } finally {
      await t.dispose();
    }
  });
});
