import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { dashboardFigures } from "../../src/operators/dashboard/figures.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { fakeMaxUser, startFakeMaxApi } from "../support/fake-max-api/index.ts";
import type { FakeMaxApi } from "../support/fake-max-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { settleOutbox } from "../support/settle.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TG_TOKEN = "123456:FAILOVER-E2E-TOKEN-000000000";
const MAX_TOKEN = "max-failover-token-0123456789abcdef";
const API_TOKEN = "failover-e2e-api-token-0123456789";

/**
 * Issue #18's "done when": a patient linked in Telegram and MAX blocks the bot in Telegram; the
 * visit reminder Telegram refuses with 403 arrives in MAX, and so does the next one, with no
 * Telegram attempt. Real grammY against the fake Bot API, the real MAX client against the fake
 * MAX API, the real planner and dispatcher on our clock, the dashboard's own figures.
 */
describe(`channel failover end to end (Telegram → MAX) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let tg: FakeBotApi;
  let max: FakeMaxApi;
  let service: RunningService;
  // Wednesday 2 December 2026, 09:00 in Moscow.
  const clock = new FixedClock("2026-12-02T06:00:00Z");

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
  const settle = () => settleOutbox(service.db, service.dispatcher, () => clock.now());
  const tick = async (at: string) => {
    await settle();
    clock.set(at);
    const run = await runPlanner(service.db, "reminder", { clinicId: service.carebot.clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() });
    await settle();
    return run;
  };
  /** The demo clinic's own patients, with no chat at all: reachable nowhere from the start. */
  let nowhere = 0;
  const identity = (channel: "telegram" | "max", chatId: number) => service.db.prisma.channelIdentity.findFirstOrThrow({ where: { channel, externalChatId: String(chatId) } });

  beforeAll(async () => {
    target = await createEmptyDatabase();
    tg = await startFakeBotApi({ token: TG_TOKEN });
    max = await startFakeMaxApi({ token: MAX_TOKEN, botUsername: "clinic_max_bot" });
    const config = loadConfig(
      {
        DATABASE_URL: target.config.url,
        PORT: "0",
        API_TOKEN,
        TELEGRAM_BOT_TOKEN: TG_TOKEN,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_CHAT_INTERVAL_MS: "0",
        MAX_BOT_TOKEN: MAX_TOKEN,
        MAX_API_URL: max.url,
        MAX_CHAT_INTERVAL_MS: "0",
        SCHEDULER_ENABLED: "0",
      },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    nowhere = (await dashboardFigures(service.db, service.carebot.clinic.id, clock.now())).channels.unreachable;
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await tg?.close();
    await max?.close();
    await target?.drop();
  });

  it("blocking the bot in Telegram moves that reminder and the next one to MAX, and the dashboard counts it", async () => {
    await mis("POST", "/api/patients", { externalId: "FO-1", fullName: "Смирнова Ольга", phone: "+79165551001" });
    const patient = await service.db.prisma.patient.findFirstOrThrow({ where: { externalId: "FO-1" } });

    // Linked in MAX first, then in Telegram: Telegram is where she answered last.
    const inMax = fakeMaxUser(700, { firstName: "Ольга" });
    max.startBot(inMax);
    await max.waitForMessages(inMax, 1);
    max.sendContact(inMax, "+79165551001");
    await expect.poll(async () => (await identity("max", inMax.chatId)).patientId, { timeout: 10_000 }).toBe(patient.id);
    await settle();
    clock.advance(60_000);
    const inTelegram = fakeUser(701, { firstName: "Ольга", languageCode: "ru" });
    tg.sendCommand(inTelegram, "/start");
    await tg.waitForMessages(inTelegram.id, 1, 10_000);
    tg.sendContact(inTelegram, { phone: "+79165551001" });
    await expect.poll(async () => (await identity("telegram", inTelegram.id)).patientId, { timeout: 10_000 }).toBe(patient.id);
    await settle();
    const dashboardBefore = await dashboardFigures(service.db, patient.clinicId, clock.now());
    expect(dashboardBefore.channels).toEqual({ reachable: { telegram: 1, max: 1, whatsapp: 0 }, unreachable: nowhere, blocked: 0, moved: 0 });

    // Thursday 3 December at 15:00 in Moscow; she blocks the bot in Telegram the evening before.
    await mis("POST", "/api/visits", {
      externalId: "FO-V1", patientExternalId: "FO-1", doctor: "Белова Анна Игоревна", service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt: "2026-12-03T12:00:00Z",
    });
    tg.blockBot(inTelegram);
    const telegramBefore = tg.messagesTo(inTelegram.id).length;
    const maxBefore = max.messagesTo(inMax).length;

    // 12:00 the day before: the reminder goes to Telegram (last answered), which answers 403.
    expect(await tick("2026-12-02T09:00:00Z")).toMatchObject({ planned: 1 });
    const [first] = (await max.waitForMessages(inMax, maxBefore + 1)).slice(maxBefore);
    expect(first!.text).toMatch(/^Ольга, напоминаем о вашем визите: .*3 дек.* 15:00, Лечение кариеса, врач Белова Анна Игоревна/s);
    expect((first!.buttons ?? []).flat().map((b) => b.text)).toEqual(["Подтверждаю", "Перенести", "Отменить"]);
    expect(tg.messagesTo(inTelegram.id)).toHaveLength(telegramBefore);
    const blocked = await identity("telegram", inTelegram.id);
    expect(blocked.unreachableAt).not.toBeNull();
    expect(blocked.unreachableReason).toContain("bot was blocked by the user");

    // The same reminder: one start-flow row, sent through MAX, remembering why it left Telegram.
    const starts = await service.db.prisma.outbox.findMany({ where: { patientId: patient.id, kind: "start-flow" } });
    expect(starts).toHaveLength(1);
    const maxChat = await identity("max", inMax.chatId);
    expect(starts[0]).toMatchObject({ status: "sent", sentVia: maxChat.id, triedChannels: "telegram" });
    const refused = await service.db.prisma.outbox.findFirstOrThrow({ where: { identityId: blocked.id, movedAt: { not: null } } });
    expect(refused.status).toBe("skipped");
    expect(refused.lastError).toContain("bot was blocked by the user");
    expect(refused.lastError).toContain("next messenger");
    // The conversation in Telegram is over; the one in MAX holds the reminder.
    expect(await service.db.prisma.conversation.count({ where: { identityId: blocked.id, status: "bot", flowId: { contains: "reminder" } } })).toBe(0);

    // Two hours before the visit: the next reminder goes straight to MAX.
    const telegramCalls = tg.calls.filter((c) => c.method === "sendMessage").length;
    expect(await tick("2026-12-03T10:00:00Z")).toMatchObject({ planned: 1 });
    const [second] = (await max.waitForMessages(inMax, maxBefore + 2)).slice(maxBefore + 1);
    expect(second!.text).toContain("Ольга");
    expect(second!.text).toContain("15:00");
    expect(tg.calls.filter((c) => c.method === "sendMessage").length).toBe(telegramCalls);
    expect(await service.db.prisma.outbox.count({ where: { patientId: patient.id, kind: "start-flow", status: "sent", sentVia: maxChat.id } })).toBe(2);

    // The dashboard: reachable in MAX only, one chat blocked, one message moved.
    const figures = await dashboardFigures(service.db, patient.clinicId, clock.now());
    expect(figures.channels).toEqual({ reachable: { telegram: 0, max: 1, whatsapp: 0 }, unreachable: nowhere, blocked: 1, moved: 1 });
  });

  it("a patient reachable only in Telegram who blocked the bot: the reminder is given up, not moved", async () => {
    await mis("POST", "/api/patients", { externalId: "FO-2", fullName: "Петров Иван", phone: "+79165551002" });
    const patient = await service.db.prisma.patient.findFirstOrThrow({ where: { externalId: "FO-2" } });
    const user = fakeUser(702, { firstName: "Иван", languageCode: "ru" });
    tg.sendCommand(user, "/start");
    await tg.waitForMessages(user.id, 1, 10_000);
    tg.sendContact(user, { phone: "+79165551002" });
    await expect.poll(async () => (await identity("telegram", user.id)).patientId, { timeout: 10_000 }).toBe(patient.id);
    await settle();
    await mis("POST", "/api/visits", {
      externalId: "FO-V2", patientExternalId: "FO-2", doctor: "Белова Анна Игоревна", service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt: "2026-12-05T12:00:00Z",
    });
    tg.blockBot(user);
    expect(await tick("2026-12-04T09:00:00Z")).toMatchObject({ planned: 1 });
    const message = await service.db.prisma.outbox.findFirstOrThrow({ where: { patientId: patient.id, kind: { not: "start-flow" }, identity: { channel: "telegram", externalChatId: String(user.id) } }, orderBy: { id: "desc" } });
    expect(message).toMatchObject({ status: "dead", movedAt: null });
    expect(await service.db.prisma.outbox.findFirstOrThrow({ where: { patientId: patient.id, kind: "start-flow" } })).toMatchObject({ status: "sent", triedChannels: null });
    const figures = await dashboardFigures(service.db, patient.clinicId, clock.now());
    expect(figures.channels).toMatchObject({ reachable: { telegram: 0, max: 1 }, unreachable: nowhere + 1, blocked: 2, moved: 1 });
  });
});
