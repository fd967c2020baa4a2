// The patients section over HTTP against a real database: search, the card, and writing first,
// sent by the real dispatcher through grammY to the loopback fake Bot API on a fixed clock.
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import type { GrammyChannel } from "../../src/channels/telegram/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { OPERATOR_FIRST_KIND } from "../../src/outbox/operator-first.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser } from "../support/fake-bot-api/index.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const TOKEN = "123456:PATIENTS-TEST-TOKEN-0000";

interface Who {
  cookie: string;
  csrf: string;
}

describe(`patients section on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  let api: FakeBotApi;
  let channel: GrammyChannel;
  let dispatcher: Dispatcher;
  let clinicId: number;
  let otherPatientId: number;
  let anna: Who;
  let stranger: Who;
  let userSeq = 8100;
  const logLines: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow

  let annaId: number;
  const session = async (operatorId: number): Promise<Who> => {
    const s = await createSession(t.db, operatorId, clock.now());
    return { cookie: `carebot_console=${s.token}`, csrf: s.csrfToken };
  };
  /** Anna's requests: a session opened at the clock's time (the tests move the clock across nights). */
  const get = async (url: string, who?: Who) => {
    const as = who ?? (await session(annaId));
    return app.inject({ method: "GET", url, headers: { cookie: as.cookie, accept: "text/html" } });
  };
  const write = async (patientId: number, text: string, who?: Who, csrf?: string) => {
    const as = who ?? (await session(annaId));
    return app.inject({
      method: "POST",
      url: `/console/patients/${patientId}/messages`,
      headers: { cookie: as.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      payload: new URLSearchParams({ _csrf: csrf ?? as.csrf, text }).toString(),
    });
  };

  /** A patient with a Telegram chat the fake Bot API knows (as if they had written to the bot). */
  const patientWithTelegram = async (data: Parameters<typeof createPatient>[2] = {}): Promise<{ patient: { id: number }; user: FakeUser }> => {
    const user = fakeUser(++userSeq);
    api.knowChat(user);
    const patient = await createPatient(db, clinicId, data);
    await linkChat(db, clinicId, patient.id, String(user.id), "telegram");
    return { patient, user };
  };
  const outboxOf = (patientId: number) => db.outbox.findMany({ where: { patientId, kind: OPERATOR_FIRST_KIND }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    const other = await createClinic(db);
    otherPatientId = (await createPatient(db, other.id, { fullName: "Кузнецов Пётр Андреевич", phone: "+79165550199" })).id;
    const annaOp = await db.operator.create({ data: { clinicId, login: "anna-p", passwordHash: await hashPassword("anna-password-1"), displayName: "Анна Администратор" } });
    const strangerOp = await db.operator.create({ data: { clinicId: other.id, login: "stranger-p", passwordHash: await hashPassword("stranger-password-1"), displayName: "Чужой" } });
    const destination = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "debug", pretty: false, destination });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    api = await startFakeBotApi({ token: TOKEN });
    channel = createGrammyChannel({ token: TOKEN, apiRoot: api.apiRoot, onInbound: async () => {} });
    dispatcher = new Dispatcher({ db: t.db, clock, logger, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } } });
    annaId = annaOp.id;
    anna = await session(annaOp.id);
    stranger = await session(strangerOp.id);
  });
  beforeEach(() => {
    clock.set(new Date("2026-11-23T08:00:00Z"));
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
    await t?.dispose();
  });

  it("finds a patient by «8 916», shows the phone masked, and keeps the query out of the request log", async () => {
    const { patient } = await patientWithTelegram({ fullName: "Лебедева Ирина Олеговна", phone: "+79165550101" });
    logLines.length = 0;
    const res = await get(`/console/patients?q=${encodeURIComponent("8 916")}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Лебедева Ирина Олеговна");
    expect(res.body).toContain(`href="/console/patients/${patient.id}"`);
    expect(res.body).toContain("+7916***0101");
    expect(res.body).not.toContain("5550101");
    expect(res.body).toContain("Telegram");
    // Another clinic's patient with a matching number stays out of the results.
    expect(res.body).not.toContain("Кузнецов");
    const log = logLines.join("");
    expect(log).toContain("/console/patients?q=[redacted]");
    expect(log).not.toMatch(/8(%20|\+| )916/);
    // By name, any case and ё/е; nobody found is said kindly in Russian.
    expect((await get(`/console/patients?q=${encodeURIComponent("ЛЕБЁДЕВА")}`)).body).toContain("Лебедева Ирина Олеговна");
    const none = await get(`/console/patients?q=${encodeURIComponent("Иванов")}`);
    expect(none.body).toContain("Никого не нашли по запросу");
    expect(none.body).toContain('aria-current="page">Пациенты</a>');
  });

  it("shows the card: visits, plans, points and ledger, ratings, consents, chats, conversations and escalations", async () => {
    const { patient } = await patientWithTelegram({ fullName: "Орлова Мария Викторовна", phone: "+79031234567", birthDate: "1988-05-14", balance: 350 });
    const id = patient.id;
    await db.patient.update({ where: { id }, data: { tags: ["ортодонтия", "семья"] } });
    const visit = await db.visit.create({
      data: { clinicId, patientId: id, externalId: `card-v-${id}`, doctor: "Громов Артур Сергеевич", service: "Удаление зуба", amount: 500_000, status: "completed", startsAt: new Date("2026-11-20T07:00:00Z"), completedAt: new Date("2026-11-20T07:00:00Z") },
    });
    await db.followUp.create({ data: { clinicId, patientId: id, visitId: visit.id, dueAt: new Date("2026-12-04T07:00:00Z"), service: "Контрольный осмотр", doctor: "Громов Артур Сергеевич" } });
    const account = await db.bonusAccount.findUniqueOrThrow({ where: { patientId: id } });
    await db.bonusEntry.create({
      data: { clinicId, accountId: account.id, patientId: id, kind: "accrual", amount: 350, remaining: 350, expiresAt: new Date("2027-05-20T00:00:00Z"), sourceKey: `card-accrual-${id}`, visitId: visit.id, createdAt: new Date("2026-11-20T08:00:00Z") },
    });
    await db.npsResponse.create({ data: { clinicId, patientId: id, visitId: visit.id, score: 6, category: "detractor", comment: "Долго ждала в коридоре", doctor: "Громов Артур Сергеевич" } });
    // The patient asks for a person in a web chat: a conversation and an escalation.
    await linkChat(db, clinicId, id, `card-web-${id}`, "web");
    await carebot.router.handle(toInboundMessage(`card-web-${id}`, { text: "оператор" }));
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: id } });

    const res = await get(`/console/patients/${id}`);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(res.headers["content-security-policy"]).toContain("script-src 'nonce-");
    for (const text of [
      "<h1>Орлова Мария Викторовна</h1>",
      "14 мая 1988",
      '<a href="tel:+79031234567">+7 903 123 45 67</a>',
      "Удаление зуба",
      "Громов Артур Сергеевич",
      "состоялся",
      "Контрольный осмотр",
      "ожидается",
      "Баланс: 350 баллов",
      "Метки",
      '<span class="tag muted">ортодонтия</span>',
      "начисление за визит",
      "+350",
      "сгорят 20 мая 2027",
      "Долго ждала в коридоре",
      "критик",
      "Согласие на обработку данных",
      "дано 1 янв. 2026",
      "получает",
      "Telegram · можно написать",
      "веб · предпросмотр",
      "просьба позвать человека",
      `href="/console?conversation=${escalation.conversationId}"`,
      "просит связаться с человеком",
      "Написать пациенту",
    ]) {
      expect(body, text).toContain(text);
    }
    // The card is in Russian: none of the stored codes shows through.
    for (const code of ["operator-request", "operator_request", "completed", "accrual", "detractor", ">open<"]) expect(body, code).not.toContain(code);
    // No English word in Russian mode (messenger names aside), in the page's text or its titles.
    const main = body.slice(body.indexOf("<main"), body.indexOf("</main>"));
    const words = main.replace(/<[^>]*>/g, " ").replace(/&#\d+;/g, " ").match(/[A-Za-z]{3,}/g) ?? [];
    expect(words.filter((w) => !["Telegram", "WhatsApp"].includes(w))).toEqual([]);
    expect(main.match(/(?:aria-label|placeholder|title)="[^"]*[A-Za-z]{3,}[^"]*"/g) ?? []).toEqual([]);
    // English on request: the same card in the operator's other language.
    const en = await app.inject({ method: "GET", url: `/console/patients/${id}`, headers: { cookie: `${anna.cookie}; carebot_lang=en`, accept: "text/html" } });
    for (const text of ["Write to the patient", "Points ledger", "for a visit", "asked for a person", "Balance: 350 points"]) expect(en.body, text).toContain(text);
  });

  it("answers 404 for another clinic's patient, to its operator and to this clinic's, and writes nothing", async () => {
    const { patient } = await patientWithTelegram({ fullName: "Соколова Вера Павловна" });
    expect((await get(`/console/patients/${patient.id}`, stranger)).statusCode).toBe(404);
    const theirs = await get(`/console/patients/${otherPatientId}`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain("Кузнецов");
    expect(theirs.body).toContain("Такого пациента нет");
    expect((await write(otherPatientId, "Здравствуйте")).statusCode).toBe(404);
    expect((await write(patient.id, "Здравствуйте", stranger)).statusCode).toBe(404);
    expect(await db.outbox.count({ where: { kind: OPERATOR_FIRST_KIND, patientId: { in: [otherPatientId, patient.id] } } })).toBe(0);
    // Without the session's CSRF token nothing is written either.
    expect((await write(patient.id, "Здравствуйте", anna, "wrong-token")).statusCode).toBe(403);
    expect(await db.outbox.count({ where: { kind: OPERATOR_FIRST_KIND, patientId: patient.id } })).toBe(0);
  });

  it("writes first in the daytime: an audited service message the dispatcher sends to the patient's Telegram", async () => {
    const { patient, user } = await patientWithTelegram({ fullName: "Зайцева Ольга Николаевна" });
    const res = await write(patient.id, "Ольга Николаевна, здравствуйте! Результаты анализов готовы, можно забрать в регистратуре.");
    expect(res.statusCode).toBe(303);
    const [row] = await outboxOf(patient.id);
    expect(row).toMatchObject({ category: "transactional", status: "pending", dueAt: clock.now() });
    expect(res.headers.location).toBe(`/console/patients/${patient.id}?sent=${(row!.payload as { messageId: number }).messageId}#write`);
    expect((await get(String(res.headers.location))).body).toContain("Сообщение отправляется в Telegram.");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "patient.write-first", target: `patient:${patient.id}` } });
    expect(JSON.stringify(audit.details)).not.toContain("анализ");

    await dispatcher.drain();
    const [sent] = await api.waitForMessages(user.id, 1, 10_000);
    expect(sent!.text).toBe("Ольга Николаевна, здравствуйте! Результаты анализов готовы, можно забрать в регистратуре.");
    const card = (await get(`/console/patients/${patient.id}`)).body;
    expect(card).toContain("Результаты анализов готовы");
    expect(card).toContain("отправлено 11:00");
    expect(card).toContain("Анна Администратор");
  });

  it("the patient's answer to it reaches the staff as a note, not the menu", async () => {
    const { patient, user } = await patientWithTelegram({ fullName: "Лебедева Ирина Олеговна" });
    const chat = { channel: "telegram" as const, chatId: String(user.id), userId: String(user.id) };
    // The patient had the menu shown earlier.
    await carebot.router.handle({ ...chat, event: { type: "TEXT", text: "меню" } });

    expect((await write(patient.id, "Ирина Олеговна, здравствуйте! Врач просил напомнить о контрольном снимке.")).statusCode).toBe(303);
    await carebot.router.handle({ ...chat, event: { type: "TEXT", text: "Спасибо! А в какое время можно подъехать на снимок?" } });

    // «Спасибо!» alone would be thanks for the bot; after a staff member's message it is an answer to them.
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(escalation.status).toBe("open");
    expect(await db.conversation.count({ where: { patientId: patient.id, flowId: "patient-message" } })).toBe(1);
    const lastBot = await db.message.findFirstOrThrow({ where: { identity: { patientId: patient.id }, direction: "outbound", operatorId: null }, orderBy: { id: "desc" } });
    expect(lastBot.text).not.toMatch(/Выберите/);
  });

  it("at night waits for the end of the quiet hours, says so, and the dispatcher holds it till then", async () => {
    const { patient, user } = await patientWithTelegram({ fullName: "Белова Светлана Игоревна" });
    clock.set(new Date("2026-11-23T20:30:00Z")); // 23:30 in Moscow
    const res = await write(patient.id, "Светлана Игоревна, добрый вечер! Перезвоните нам, пожалуйста.");
    expect(res.statusCode).toBe(303);
    expect((await get(String(res.headers.location))).body).toContain("Сейчас тихие часы у пациента: отправим в 09:00, 24 нояб.");
    expect(await outboxOf(patient.id)).toMatchObject([{ status: "pending", dueAt: new Date("2026-11-24T06:00:00Z") }]);
    await dispatcher.drain();
    expect(api.messagesTo(user.id)).toEqual([]);
    expect((await get(`/console/patients/${patient.id}`)).body).toContain("отправим в 09:00, 24 нояб.");

    clock.set(new Date("2026-11-24T06:00:00Z"));
    await dispatcher.drain();
    expect((await api.waitForMessages(user.id, 1, 10_000))[0]!.text).toBe("Светлана Игоревна, добрый вечер! Перезвоните нам, пожалуйста.");
  });

  it("the dispatcher itself keeps a message written at 20:59 for the morning if it is not out before 21:00", async () => {
    const { patient, user } = await patientWithTelegram({ fullName: "Новикова Дарья Олеговна" });
    clock.set(new Date("2026-11-23T17:59:00Z")); // 20:59 in Moscow
    expect((await write(patient.id, "Дарья Олеговна, напоминаем про справку.")).statusCode).toBe(303);
    clock.set(new Date("2026-11-23T18:01:00Z"));
    await dispatcher.drain();
    expect(api.messagesTo(user.id)).toEqual([]);
    expect(await outboxOf(patient.id)).toMatchObject([{ status: "pending", dueAt: new Date("2026-11-24T06:00:00Z"), lastError: "quiet hours in the patient's time zone" }]);
  });

  it("refuses to write to a patient who opted out, and the dispatcher skips what was queued before the opt-out", async () => {
    const { patient, user } = await patientWithTelegram({ fullName: "Миронова Алла Петровна" });
    clock.set(new Date("2026-11-23T20:30:00Z"));
    expect((await write(patient.id, "Алла Петровна, ждём вас завтра.")).statusCode).toBe(303);
    await db.patient.update({ where: { id: patient.id }, data: { optedOutAt: new Date("2026-11-23T20:40:00Z"), optOutSource: "chat" } });
    clock.set(new Date("2026-11-24T06:00:00Z"));
    await dispatcher.drain();
    expect(api.messagesTo(user.id)).toEqual([]);
    expect(await outboxOf(patient.id)).toMatchObject([{ status: "skipped", lastError: "the patient opted out" }]);
    expect((await get(`/console/patients/${patient.id}`)).body).toContain("не отправлено");

    const refused = await write(patient.id, "Алла Петровна, это снова клиника.");
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("Пациент отказался от сообщений клиники (23 нояб. 2026): написать ему первым нельзя.");
    // The operator's text stays in the box.
    expect(refused.body).toContain("Алла Петровна, это снова клиника.");
    expect(await outboxOf(patient.id)).toHaveLength(1);
  });

  it("says in Russian when there is nowhere to write, when a colleague holds the chat, and when the text is empty", async () => {
    const lonely = await createPatient(db, clinicId, { fullName: "Титова Нина Сергеевна" });
    await linkChat(db, clinicId, lonely.id, `lonely-web-${lonely.id}`, "web");
    const nowhere = await write(lonely.id, "Нина Сергеевна, здравствуйте!");
    expect(nowhere.statusCode).toBe(409);
    expect(nowhere.body).toContain("Написать некуда: пациент не подключил Telegram, MAX или WhatsApp, или заблокировал бота.");

    const { patient } = await patientWithTelegram({ fullName: "Фролова Ксения Андреевна" });
    const blocked = await db.channelIdentity.findFirstOrThrow({ where: { patientId: patient.id } });
    await db.channelIdentity.update({ where: { id: blocked.id }, data: { unreachableAt: clock.now(), unreachableReason: "Forbidden: bot was blocked by the user" } });
    expect((await write(patient.id, "Ксения Андреевна?")).body).toContain("Написать некуда");
    await db.channelIdentity.update({ where: { id: blocked.id }, data: { unreachableAt: null, unreachableReason: null } });

    await carebot.router.handle({ ...toInboundMessage(blocked.externalChatId, { text: "оператор" }), channel: "telegram" });
    const conversation = await db.conversation.findFirstOrThrow({ where: { identityId: blocked.id } });
    const boris = await db.operator.create({ data: { clinicId, login: "boris-p", passwordHash: "x", displayName: "Борис Оператор" } });
    await db.conversation.update({ where: { id: conversation.id }, data: { status: "operator", operatorId: boris.id } });
    const held = await write(patient.id, "Ксения Андреевна, здравствуйте!");
    expect(held.statusCode).toBe(409);
    expect(held.body).toContain("С этим пациентом уже переписывается Борис Оператор");
    expect(held.body).toContain(`href="/console?conversation=${conversation.id}"`);

    const empty = await write(patient.id, "   ");
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("Напишите текст сообщения.");
    expect(await outboxOf(patient.id)).toEqual([]);
  });
});
