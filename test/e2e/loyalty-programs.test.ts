import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { settleOutbox } from "../support/settle.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:LOYALTY-PROGRAMS-E2E-000000";
const API_TOKEN = "loyalty-programs-e2e-api-token-0123456789";

/**
 * Promo codes and gift certificates as a clinic runs them: the MIS defines and spends them over
 * the HTTP API, patients talk to the real grammY bot (against the loopback fake Bot API).
 */
describe(`promo codes and gift certificates end to end (grammY, HTTP API) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow
  let userIds = 1800;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const mis = async (method: string, path: string, body?: unknown) => {
    const { status, json } = await call(method, path, body);
    if (status >= 400) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
    return json;
  };
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
  const buttons = (message: SentMessage) => ((message.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat();

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

  it("a patient crossing a level threshold earns the higher rate from the next visit and is told once, in the chat", async () => {
    const clinic = await service.db.prisma.clinic.findFirstOrThrow({ orderBy: { id: "asc" } });
    const settings = (clinic.settings ?? {}) as Record<string, any>;
    const levels = [
      { id: "base", name: "Базовый", nameEn: "Basic", fromRoubles: 0, accrualPercent: 5, maxBillShare: 0.3 },
      { id: "silver", name: "Серебряный", nameEn: "Silver", fromRoubles: 30_000, accrualPercent: 7, maxBillShare: 0.4 },
    ];
    await service.db.prisma.clinic.update({ where: { id: clinic.id }, data: { settings: { ...settings, bonus: { ...settings.bonus, levels } } } });
    const user = await linkedPatient("LEVEL-1", "Морозова Анна", "+79165551003");
    const visit = async (externalId: string, amount: number) =>
      (await mis("POST", "/api/visits", { externalId, patientExternalId: "LEVEL-1", doctor: "Орлова И. В.", service: "Лечение", serviceCategory: "therapy", amount, status: "completed", startsAt: clock.now().toISOString() })).accrued;
    expect(await visit("LV-1", 2_000_000)).toBe(1_000); // 5 % of 20 000 ₽
    clock.advance(86_400_000);
    expect(await visit("LV-2", 1_500_000)).toBe(750); // still 5 %: this visit takes the sum to 35 000 ₽
    // The first pass starts the level's conversation; the next ones send what it wrote.
    await settleOutbox(service.db, service.dispatcher, () => clock.now());
    // The first visit's survey is waiting for her answer: the news waits its turn (half an hour).
    clock.advance(31 * 60_000);
    await settleOutbox(service.db, service.dispatcher, () => clock.now());
    await api.waitForMessages(user.id, 5, 10_000);
    const levelMessages = () => api.messagesTo(user.id).filter((m) => (m.text ?? "").includes("статус"));
    expect(levelMessages()).toHaveLength(1);
    const told = levelMessages()[0]!;
    expect(told.text).toMatch(/^Анна, поздравляем! Теперь у вас статус «Серебряный»: за каждый визит начисляем 7 % баллами, а баллами можно оплатить до 40 % счёта\./);
    clock.advance(86_400_000);
    expect(await visit("LV-3", 1_000_000)).toBe(700); // 7 % from the next visit
    await settleOutbox(service.db, service.dispatcher, () => clock.now());
    // Nothing more is said about the level (only the visits' own care messages may follow).
    expect(levelMessages()).toHaveLength(1);
    await service.db.prisma.clinic.update({ where: { id: clinic.id }, data: { settings } });
  });

  it("a promo code typed in the chat gives its points once; the second time it is refused in words, in the chat and over the API", async () => {
    await mis("POST", "/api/promo-codes", { code: "LETO2027", reward: "points", value: 500, description: "Летний подарок от клиники" });
    const user = await linkedPatient("PROMO-1", "Смирнова Ольга", "+79165551001");
    api.sendText(user, "Здравствуйте, у меня есть промокод");
    expect((await next(user, 4)).text).toContain("Напишите, пожалуйста, ваш промокод");
    api.sendText(user, "leto2027");
    expect((await next(user, 5)).text).toMatch(/^Промокод LETO2027 принят: на ваш счёт начислено 500\sбаллов\./);
    expect(await mis("GET", "/api/patients/PROMO-1/bonus")).toMatchObject({ balance: 500 });

    api.sendText(user, "промокод");
    expect((await next(user, 6)).text).toContain("Напишите, пожалуйста, ваш промокод");
    api.sendText(user, "LETO2027");
    expect((await next(user, 7)).text).toMatch(/^Вы уже воспользовались промокодом LETO2027 — повторно применить его, к сожалению, нельзя\./);
    expect(await mis("GET", "/api/patients/PROMO-1/bonus")).toMatchObject({ balance: 500 });
    // At the desk, the same patient's second use is refused as well.
    const desk = await call("POST", "/api/promo-codes/redeem", { code: "LETO2027", patientExternalId: "PROMO-1", key: "bill-77" });
    expect(desk).toMatchObject({ status: 409, json: { error: "Пациент уже воспользовался этим промокодом: повторно его применить нельзя.", reason: "already_used" } });
  });

  it("a certificate given to a friend in the chat becomes the friend's, and the friend spends it at a visit", async () => {
    const giver = await linkedPatient("GIFT-1", "Кузнецова Вера", "+79165551002");
    const issued = await mis("POST", "/api/gift-certificates", { amount: 500_000, buyerPatientExternalId: "GIFT-1", key: "sale-GIFT-1" });
    api.sendText(giver, "подарить сертификат");
    const choose = await next(giver, 4);
    expect(choose.text).toBe("Какой сертификат вы хотите подарить? Выберите, пожалуйста:");
    const option = buttons(choose).find((b) => b.text.startsWith(issued.code));
    expect(option?.text).toBe(`${issued.code} · 5 000 ₽`);
    api.pressButton(giver, choose.messageId, option!.callback_data);
    const share = await next(giver, 5);
    expect(share.text).toMatch(/^Перешлите другу эту ссылку — открыв её, он получит сертификат на 5\s000\s₽/);
    const word = /gift_[a-z0-9]{10}/.exec(share.text ?? "")?.[0];
    expect(word).toBeDefined();

    // The friend is new to the clinic: they open the link, share their number, and it is theirs.
    const friend = fakeUser(++userIds, { firstName: "Игорь" });
    api.sendCommand(friend, "/start", word!);
    expect((await next(friend, 1)).text).toContain("Вам подарили сертификат клиники");
    api.sendContact(friend, { phone: "+79165551099" });
    const received = await next(friend, 2);
    expect(received.text).toMatch(/^Поздравляем! Сертификат на 5\s000\s₽ теперь ваш, он действует до \d+ ноября 2027( г\.)?\. Его код — GC-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const newCode = /GC-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(received.text ?? "")![0];
    expect(newCode).not.toBe(issued.code);

    // At the friend's visit the desk spends it by the friend's code; the giver's old code no longer pays.
    expect(await call("POST", "/api/gift-certificates/redeem", { code: issued.code, amount: 100_000, key: "visit-old-code" })).toMatchObject({ status: 404 });
    const spent = await mis("POST", "/api/gift-certificates/redeem", { code: newCode, amount: 350_000, key: "visit-GIFT-friend", visitExternalId: "V-GIFT-1" });
    expect(spent).toMatchObject({ code: newCode, balance: 150_000, spent: 350_000 });
    const friendPatient = await service.db.prisma.patient.findFirstOrThrow({ where: { phone: "+79165551099" } });
    const certificate = await service.db.prisma.giftCertificate.findFirstOrThrow({ where: { code: newCode } });
    expect(certificate.ownerPatientId).toBe(friendPatient.id);
    // The giver has nothing left to give.
    api.sendText(giver, "подарить сертификат");
    expect((await next(giver, 6)).text).toContain("У вас пока нет действующих подарочных сертификатов");
  });
});
