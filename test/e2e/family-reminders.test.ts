// Families end to end: a mother's Telegram chat reaches her two children, whom the MIS posted with
// her as their guardian. Each child's visit gets its own reminder in her chat, named («о приёме
// Миши»), and «Подтверждаю» confirms that child's visit. The medical-information consent decides
// whether a reminder read by the guardian names the service.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { settleOutbox } from "../support/settle.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:FAMILY-E2E-TOKEN-000000000";
const API_TOKEN = "family-e2e-api-token-0123456789abc";

describe(`a guardian's chat with two children's visits (HTTP API, planner, grammY) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  // Wednesday 2 December 2026, 09:00 in Moscow.
  const clock = new FixedClock("2026-12-02T06:00:00Z");

  const mis = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const buttons = (message: SentMessage) => ((message.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat();
  const buttonOf = (message: SentMessage, label: string) => {
    const button = buttons(message).find((b) => b.text === label);
    if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttons(message))}`);
    return button.callback_data;
  };
  const settle = () => settleOutbox(service.db, service.dispatcher, () => clock.now());

  beforeAll(async () => {
    target = await createEmptyDatabase();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0", SCHEDULER_ENABLED: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("one reminder per child's visit, each named, and «Подтверждаю» confirms that child's visit", async () => {
    const mother = "+79165552001";
    expect((await mis("POST", "/api/patients", { externalId: "FAM-M", fullName: "Петрова Анна Сергеевна", phone: mother })).status).toBe(201);
    // Misha's medical consent was signed by his mother on paper; Masha's was not.
    const misha = await mis("POST", "/api/patients", {
      externalId: "FAM-1", fullName: "Петров Михаил Игоревич", firstName: "Миша", phone: "+79165552011", birthDate: "2018-04-02",
      guardians: [{ externalId: "FAM-M", relation: "parent" }],
      consents: [{ kind: "medical", at: "2026-11-01T10:00:00+03:00", source: "paper", textVersion: "МЕД-2026", byGuardian: true }],
    });
    expect(misha.status).toBe(201);
    expect((await mis("POST", "/api/patients", { externalId: "FAM-2", fullName: "Петрова Мария Игоревна", firstName: "Маша", phone: "+79165552012", guardians: [{ phone: mother }] })).status).toBe(201);
    // A guardian the clinic does not know is a clear 422.
    const unknown = await mis("POST", "/api/patients", { externalId: "FAM-3", fullName: "Петров Олег", phone: "+79165552013", guardians: [{ externalId: "NOPE" }] });
    expect(unknown).toMatchObject({ status: 422, json: { fields: { "guardians.0.externalId": 'no patient "NOPE"' } } });

    const user = fakeUser(9101, { firstName: "Анна" });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone: mother });
    const linked = (await api.waitForMessages(user.id, 3, 10_000)).length;

    const doctor = "Белова Анна Игоревна";
    for (const [externalId, patientExternalId, startsAt] of [["FAM-V1", "FAM-1", "2026-12-03T12:00:00Z"], ["FAM-V2", "FAM-2", "2026-12-03T13:00:00Z"]] as const) {
      const visit = await mis("POST", "/api/visits", { externalId, patientExternalId, doctor, service: "Лечение кариеса", amount: 0, status: "scheduled", startsAt });
      expect(visit.status).toBeLessThan(300);
    }

    // 12:00 in Moscow the day before: both children's reminders are planned, each once.
    await settle();
    clock.set("2026-12-02T09:00:00Z");
    const run = await runPlanner(service.db, "reminder", { clinicId: service.carebot.clinic.id, now: clock.now(), catalog: service.carebot.flows.catalog() });
    expect(run).toMatchObject({ planned: 2 });
    await settle();

    // Each child's reminder names the child; Masha's leaves out the service (no medical consent for her).
    const children = {
      misha: { reminder: /^Здравствуйте! Напоминаем о приёме Миши: .*3 дек.* 15:00, Лечение кариеса, врач Белова Анна Игоревна\./s, asks: "Миша придёт?", thanks: /^Спасибо, Миша записан: ждём Мишу .*3 дек.* 15:00\./s, externalId: "FAM-1" },
      masha: { reminder: /^Здравствуйте! Напоминаем о приёме Маши: .*3 дек.* 16:00, врач Белова Анна Игоревна\./s, asks: "Маша придёт?", thanks: /^Спасибо, Маша записана: ждём Машу .*3 дек.* 16:00\./s, externalId: "FAM-2" },
    };
    // The two start in the same dispatcher pass; which goes first is not promised, only one at a time.
    const first = (await api.waitForMessages(user.id, linked + 1, 10_000))[linked]!;
    const [a, b] = /приёме Миши/.test(first.text) ? [children.misha, children.masha] : [children.masha, children.misha];
    expect(first.text).toMatch(a.reminder);
    expect(first.text).toContain(a.asks);
    // The other reminder waits while the mother may be answering about the first child.
    expect((await api.waitForMessages(user.id, 0, 500)).length).toBe(linked + 1);

    // Half an hour without an answer: the other child's reminder.
    await settle();
    clock.set("2026-12-02T09:31:00Z");
    await settle();
    const second = (await api.waitForMessages(user.id, linked + 2, 10_000))[linked + 1]!;
    expect(second.text).toMatch(b.reminder);
    expect(second.text).toContain(b.asks);
    expect(second.text.includes("Лечение кариеса")).toBe(b === children.misha);
    expect((await api.waitForMessages(user.id, 0, 500)).length).toBe(linked + 2);

    const appointments = async () =>
      Object.fromEntries(
        (await service.db.prisma.appointment.findMany({ include: { patient: { select: { externalId: true } } } })).map((x) => [x.patient.externalId, x.confirmedAt !== null]),
      );
    // The mother answers the older message first: it confirms that child's visit, not the other's.
    api.pressButton(user, first.messageId, buttonOf(first, "Подтверждаю"));
    const confirmed = (await api.waitForMessages(user.id, linked + 3, 10_000))[linked + 2]!;
    expect(confirmed.text).toMatch(a.thanks);
    expect(await appointments()).toEqual({ [a.externalId]: true, [b.externalId]: false });

    api.pressButton(user, second.messageId, buttonOf(second, "Подтверждаю"));
    const confirmedToo = (await api.waitForMessages(user.id, linked + 4, 10_000))[linked + 3]!;
    expect(confirmedToo.text).toMatch(b.thanks);
    expect(await appointments()).toEqual({ "FAM-1": true, "FAM-2": true });

    // «Баллы» in her chat: each child's points beside her own.
    api.sendText(user, "баллы");
    const balance = (await api.waitForMessages(user.id, linked + 5, 10_000))[linked + 4]!;
    expect(balance.text).toMatch(/^Анна, на вашем счёте .*\n• Миша: 0\sбаллов\n• Маша: 0\sбаллов\n/s);

    // One reminder per visit, each sent into the mother's chat, and the consent names its guardian.
    const rows = await service.db.prisma.outbox.findMany({ where: { kind: "start-flow", idempotencyKey: { startsWith: "visit-reminder:" } }, select: { status: true, patient: { select: { externalId: true } } } });
    expect(rows.map((r) => [r.patient!.externalId, r.status]).sort()).toEqual([["FAM-1", "sent"], ["FAM-2", "sent"]]);
    const consent = await service.db.prisma.consent.findFirstOrThrow({ where: { kind: "medical" }, include: { guardian: true, patient: true } });
    expect([consent.patient.externalId, consent.guardian?.externalId, consent.source]).toEqual(["FAM-1", "FAM-M", "paper"]);
  }, 120_000);
});
