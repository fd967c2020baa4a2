// Urgent escalations announced in the operators' Telegram chat: queued in the escalation's own
// transaction, sent by the real dispatcher through the real grammY sender to the fake Bot API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import type { GrammyChannel } from "../../src/channels/telegram/index.ts";
import { loadConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/client.ts";
import { escalationAlertKey, OPERATOR_ALERT_KIND } from "../../src/domain/escalations/alert.ts";
import type { EscalationAlerts } from "../../src/domain/escalations/alert.ts";
import { openEscalation } from "../../src/domain/escalations/open.ts";
import type { OpenEscalationInput } from "../../src/domain/escalations/open.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { ConversationRouter } from "../../src/conversations/router.ts";
import { createLogger } from "../../src/logger.ts";
import { escalationAlertsFor } from "../../src/operators/alerts/escalation-alerts.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const TOKEN = "123456:ALERTS-TEST-TOKEN-0000000000";
const STAFF_CHAT = -1001234567890;
const silent = createLogger({ level: "silent", pretty: false });

describe(`operator alerts in Telegram for urgent escalations, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let api: FakeBotApi;
  let channel: GrammyChannel;
  let alerts: EscalationAlerts;
  let chatSeq = 0;
  const clock = new FixedClock("2026-11-23T20:30:00Z"); // 23:30 in Moscow: inside the clinic's quiet hours

  const dispatcher = () => new Dispatcher({ db: t.db, clock, logger: silent, senders: { telegram: channel.sender }, limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } } });
  const staffMessages = () => api.messagesTo(STAFF_CHAT);

  /** A patient's chat with a conversation in progress (the menu), ready to be escalated. */
  const conversationOf = async (fullName: string, options: { optedOut?: boolean } = {}) => {
    const patient = await createPatient(db, clinicId, { fullName, phone: `+7916555${String(1000 + ++chatSeq).slice(-4)}` });
    if (options.optedOut) await db.patient.update({ where: { id: patient.id }, data: { optedOutAt: clock.now() } });
    const chatId = `alert-chat-${chatSeq}`;
    await linkChat(db, clinicId, patient.id, chatId);
    const router = createTestRouter(t.db, clock, clinicId);
    await router.text(chatId, "меню");
    const conversation = (await router.conversation(chatId))!;
    // The bot's menu is not what these tests watch (and this chat is unknown to the fake).
    await db.outbox.updateMany({ where: { status: "pending", identityId: conversation.identityId }, data: { status: "skipped" } });
    return { patient, conversationId: conversation.id, identityId: conversation.identityId };
  };

  const escalate = async (target: { patient: { id: number }; conversationId: number; identityId: number }, input: Partial<OpenEscalationInput>) => {
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    return t.db.prisma.$transaction((tx) =>
      openEscalation(tx, {
        clinicId,
        timezone: clinic.timezone,
        sla: parseClinicSettings(clinic.settings).sla,
        calendar: parseClinicSettings(clinic.settings).calendar,
        patientId: target.patient.id,
        identityId: target.identityId,
        conversationId: target.conversationId,
        reason: "health_complaint",
        priority: "urgent",
        now: clock.now(),
        alerts,
        ...input,
      }),
    );
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    api = await startFakeBotApi({ token: TOKEN });
    // The bot was added to the staff group: the fake now knows the chat.
    api.pushUpdate({
      my_chat_member: {
        chat: { id: STAFF_CHAT, type: "supergroup", title: "Администраторы клиники" },
        from: { id: 42, is_bot: false, first_name: "Ольга" },
        date: Math.floor(clock.now().getTime() / 1000),
        old_chat_member: { status: "left", user: api.botInfo },
        new_chat_member: { status: "member", user: api.botInfo },
      },
    });
    channel = createGrammyChannel({ token: TOKEN, apiRoot: api.apiRoot, onInbound: async () => {} });
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, OPERATORS_TELEGRAM_CHAT_ID: String(STAFF_CHAT), PUBLIC_URL: "https://carebot.example.ru/" });
    alerts = escalationAlertsFor(config)!;
  });
  beforeEach(async () => {
    await db.outbox.updateMany({ where: { status: { in: ["pending", "sending"] } }, data: { status: "skipped" } });
  });
  afterAll(async () => {
    await api?.close();
    await t?.dispose();
  });

  it("posts one short alert for an urgent escalation: priority, reason, first name only, SLA, console link", async () => {
    const before = staffMessages().length;
    const target = await conversationOf("Лебедева Ирина Олеговна");
    const escalation = await escalate(target, {});
    const row = await db.outbox.findUniqueOrThrow({ where: { idempotencyKey: escalationAlertKey(escalation.id) } });
    expect(row).toMatchObject({ kind: OPERATOR_ALERT_KIND, status: "pending", identityId: null, patientId: null });

    expect(await dispatcher().drain()).toMatchObject({ sent: 1, dead: 0, skipped: 0 });
    const sent = staffMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toBe(
      [
        "🚨 Новое обращение: срочно",
        "Причина: жалоба на самочувствие",
        "Пациент: Ирина",
        "Ответить до: 24 ноября в 00:00",
        `Открыть: https://carebot.example.ru/console?conversation=${target.conversationId}`,
      ].join("\n"),
    );
    expect(sent[0]!.text).not.toContain("Лебедева");
    expect(sent[0]!.text).not.toContain(target.patient.phone!);
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", externalMessageId: String(sent[0]!.messageId) });

    // The patient asks again, still urgent: the same escalation, no second alert.
    const again = await escalate(target, {});
    expect(again.id).toBe(escalation.id);
    await dispatcher().drain();
    expect(staffMessages().slice(before)).toHaveLength(1);
  });

  it("queues nothing for a normal escalation, and nothing at all when the operators' chat is not configured", async () => {
    const before = staffMessages().length;
    const alertRows = () => db.outbox.count({ where: { kind: OPERATOR_ALERT_KIND } });
    const rowsBefore = await alertRows();
    await escalate(await conversationOf("Смирнов Павел Андреевич"), { priority: "normal", reason: "operator_request" });
    expect(escalationAlertsFor(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }))).toBeUndefined();
    await escalate(await conversationOf("Орлова Мария Игоревна"), { alerts: undefined });
    expect(await alertRows()).toBe(rowsBefore);
    await dispatcher().drain();
    expect(staffMessages().length).toBe(before);
  });

  it("alerts when a waiting escalation becomes urgent, and the patient's opt-out or quiet hours do not hold it back", async () => {
    const before = staffMessages().length;
    const target = await conversationOf("Кузнецова Ольга Петровна", { optedOut: true });
    const waiting = await escalate(target, { priority: "normal", reason: "operator_request" });
    await dispatcher().drain();
    expect(staffMessages().length).toBe(before);
    const raised = await escalate(target, {});
    expect(raised).toMatchObject({ id: waiting.id, priority: "urgent" });
    expect(await dispatcher().drain()).toMatchObject({ sent: 1 });
    const sent = staffMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Пациент: Ольга");
  });

  it("survives a Telegram outage: a 500, then a restart, then success — still exactly one alert", async () => {
    const before = staffMessages().length;
    const escalation = await escalate(await conversationOf("Волков Дмитрий Сергеевич"), {});
    api.failNext("sendMessage", { status: 500 });
    expect(await dispatcher().drain()).toMatchObject({ sent: 0, retried: 1 });
    const waiting = await db.outbox.findUniqueOrThrow({ where: { idempotencyKey: escalationAlertKey(escalation.id) } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.lastError).toMatch(/server/);
    expect(staffMessages().length).toBe(before);

    // A new process (a restart) picks the row up once its backoff is over.
    clock.set(new Date(waiting.dueAt.getTime() + 1000));
    expect(await dispatcher().drain()).toMatchObject({ sent: 1, retried: 0 });
    expect(await dispatcher().drain()).toMatchObject({ claimed: 0 });
    const sent = staffMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Пациент: Дмитрий");
    expect(await db.outbox.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "sent", attempts: 2 });
    clock.set("2026-11-23T20:30:00Z");
  });

  it("gives an alert up at once when the bot may not post in the chat, saying why", async () => {
    const escalation = await escalate(await conversationOf("Зайцева Анна Львовна"), {});
    api.failNext("sendMessage", { status: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    expect(await dispatcher().drain()).toMatchObject({ dead: 1 });
    const row = await db.outbox.findUniqueOrThrow({ where: { idempotencyKey: escalationAlertKey(escalation.id) } });
    expect(row.status).toBe("dead");
    expect(row.lastError).toMatch(/kicked/);
  });

  it("is wired through the router: a complaint at the care check-in alerts the staff once", async () => {
    const patient = await createPatient(db, clinicId, { fullName: "Орлова Вера Павловна", phone: "+79165559999" });
    const chatId = "alert-checkin";
    const identity = await linkChat(db, clinicId, patient.id, chatId);
    const { flows } = createTestRouter(t.db, clock, clinicId);
    const router = new ConversationRouter({ db: t.db, clock, logger: silent, catalog: () => flows.catalog(), clinicId, escalationAlerts: alerts });
    await router.startFlow(identity.id, "care-checkin", { category: "care" });
    await router.handle({ channel: "telegram", chatId, userId: chatId, dedupeKey: "alert-checkin-1", event: { type: "TEXT", text: "Опухла щека и болит" } });
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(escalation).toMatchObject({ reason: "health_complaint", priority: "urgent" });
    // The patient's own chat is unknown to the fake: only the staff alert is watched here.
    await db.outbox.updateMany({ where: { status: "pending", identityId: identity.id }, data: { status: "skipped" } });
    const before = staffMessages().length;
    await dispatcher().drain();
    const sent = staffMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Пациент: Вера");
    expect(sent[0]!.text).toContain(`/console?conversation=${escalation.conversationId}`);
  });
});
