import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeMaxUser, startFakeMaxApi } from "../support/fake-max-api/index.ts";
import type { FakeMaxApi, FakeMaxUser, MaxSentMessage } from "../support/fake-max-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "max-e2e-token-0123456789abcdef";
const API_TOKEN = "max-e2e-api-token-0123456789abcd";
const SECRET = "max-webhook-secret-0123456789";
const silent = createLogger({ level: "silent", pretty: false });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The payload of the callback button labelled `label` (exact text or pattern). */
function buttonOf(message: MaxSentMessage, label: string | RegExp): string {
  const button = (message.buttons ?? []).flat().find((b) => (typeof label === "string" ? b.text === label : label.test(b.text)));
  if (!button || button.type !== "callback") throw new Error(`no callback button ${String(label)} in ${JSON.stringify(message.buttons)}`);
  return button.payload;
}

/**
 * The MAX channel end to end, as a clinic runs CareBot: patients talk to the real
 * @maxhub/max-bot-api client (pointed at the loopback fake MAX Bot API), the MIS posts visits to
 * the HTTP API, the outbox dispatcher delivers. Only the clock is ours.
 */
describe(`MAX channel end to end (long polling, outbox) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeMaxApi;
  let service: RunningService;
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow
  let userIds = 300;

  const mis = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const next = async (user: FakeMaxUser, count: number): Promise<MaxSentMessage> => (await api.waitForMessages(user, count))[count - 1]!;
  const advance = async (ms: number) => {
    clock.advance(ms);
    await service.dispatcher.drain();
  };
  /** A patient of the clinic whose MAX dialog is linked by their own shared contact. */
  const linkedPatient = async (externalId: string, fullName: string, phone: string): Promise<FakeMaxUser> => {
    await mis("POST", "/api/patients", { externalId, fullName, phone });
    const user = fakeMaxUser(++userIds, { firstName: fullName.split(" ")[1] });
    api.startBot(user);
    await next(user, 1);
    api.sendContact(user, phone);
    await api.waitForMessages(user, 3);
    return user;
  };
  const completedVisit = (externalId: string, patientExternalId: string) =>
    mis("POST", "/api/visits", {
      externalId, patientExternalId, doctor: "Громов Артур Сергеевич", service: "Лечение кариеса",
      serviceCategory: "dentistry", amount: 900_000, status: "completed", startsAt: clock.now().toISOString(),
    });

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeMaxApi({ token: TOKEN, botUsername: "clinic_max_bot" });
    const config = loadConfig({ DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, MAX_BOT_TOKEN: TOKEN, MAX_API_URL: api.url, MAX_CHAT_INTERVAL_MS: "0" }, ROOT);
    service = await startService(config, { logger: silent, clock });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("a patient who types «меню» is asked for the phone, links by sharing the contact, then gets the menu", async () => {
    await mis("POST", "/api/patients", { externalId: "MAX-1", fullName: "Лебедева Ирина", phone: "+79165551001" });
    const user = fakeMaxUser(++userIds, { firstName: "Ирина" });
    api.sendText(user, "меню");
    const ask = await next(user, 1);
    expect(ask.text).toContain("поделитесь номером телефона");
    expect(ask.buttons?.[0]).toEqual([{ type: "request_contact", text: "Поделиться номером" }]);

    // Somebody else's card does not link the chat.
    api.sendContact(user, "+79165551001", { own: false });
    await next(user, 2);
    const identity = () => service.db.prisma.channelIdentity.findFirstOrThrow({ where: { channel: "max", externalChatId: String(user.chatId) } });
    expect((await identity()).patientId).toBeNull();

    api.sendContact(user, "+79165551001");
    const linked = await next(user, 3);
    expect(linked.text).toMatch(/^Спасибо, Ирина! Мы нашли вашу карту/);
    const patient = await service.db.prisma.patient.findFirstOrThrow({ where: { externalId: "MAX-1" } });
    expect((await identity()).patientId).toBe(patient.id);

    const before = api.messagesTo(user).length;
    api.sendText(user, "меню");
    const menu = await next(user, before + 1);
    expect(menu.text).toBe("Ирина, чем мы можем помочь? Выберите, пожалуйста:");
    expect((menu.buttons ?? []).flat().every((b) => b.type === "callback")).toBe(true);
    expect((menu.buttons ?? []).flat().map((b) => b.text)).toContain("Связаться с администратором");
  });

  it("gets the NPS survey from the outbox and answers by button; the pressed keyboard goes away", async () => {
    const user = await linkedPatient("MAX-2", "Козлов Павел", "+79165551002");
    await completedVisit("MAX-V2", "MAX-2");
    await advance(2 * 3600_000 + 60_000);
    const question = await next(user, 4);
    expect(question.text).toContain("насколько вероятно, что вы порекомендуете нас");
    expect((question.buttons ?? []).flat().map((b) => b.text)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

    api.pressButton(user, question.mid, buttonOf(question, "10"));
    const comment = await next(user, 5);
    expect(comment.text).toContain("Что вам понравилось больше всего?");
    // The press was answered by editing the question: same text, no keyboard left to press twice.
    expect(api.answers.at(-1)?.message).toEqual({ text: question.text, attachments: [] });
    expect(api.sent.find((m) => m.mid === question.mid)?.buttons).toBeUndefined();
    api.pressButton(user, comment.mid, buttonOf(comment, "Пропустить"));
    await next(user, 6);
    expect(await service.db.prisma.npsResponse.findFirstOrThrow({ where: { patient: { externalId: "MAX-2" } } })).toMatchObject({ score: 10, category: "promoter" });
  });

  it("answers the NPS survey by typing «9»", async () => {
    const user = await linkedPatient("MAX-3", "Соколова Мария", "+79165551003");
    await completedVisit("MAX-V3", "MAX-3");
    await advance(2 * 3600_000 + 60_000);
    await next(user, 4);
    api.sendText(user, "9");
    expect((await next(user, 5)).text).toContain("Что вам понравилось больше всего?");
    api.sendText(user, "Врач всё объяснил, спасибо");
    await next(user, 6);
    expect(await service.db.prisma.npsResponse.findFirstOrThrow({ where: { patient: { externalId: "MAX-3" } } })).toMatchObject({ score: 9, category: "promoter" });
  });

  it("respects a 429: the message waits for the dispatcher's retry and then arrives once", async () => {
    const user = await linkedPatient("MAX-4", "Орлова Анна", "+79165551004");
    const before = api.messagesTo(user).length;
    api.failNext("POST /messages", { status: 429, message: "Too many requests" });
    api.sendText(user, "меню");
    await expect.poll(() => service.db.prisma.outbox.count({ where: { identity: { externalChatId: String(user.chatId) }, status: "pending", lastError: { contains: "429" } } }), { timeout: 10_000 }).toBe(1);
    expect(api.messagesTo(user)).toHaveLength(before);
    await advance(1_000);
    const menu = await next(user, before + 1);
    expect(menu.text).toBe("Анна, чем мы можем помочь? Выберите, пожалуйста:");
    expect(api.messagesTo(user)).toHaveLength(before + 1);
  });

  it("a patient who blocked the bot is marked unreachable, and the survey is not sent again", async () => {
    const user = await linkedPatient("MAX-5", "Зайцев Олег", "+79165551005");
    api.block(user);
    await completedVisit("MAX-V5", "MAX-5");
    await advance(2 * 3600_000 + 60_000);
    const identity = () => service.db.prisma.channelIdentity.findFirstOrThrow({ where: { channel: "max", externalChatId: String(user.chatId) } });
    await expect.poll(async () => (await identity()).unreachableAt, { timeout: 10_000 }).not.toBeNull();
    // The chat is marked first, then the row is given up: wait for both.
    const survey = () => service.db.prisma.outbox.findFirstOrThrow({ where: { kind: { contains: "nps" }, identity: { externalChatId: String(user.chatId) } } });
    await expect.poll(async () => (await survey()).status, { timeout: 10_000 }).toBe("dead");
    expect((await identity()).unreachableReason).toContain("chat.denied");
    expect(api.messagesTo(user)).toHaveLength(3);
  });

  it("a patient shares a max.ru deep link, and the friend who opens it starts the referral flow", async () => {
    const dasha = await linkedPatient("MAX-6", "Новикова Дарья", "+79165551006");
    const referrer = await service.db.prisma.patient.findFirstOrThrow({ where: { externalId: "MAX-6" } });
    const clinic = await service.db.prisma.clinic.findUniqueOrThrow({ where: { id: referrer.clinicId } });
    await service.db.prisma.clinic.update({ where: { id: clinic.id }, data: { settings: { ...(clinic.settings as object), maxBot: "clinic_max_bot" } } });
    api.sendText(dasha, "пригласить друга");
    const share = await next(dasha, 4);
    const link = `https://max.ru/clinic_max_bot?start=ref_${referrer.referralCode}`;
    expect(share.text).toContain(`Ссылка для MAX: ${link}`);

    const friend = fakeMaxUser(++userIds, { firstName: "Олег" });
    api.startBot(friend, new URL(link).searchParams.get("start")!);
    expect((await next(friend, 1)).text).toContain("Вас пригласили в клинику");
    api.sendContact(friend, "+79165551099");
    expect((await next(friend, 2)).text).toMatch(/Приглашение засчитано/);
  });

  it("reports itself in /health and polls with a marker that moves on", async () => {
    const health = await (await fetch(`${service.url}/health`)).json();
    expect(health).toMatchObject({ components: { max: { ok: true, mode: "polling", botUsername: "clinic_max_bot" } } });
    expect(api.confirmedMarker()).toBeGreaterThan(0);
    const polls = api.calls.filter((c) => c.path === "/updates");
    expect(polls.at(-1)?.query.types).toBe("message_created,message_callback,bot_started");
  });
});

