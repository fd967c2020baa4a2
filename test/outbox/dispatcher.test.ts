import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import type { GrammyChannel } from "../../src/channels/telegram/index.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { claimDue } from "../../src/outbox/claim.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

/** The short line a question answers an unclear reply with, its buttons below (common.reask-choose). */
const REASK = "Извините, не получилось разобрать ответ. Выберите, пожалуйста, вариант ниже — или напишите «меню», если вам нужно что-то другое.";

const TOKEN = "123456:DISPATCHER-TEST-TOKEN-000";
const silent = createLogger({ level: "silent", pretty: false });

describe(`outbox dispatcher → real grammY sender → fake Bot API, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let api: FakeBotApi;
  let channel: GrammyChannel;
  let userId = 7000;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const dispatcher = (owner?: string) =>
    new Dispatcher({ db: t.db, clock, logger: silent, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } }, owner });

  /** A linked patient whose chat has written to the bot (the fake knows chats that wrote). */
  const patientChat = async (data: Parameters<typeof createPatient>[2] = {}) => {
    const user = fakeUser(++userId);
    api.sendText(user, "привет");
    const patient = await createPatient(db, clinicId, data);
    const identity = await linkChat(db, clinicId, patient.id, String(user.id));
    return { user, patient, identity, chatId: String(user.id) };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    api = await startFakeBotApi({ token: TOKEN });
    channel = createGrammyChannel({ token: TOKEN, apiRoot: api.apiRoot, onInbound: async () => {} });
  });
  // Each test starts with nothing left to send from the one before.
  beforeEach(async () => {
    await db.outbox.updateMany({ where: { status: { in: ["pending", "sending"] } }, data: { status: "skipped" } });
  });
  afterAll(async () => {
    await api.close();
    await t.dispose();
  });

  it("a dispatcher serving one clinic claims only that clinic's rows from a shared database", async () => {
    const other = await createClinic(db);
    const row = (clinic: number, key: string) =>
      db.outbox.create({ data: { clinicId: clinic, idempotencyKey: key, kind: "message", category: "reply", payload: { message: { text: "…" } }, dueAt: clock.now() } });
    const mine = await row(clinicId, `scope-mine-${Date.now()}`);
    const theirs = await row(other.id, `scope-theirs-${Date.now()}`);
    expect(await claimDue(t.db, "clinic-a", clock.now(), 60_000, 50, clinicId)).toEqual([mine.id]);
    expect(await claimDue(t.db, "clinic-b", clock.now(), 60_000, 50, other.id)).toEqual([theirs.id]);
  });

  it("records 'sent' once the database is back, rather than sending again after the lease", async () => {
    const { chatId, user } = await patientChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "стоп");
    // The database drops the connection for the first two writes of "sent" (the message has left).
    let failures = 2;
    // "sent" is typed SQL (src/outbox/sent-log.ts): the client fails it, with SQLite's direct path hidden so it goes through.
    const flaky = new Proxy(t.db.prisma, {
      get(target, prop) {
        if (prop === Symbol.for("carebot.direct-sqlite")) return undefined;
        if (prop !== "$executeRawUnsafe") return Reflect.get(target, prop);
        return (sql: string, ...values: unknown[]) => {
          if (sql.includes('"sentAt" = "v"."column2"') && failures-- > 0) return Promise.reject(Object.assign(new Error("Can't reach database server"), { code: "P1001" }));
          return target.$executeRawUnsafe(sql, ...values);
        };
      },
    });
    const flakyDb = { ...t.db, prisma: flaky as unknown as typeof t.db.prisma };
    const d = new Dispatcher({ db: flakyDb, clock, logger: silent, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } } });
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 0, dead: 0 });
    expect(failures).toBe(-1);
    expect(api.messagesTo(user.id)).toHaveLength(1);
    const row = await db.outbox.findFirstOrThrow({ where: { identity: { externalChatId: chatId } } });
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("sends a chat's messages in order, with the options as an inline keyboard", async () => {
    const { chatId, user } = await patientChat();
    const r = createTestRouter(t.db, clock, clinicId);
    await r.text(chatId, "стоп");
    await r.text(chatId, "что?");
    await r.text(chatId, "хм?");
    const summary = await dispatcher().drain();
    expect(summary).toMatchObject({ sent: 3, retried: 0, dead: 0 });
    const sent = api.messagesTo(user.id);
    expect(sent.map((m) => m.text)).toEqual([
      expect.stringContaining("Вы хотите, чтобы мы больше не присылали"),
      REASK,
      // The opt-out question gives up after two unclear replies and asks a person to help.
      expect.stringContaining("Похоже, нам не удаётся понять друг друга"),
    ]);
    expect(JSON.stringify(sent[0]!.replyMarkup)).toContain("Да, больше не присылать");
    const rows = await db.outbox.findMany({ where: { identity: { externalChatId: chatId } } });
    expect(rows.every((row) => row.status === "sent" && row.externalMessageId !== null && row.sentAt !== null)).toBe(true);
  });

  it("waits out a 429 (retry_after) without counting it as a failure, and keeps the chat's order", async () => {
    const { chatId, user } = await patientChat();
    const r = createTestRouter(t.db, clock, clinicId);
    await r.text(chatId, "стоп");
    await r.text(chatId, "что?");
    await r.text(chatId, "хм?");
    api.failNext("sendMessage", { status: 429, retryAfter: 3 });
    const first = await dispatcher().runOnce();
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    const [held, ...behind] = await db.outbox.findMany({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "asc" } });
    expect(held).toMatchObject({ status: "pending", attempts: 0, dueAt: new Date(clock.now().getTime() + 3000) });
    expect(held!.lastError).toContain("429");
    expect(behind.every((row) => row.status === "pending")).toBe(true);
    // Nothing of this chat goes out before the retry time, not even the later messages.
    expect((await dispatcher().drain()).sent).toBe(0);
    clock.advance(3000);
    expect((await dispatcher().drain()).sent).toBe(3);
    expect(api.messagesTo(user.id).map((m) => m.text)[1]).toBe(REASK);
  });

  it("backs off on 5xx and network errors, then delivers", async () => {
    const { chatId, user } = await patientChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "меню");
    api.failNext("sendMessage", { status: 500 }, 2);
    for (let i = 0; i < 2; i++) {
      expect((await dispatcher().runOnce()).retried).toBe(1);
      clock.advance(10 * 60_000);
    }
    expect((await dispatcher().runOnce()).sent).toBe(1);
    const row = await db.outbox.findFirstOrThrow({ where: { identity: { externalChatId: chatId } } });
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
    expect(api.messagesTo(user.id)).toHaveLength(1);
  });

  it("draws the backoff's jitter from the injected random source: each retry is due at an exact time", async () => {
    const { chatId, user } = await patientChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "меню");
    // 0 is the shortest wait (0.75 × 2 s after the first attempt), 0.5 the middle one (1 × 4 s after the second).
    const draws = [0, 0.5];
    const d = new Dispatcher({ db: t.db, clock, random: () => draws.shift()!, logger: silent, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } } });
    const row = () => db.outbox.findFirstOrThrow({ where: { identity: { externalChatId: chatId } } });
    api.failNext("sendMessage", { status: 500 }, 2);
    expect((await d.runOnce()).retried).toBe(1);
    expect(await row()).toMatchObject({ attempts: 1, dueAt: new Date(clock.now().getTime() + 1500) });
    clock.advance(1499);
    expect((await d.runOnce()).claimed).toBe(0);
    clock.advance(1);
    expect((await d.runOnce()).retried).toBe(1);
    expect(await row()).toMatchObject({ attempts: 2, dueAt: new Date(clock.now().getTime() + 4000) });
    expect(draws).toEqual([]);
    clock.advance(4000);
    expect((await d.runOnce()).sent).toBe(1);
    expect(api.messagesTo(user.id)).toHaveLength(1);
  });

  it("gives up after the last attempt and records the error", async () => {
    const { chatId } = await patientChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "меню");
    const d = new Dispatcher({ db: t.db, clock, logger: silent, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } }, maxAttempts: 2 });
    api.failNext("sendMessage", { status: 502 }, 2);
    await d.runOnce();
    clock.advance(10 * 60_000);
    expect((await d.runOnce()).dead).toBe(1);
    const row = await db.outbox.findFirstOrThrow({ where: { identity: { externalChatId: chatId } } });
    expect(row.status).toBe("dead");
    expect(row.lastError).toMatch(/server: .*after 2 attempts/);
  });

  it("marks a chat that blocked the bot unreachable and sends it nothing more", async () => {
    const { chatId, user } = await patientChat();
    const r = createTestRouter(t.db, clock, clinicId);
    await r.text(chatId, "меню");
    api.blockBot(user);
    expect((await dispatcher().runOnce()).dead).toBe(1);
    const identity = await db.channelIdentity.findFirstOrThrow({ where: { externalChatId: chatId } });
    expect(identity.unreachableAt).toEqual(clock.now());
    await r.text(chatId, "оператор");
    expect((await dispatcher().drain()).dead).toBe(1);
    expect(api.calls.filter((c) => c.method === "sendMessage" && c.body.chat_id === user.id)).toHaveLength(1);
  });

  it("sends nothing but replies to a patient who opted out", async () => {
    const { chatId, patient, identity, user } = await patientChat();
    await db.patient.update({ where: { id: patient.id }, data: { optedOutAt: clock.now() } });
    await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: identity.id, idempotencyKey: `care:${patient.id}`, kind: "checkin", category: "care", payload: { message: { text: "Как вы себя чувствуете?" } }, dueAt: clock.now() },
    });
    await createTestRouter(t.db, clock, clinicId).text(chatId, "меню");
    expect(await dispatcher().drain()).toMatchObject({ sent: 1, skipped: 1 });
    expect(api.messagesTo(user.id).map((m) => m.text)).toEqual([expect.stringContaining("чем мы можем помочь")]);
  });

  it("re-sends what a crashed process had claimed once its lease runs out", async () => {
    const { chatId, user } = await patientChat();
    await createTestRouter(t.db, clock, clinicId).text(chatId, "меню");
    // A process claims the row and dies before sending.
    expect(await claimDue(t.db, "crashed-process", clock.now(), 60_000, 10)).toHaveLength(1);
    expect((await dispatcher().runOnce()).claimed).toBe(0);
    clock.advance(60_001);
    expect((await dispatcher().runOnce()).sent).toBe(1);
    expect(api.messagesTo(user.id)).toHaveLength(1);
  });

  it("sends every message exactly once with two dispatchers working side by side", async () => {
    const chats = await Promise.all(Array.from({ length: 20 }, () => patientChat()));
    const r = createTestRouter(t.db, clock, clinicId);
    await Promise.all(chats.map(({ chatId }) => r.text(chatId, "стоп").then(() => r.text(chatId, "что?")).then(() => r.text(chatId, "хм?"))));
    const before = api.calls.filter((c) => c.method === "sendMessage").length;
    const [a, b] = [dispatcher("instance-a"), dispatcher("instance-b")];
    const results = await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    expect(results.reduce((n, s) => n + s.sent, 0)).toBe(60);
    expect(api.calls.filter((c) => c.method === "sendMessage").length - before).toBe(60);
    for (const { user, chatId } of chats) {
      const texts = api.messagesTo(user.id).map((m) => m.text);
      const rows = await db.outbox.findMany({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "asc" } });
      const why = JSON.stringify({ texts: texts.map((t) => t.slice(0, 12)), rows: rows.map((r) => [r.id, r.status, r.attempts, r.sentAt, r.externalMessageId, (r.payload as any).message.text.slice(0, 12)]) });
      expect(texts, why).toHaveLength(3);
      expect(texts[1], why).toBe(REASK);
    }
  });
});

describe(`what CareBot sends of its own accord, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T19:30:00Z"); // 22:30 in Moscow
  const sent: { chatId: string; text: string }[] = [];
  const sender = { channel: "telegram" as const, send: async (chatId: string, message: { text: string }) => (sent.push({ chatId, text: message.text }), { ok: true as const }) };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t.dispose());

  const setup = async (key: string, category: "marketing" | "care", timezone?: string) => {
    const patient = await createPatient(db, clinicId, { timezone });
    const identity = await linkChat(db, clinicId, patient.id, `own-${key}`);
    const r = createTestRouter(t.db, clock, clinicId);
    const dispatcher = new Dispatcher({
      db: t.db, clock, logger: silent, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => r.router.startFlow(identityId, flowId, options),
    });
    const row = await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: null, idempotencyKey: key, kind: "start-flow", category, payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    return { patient, identity, dispatcher, row };
  };

  it("keeps marketing for the morning in the patient's own time zone, but not care", async () => {
    const moscow = await setup("quiet-msk", "marketing");
    await moscow.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: moscow.row.id } })).toMatchObject({ status: "pending", dueAt: new Date("2026-11-24T06:00:00Z") });
    // The same moment is 14:30 for a patient living in New York: it goes.
    const abroad = await setup("quiet-ny", "marketing", "America/New_York");
    await abroad.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: abroad.row.id } })).toMatchObject({ status: "sent" });
    const care = await setup("care-at-night", "care");
    await care.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: care.row.id } })).toMatchObject({ status: "sent" });
  });

  it("sends at most one marketing conversation per patient in three days", async () => {
    clock.set("2026-11-24T09:00:00Z"); // 12:00 in Moscow
    const first = await setup("cap-1", "marketing");
    await first.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: first.row.id } })).toMatchObject({ status: "sent" });
    const second = await db.outbox.create({
      data: { clinicId, patientId: first.patient.id, identityId: null, idempotencyKey: "cap-2", kind: "start-flow", category: "marketing", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    await first.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "pending", dueAt: new Date("2026-11-27T09:00:00Z") });
  });

  it("says nothing of its own accord while an operator holds the chat", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const held = await setup("held", "care");
    await db.conversation.create({
      data: { clinicId, identityId: held.identity.id, patientId: held.patient.id, flowId: "operator-request", flowVersion: 1, flowDefinition: {}, snapshot: {}, status: "operator" },
    });
    await held.dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: held.row.id } })).toMatchObject({ status: "pending", lastError: "the patient is in the middle of a conversation" });
  });

  it("reads the rules an admin changed at its next pass (the clinic source, keyed by the clinic row's updatedAt)", async () => {
    clock.set("2026-11-24T19:30:00Z"); // 22:30 in Moscow: quiet hours by default
    const clinic = await createClinic(db);
    const patient = await createPatient(db, clinic.id);
    await linkChat(db, clinic.id, patient.id, "rules-cache");
    const r = createTestRouter(t.db, clock, clinic.id);
    const dispatcher = new Dispatcher({
      db: t.db, clock, logger: silent, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => r.router.startFlow(identityId, flowId, options),
    });
    const row = await db.outbox.create({
      data: { clinicId: clinic.id, patientId: patient.id, identityId: null, idempotencyKey: "rules-cache", kind: "start-flow", category: "marketing", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    await dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "pending", lastError: "quiet hours in the patient's time zone" });
    // The admin turns quiet hours off; the row is due again at once.
    await db.clinic.update({ where: { id: clinic.id }, data: { settings: parseClinicSettings({ ...(clinic.settings as object), quietHours: { start: "00:00", end: "00:00" } }) } });
    await db.outbox.update({ where: { id: row.id }, data: { dueAt: clock.now() } });
    await dispatcher.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent" });
  });

  it("falls back to the patient's other messenger when one cannot send", async () => {
    clock.set("2026-11-24T11:00:00Z");
    const patient = await createPatient(db, clinicId);
    await db.patient.update({ where: { id: patient.id }, data: { preferredChannel: "whatsapp" } });
    await linkChat(db, clinicId, patient.id, "79990009988@c.us", "whatsapp");
    const telegram = await linkChat(db, clinicId, patient.id, "fallback-tg", "telegram");
    const r = createTestRouter(t.db, clock, clinicId);
    const whatsappDown = new Dispatcher({
      db: t.db, clock, logger: silent, senders: { telegram: sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, options) => r.router.startFlow(identityId, flowId, options),
      channelReady: (channel) => channel === "telegram",
    });
    const row = await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: null, idempotencyKey: "fallback", kind: "start-flow", category: "care", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    await whatsappDown.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", sentVia: telegram.id });
    expect(sent.at(-1)).toMatchObject({ chatId: "fallback-tg" });
  });

  it("a conversation one messenger refuses for good starts again in the patient's next one, with the reason kept", async () => {
    clock.set("2026-11-24T12:00:00Z");
    const patient = await createPatient(db, clinicId);
    const whatsapp = await linkChat(db, clinicId, patient.id, "79990001122@c.us", "whatsapp");
    // She last answered in WhatsApp, two days ago: the Cloud API takes only a template there now.
    await db.channelIdentity.update({ where: { id: whatsapp.id }, data: { lastInboundAt: new Date("2026-11-22T12:00:00Z") } });
    const max = await db.channelIdentity.create({ data: { clinicId, channel: "max", externalChatId: "5550001", patientId: patient.id, linkedAt: clock.now() } });
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await db.clinic.update({ where: { id: clinicId }, data: { settings: { ...(clinic.settings as object), channelOrder: ["whatsapp", "max"] } } });
    const delivered: { channel: string; chatId: string; text: string }[] = [];
    const r = createTestRouter(t.db, clock, clinicId);
    const options: ConstructorParameters<typeof Dispatcher>[0] = {
      db: t.db, clock, logger: silent,
      senders: {
        // No template for the message outside the window (the Cloud sender's answer).
        whatsapp: { channel: "whatsapp", send: async () => ({ ok: false, reason: "window_closed", permanent: true, error: "outside WhatsApp's 24-hour window, and settings.whatsappTemplates has no template" }) },
        max: { channel: "max", send: async (chatId, message) => (delivered.push({ channel: "max", chatId, text: message.text }), { ok: true, externalMessageId: `m-${delivered.length}` }) },
      },
      limits: { max: { perSecond: 0, perChatIntervalMs: 0 } },
      startFlow: (identityId, flowId, start) => r.router.startFlow(identityId, flowId, start),
    };
    const moving = new Dispatcher(options);
    const row = await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: null, idempotencyKey: "failover-window", kind: "start-flow", category: "care", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    await moving.drain();
    await moving.drain();
    // Without a service window configured, WhatsApp (last answered, first in the order) went first; it refused.
    const refused = await db.outbox.findFirstOrThrow({ where: { idempotencyKey: "failover-window:0" } });
    expect(refused).toMatchObject({ identityId: whatsapp.id, status: "skipped" });
    expect(refused.movedAt).toEqual(clock.now());
    expect(refused.lastError).toMatch(/^whatsapp: window_closed: outside WhatsApp's 24-hour window/);
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", sentVia: max.id, triedChannels: "whatsapp" });
    expect(await db.outbox.findFirstOrThrow({ where: { idempotencyKey: "failover-window@max:0" } })).toMatchObject({ identityId: max.id, status: "sent" });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.chatId).toBe("5550001");
    expect(await db.conversation.findFirstOrThrow({ where: { identityId: whatsapp.id } })).toMatchObject({ status: "closed" });

    // With the window known, the same patient's next message goes to MAX at once: WhatsApp could take only a template.
    const windowed = new Dispatcher({ ...options, serviceWindowMs: { whatsapp: 24 * 3_600_000 } });
    const next = await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: null, idempotencyKey: "failover-window-2", kind: "start-flow", category: "care", payload: { startFlow: "bonus-balance" }, dueAt: clock.now() },
    });
    clock.advance(3_600_000);
    await windowed.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: next.id } })).toMatchObject({ status: "sent", sentVia: max.id, triedChannels: null });
  });

  it("a reply to the patient's own message stays in the chat they wrote in, even when it fails there", async () => {
    const patient = await createPatient(db, clinicId);
    const identity = await linkChat(db, clinicId, patient.id, "reply-stays-tg");
    await db.channelIdentity.create({ data: { clinicId, channel: "max", externalChatId: "5550002", patientId: patient.id, linkedAt: clock.now() } });
    const failing = new Dispatcher({
      db: t.db, clock, logger: silent,
      senders: { telegram: { channel: "telegram", send: async () => ({ ok: false, reason: "bad_request", permanent: true, error: "400: Bad Request: chat not found" }) } },
      limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
    });
    const reply = await db.outbox.create({
      data: { clinicId, patientId: patient.id, identityId: identity.id, idempotencyKey: `reply-stays-${identity.id}:0`, kind: "flow:menu", category: "reply", payload: { message: { text: "Чем помочь?" } }, dueAt: clock.now() },
    });
    await failing.drain();
    expect(await db.outbox.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ status: "dead", movedAt: null, lastError: "bad_request: 400: Bad Request: chat not found" });
  });
});
