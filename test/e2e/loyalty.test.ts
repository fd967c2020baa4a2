import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:LOYALTY-E2E-TOKEN-0000000";
const API_TOKEN = "loyalty-e2e-api-token-0123456789";

/**
 * The loyalty stories end to end, as a clinic runs CareBot: its MIS posts to the HTTP API, the
 * patients talk to the real grammY bot (against the loopback fake Bot API), the outbox
 * dispatcher delivers. Only the clock is ours, so "two hours later" needs no waiting.
 */
describe(`loyalty and care end to end (grammY, HTTP API, outbox) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow
  let userIds = 800;

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

  /** A patient of the clinic whose Telegram chat is linked by their own contact. */
  const linkedPatient = async (externalId: string, fullName: string, phone: string): Promise<FakeUser> => {
    await mis("POST", "/api/patients", { externalId, fullName, phone });
    const user = fakeUser(++userIds, { firstName: fullName.split(" ")[1] });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone });
    await api.waitForMessages(user.id, 3, 10_000);
    return user;
  };

  const next = async (user: FakeUser, count: number): Promise<SentMessage> => (await api.waitForMessages(user.id, count, 10_000))[count - 1]!;
  const buttonOf = (message: SentMessage, label: string | RegExp) => {
    const rows = (message.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? [];
    const button = rows.flat().find((b) => (typeof label === "string" ? b.text === label : label.test(b.text)));
    if (!button) throw new Error(`no button ${label} in ${JSON.stringify(rows)}`);
    return button.callback_data;
  };
  /** Lets the clock jump and the dispatcher deliver what became due. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await service.dispatcher.drain();
  };

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("a visit posted by the MIS shows up as points when the patient asks «баланс»", async () => {
    const user = await linkedPatient("E2E-1", "Лебедева Ирина", "+79165550001");
    await mis("POST", "/api/visits", {
      externalId: "E2E-V1", patientExternalId: "E2E-1", doctor: "Орлова Ирина Викторовна", service: "Консультация терапевта",
      serviceCategory: "therapy", amount: 400_000, status: "completed", startsAt: clock.now().toISOString() /* the visit ends as the MIS posts it */,
    });
    api.sendText(user, "баланс");
    const balance = await next(user, 4);
    // 5% of 4 000 ₽ = 200 points, plus the 300-point welcome bonus.
    expect(balance.text).toMatch(/^Ирина, на вашем счёте 500\sбаллов\./);
    expect(await mis("GET", "/api/patients/E2E-1/bonus")).toMatchObject({ balance: 500 });
  });

  it("an NPS answer of 3 with a comment opens an escalation with both", async () => {
    const user = await linkedPatient("E2E-2", "Козлов Павел", "+79165550002");
    // The demo clinic comes with a history of answers: count this one on top of it.
    const NPS_NOVEMBER = "/api/nps?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&groupBy=doctor";
    type NpsGroups = { groups: { group: string; detractors: number }[] };
    const detractorsOf = (report: NpsGroups) => report.groups.find((g) => g.group === "Громов Артур Сергеевич")?.detractors ?? 0;
    const before = detractorsOf((await mis("GET", NPS_NOVEMBER)) as NpsGroups);
    await mis("POST", "/api/visits", {
      externalId: "E2E-V2", patientExternalId: "E2E-2", doctor: "Громов Артур Сергеевич", service: "Лечение кариеса",
      serviceCategory: "dentistry", amount: 900_000, status: "completed", startsAt: clock.now().toISOString() /* the visit ends as the MIS posts it */,
    });
    await advance(2 * 3600_000 + 60_000);
    const question = await next(user, 4);
    expect(question.text).toContain("насколько вероятно, что вы порекомендуете нас");
    api.pressButton(user, question.messageId, buttonOf(question, "3"));
    expect((await next(user, 5)).text).toContain("Что нам стоит улучшить?");
    api.sendText(user, "Пришлось ждать приёма сорок минут");
    const sorry = await next(user, 6);
    expect(sorry.text).toContain("Нам очень жаль");
    const open = (await mis("GET", "/api/escalations?status=open")) as { patientExternalId: string; reason: string; priority: string }[];
    expect(open).toContainEqual(expect.objectContaining({ patientExternalId: "E2E-2", reason: "nps_detractor", priority: "high" }));
    expect(detractorsOf((await mis("GET", NPS_NOVEMBER)) as NpsGroups)).toBe(before + 1);
    const escalation = await service.db.prisma.escalation.findFirstOrThrow({ where: { reason: "nps_detractor", patient: { externalId: "E2E-2" } } });
    expect(JSON.stringify(escalation.details)).toContain("Пришлось ждать приёма сорок минут");
    expect(escalation.details).toMatchObject({ context: { score: 3 } });
  });

  it("a comment about how the patient feels, whatever the score, is an urgent health complaint for the doctor", async () => {
    const user = await linkedPatient("E2E-7", "Соколова Мария", "+79165550007");
    await mis("POST", "/api/visits", {
      externalId: "E2E-HEALTH-1", patientExternalId: "E2E-7", doctor: "Зайцев Олег Петрович", service: "Удаление новообразования кожи",
      serviceCategory: "dermatology", isProcedure: true, amount: 780_000, status: "completed", startsAt: clock.now().toISOString() /* the visit ends as the MIS posts it */,
    });
    await advance(2 * 3600_000 + 60_000);
    const question = await next(user, 4);
    api.pressButton(user, question.messageId, buttonOf(question, "8"));
    await next(user, 5);
    api.sendText(user, "Врач хороший, но место удаления покраснело и болит");
    expect((await next(user, 6)).text).toMatch(/^Спасибо, что рассказали\. Мы срочно передали ваше сообщение врачу \(Зайцев Олег Петрович\) — вам позвонят до /);
    const open = (await mis("GET", "/api/escalations?status=open")) as { patientExternalId: string; reason: string; priority: string }[];
    expect(open).toContainEqual(expect.objectContaining({ patientExternalId: "E2E-7", reason: "health_complaint", priority: "urgent" }));
    // The score is recorded all the same.
    expect(await service.db.prisma.npsResponse.findFirstOrThrow({ where: { patient: { externalId: "E2E-7" } } })).toMatchObject({ score: 8, category: "passive" });
  });

  it("a friend who comes through a referral link is attributed, and both are rewarded after the friend's first visit", async () => {
    await linkedPatient("E2E-3", "Новикова Дарья", "+79165550003");
    const referrer = await service.db.prisma.patient.findFirstOrThrow({ where: { externalId: "E2E-3" } });
    const friend = fakeUser(++userIds, { firstName: "Олег" });
    api.sendCommand(friend, "/start", `ref_${referrer.referralCode}`);
    const ask = await next(friend, 1);
    expect(ask.text).toContain("Вас пригласили в клинику");
    api.sendContact(friend, { phone: "+79165550099" });
    expect((await next(friend, 2)).text).toMatch(/Приглашение засчитано: после вашего первого приёма вы получите 300\sбаллов/);

    // The clinic registers the friend in its MIS and the first visit is completed.
    await mis("POST", "/api/patients", { externalId: "E2E-4", fullName: "Волков Олег", phone: "8 916 555-00-99" });
    await mis("POST", "/api/visits", {
      externalId: "E2E-V4", patientExternalId: "E2E-4", doctor: "Орлова Ирина Викторовна", service: "Консультация терапевта",
      serviceCategory: "diagnostics", amount: 0, status: "completed", startsAt: "2026-11-23T06:30:00Z",
    });
    expect(await mis("GET", "/api/patients/E2E-3/bonus")).toMatchObject({ balance: 500 });
    expect(await mis("GET", "/api/patients/E2E-4/bonus")).toMatchObject({ balance: 300 + 300 });
    // A replayed visit rewards nobody twice.
    await mis("POST", "/api/visits", {
      externalId: "E2E-V4", patientExternalId: "E2E-4", doctor: "Орлова Ирина Викторовна", service: "Консультация терапевта",
      serviceCategory: "diagnostics", amount: 0, status: "completed", startsAt: "2026-11-23T06:30:00Z",
    });
    expect(await mis("GET", "/api/patients/E2E-3/bonus")).toMatchObject({ balance: 500 });
  });

  it("a missed follow-up offers three slots, and the booking is visible to the MIS", async () => {
    const user = await linkedPatient("E2E-5", "Морозова Елена", "+79165550005");
    await mis("POST", "/api/slots", {
      slots: [1, 2, 3, 4].map((day) => ({
        externalId: `E2E-S${day}`, doctor: "Громов Артур Сергеевич", service: "Профессиональная гигиена",
        startsAt: new Date(Date.parse("2026-11-24T07:00:00Z") + day * 86_400_000).toISOString(),
        endsAt: new Date(Date.parse("2026-11-24T07:45:00Z") + day * 86_400_000).toISOString(),
      })),
    });
    await mis("POST", "/api/visits", {
      externalId: "E2E-V5", patientExternalId: "E2E-5", doctor: "Громов Артур Сергеевич", service: "Лечение кариеса",
      amount: 700_000, status: "completed", startsAt: "2026-10-01T07:00:00Z",
      followUp: { dueAt: "2026-11-22T07:00:00Z", service: "Профессиональная гигиена", doctor: "Громов Артур Сергеевич" },
    });
    await mis("POST", "/api/visits", {
      externalId: "E2E-V6", patientExternalId: "E2E-5", doctor: "Громов Артур Сергеевич", service: "Профессиональная гигиена",
      amount: 0, status: "missed", startsAt: "2026-11-22T07:00:00Z",
    });
    await advance(60_000);
    const offer = await next(user, 4);
    expect(offer.text).toContain("Елена, врач рекомендовал повторный визит: Профессиональная гигиена");
    const rows = (offer.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(rows.filter((b) => /\d{2}:\d{2}/.test(b.text))).toHaveLength(3);
    api.pressButton(user, offer.messageId, rows[0]!.callback_data);
    const booked = await next(user, 5);
    expect(booked.text).toMatch(/^Готово, вы записаны: 25 ноября в 10:00, Профессиональная гигиена, врач Громов Артур Сергеевич\./);
    const appointments = (await mis("GET", "/api/appointments?since=2026-11-01T00:00:00Z")) as { patientExternalId: string; slotExternalId: string }[];
    expect(appointments).toContainEqual(expect.objectContaining({ patientExternalId: "E2E-5", slotExternalId: "E2E-S1" }));
  });
});
