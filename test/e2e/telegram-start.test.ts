import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBotApi, fakeUser } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { startCli, waitForExit } from "../support/cli.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { openDatabase } from "../../src/db/client.ts";

const TOKEN = "123456:TEST-TOKEN-FOR-CAREBOT-E2E";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `npm start` as a clinic runs it, with its Telegram bot pointed at the loopback fake Bot API. */
async function startCareBot(target: TestDatabase, api: FakeBotApi, extra: Record<string, string> = {}) {
  return startCli({
    DATABASE_URL: target.config.url,
    PORT: extra.PORT ?? "0",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_CHAT_INTERVAL_MS: "0",
    ...extra,
  });
}

/** The demo patient a test talks as: its phone, from the database the service seeded. */
async function demoPatient(target: TestDatabase, externalId = "MIS-1002") {
  const db = openDatabase(target.config);
  try {
    return await db.prisma.patient.findFirstOrThrow({ where: { externalId } });
  } finally {
    await db.close();
  }
}

describe(`npm start with a Telegram bot (fake Bot API) on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createEmptyDatabase();
  });
  afterAll(() => target.drop());

  it("polling: a patient links by contact, opens the menu and reaches a person", async () => {
    const api = await startFakeBotApi({ token: TOKEN });
    const carebot = await startCareBot(target, api);
    try {
      const patient = await demoPatient(target);
      const firstName = patient.fullName.split(" ")[1]!;
      const user = fakeUser(501, { firstName, languageCode: "ru" });

      api.sendCommand(user, "/start");
      const [ask] = await api.waitForMessages(user.id, 1, 10_000);
      expect(ask!.text).toContain("поделитесь номером телефона");
      expect(JSON.stringify(ask!.replyMarkup)).toContain('"request_contact":true');

      api.sendContact(user, { phone: patient.phone!.slice(1) });
      const [, linked, menu] = await api.waitForMessages(user.id, 3, 10_000);
      expect(linked!.text).toBe(`Спасибо, ${firstName}! Мы нашли вашу карту — теперь здесь можно узнать баланс бонусов, записаться на приём и связаться с администратором.`);
      expect(menu!.text).toBe(`${firstName}, чем мы можем помочь? Выберите, пожалуйста:`);

      const button = JSON.stringify(menu!.replyMarkup).match(/"text":"Связаться с администратором","callback_data":"([^"]+)"/)![1]!;
      api.pressButton(user, menu!.messageId, button);
      const messages = await api.waitForMessages(user.id, 4, 10_000);
      expect(messages[3]!.text).toMatch(new RegExp(`^${firstName}, ваш запрос передан администратору клиники`));
      await api.waitForCall("answerCallbackQuery");
      // The pressed menu lost its buttons, so it cannot be pressed twice.
      expect(api.sent.find((m) => m.messageId === menu!.messageId && m.chatId === user.id)!.replyMarkup).toBeFalsy();

      const health = await (await fetch(`${carebot.url}/health`)).json();
      expect(health).toMatchObject({ ok: true, components: { telegram: { ok: true, mode: "polling" } } });
      expect(carebot.output()).toContain("Telegram    long polling");
    } finally {
      carebot.child.kill("SIGTERM");
      await waitForExit(carebot.child);
      await api.close();
    }
  }, 60_000);

  it("webhook: a patient links and reaches a person through CareBot's HTTP server; requests without the secret get 401", async () => {
    const api = await startFakeBotApi({ token: TOKEN });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const secret = "e2e-webhook-secret-0123456789";
    const carebot = await startCareBot(target, api, { PORT: String(port), TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: secret });
    try {
      await api.waitForCall("setWebhook");
      expect(api.webhook).toMatchObject({ url, secretToken: secret });
      const patient = await demoPatient(target, "MIS-1003");
      const firstName = patient.fullName.split(" ")[1]!;
      const user = fakeUser(502, { firstName });
      api.sendText(user, "меню");
      const [ask] = await api.waitForMessages(user.id, 1, 10_000);
      expect(ask!.text).toContain("поделитесь номером телефона");
      expect(api.webhookDeliveries.at(-1)).toMatchObject({ status: 200 });
      api.sendContact(user, { phone: patient.phone! });
      const [, linked, menu] = await api.waitForMessages(user.id, 3, 10_000);
      expect(linked!.text).toContain(`Спасибо, ${firstName}! Мы нашли вашу карту`);
      api.pressButton(user, menu!.messageId, JSON.stringify(menu!.replyMarkup).match(/"text":"Связаться с администратором","callback_data":"([^"]+)"/)![1]!);
      const reply = await api.waitForMessages(user.id, 4, 10_000);
      expect(reply[3]!.text).toMatch(/ваш запрос передан администратору клиники/);

      const update = { update_id: 999, message: { message_id: 1, date: 0, chat: { id: 502, type: "private" }, from: { id: 502, is_bot: false, first_name: "X" }, text: "hi" } };
      const anonymous = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(update) });
      expect(anonymous.status).toBe(401);
      const wrong = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "wrong" }, body: JSON.stringify(update) });
      expect(wrong.status).toBe(401);
    } finally {
      carebot.child.kill("SIGTERM");
      await waitForExit(carebot.child);
      await api.close();
    }
  }, 60_000);
});