describe(`MAX channel by webhook on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeMaxApi;
  let service: RunningService;
  let hook: string;

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeMaxApi({ token: TOKEN });
    const port = await freePort();
    hook = `http://127.0.0.1:${port}/max/webhook`;
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: String(port), MAX_BOT_TOKEN: TOKEN, MAX_API_URL: api.url, MAX_WEBHOOK_URL: hook, MAX_WEBHOOK_SECRET: SECRET, MAX_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: silent, clock: new FixedClock("2026-11-23T07:00:00Z") });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("subscribes with the secret, answers updates MAX posts, and refuses a wrong secret", async () => {
    expect(api.subscriptions).toEqual([expect.objectContaining({ url: hook, secret: SECRET, update_types: ["message_created", "message_callback", "bot_started"] })]);
    expect(api.calls.some((c) => c.path === "/updates")).toBe(false);

    const user = fakeMaxUser(401, { firstName: "Вера" });
    api.startBot(user);
    expect((await api.waitForMessages(user, 1))[0]!.text).toContain("поделитесь номером телефона");

    const forged = { update_type: "message_created", timestamp: Date.now(), message: { sender: { user_id: 402, first_name: "X", is_bot: false }, recipient: { chat_id: 7_000_402, chat_type: "dialog" }, body: { mid: "forged", seq: 1, text: "меню" } } };
    for (const headers of [{ "x-max-bot-api-secret": "wrong-secret-0123456789" }, {}] as Record<string, string>[]) {
      const refused = await fetch(hook, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(forged) });
      expect(refused.status).toBe(401);
    }
    expect(await service.db.prisma.channelIdentity.count({ where: { channel: "max", externalChatId: "7000402" } })).toBe(0);

    const malformed = await fetch(hook, { method: "POST", headers: { "content-type": "application/json", "x-max-bot-api-secret": SECRET }, body: JSON.stringify({ hello: 1 }) });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: expect.stringContaining("update_type") });
  });
});
