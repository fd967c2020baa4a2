import { Telegraf } from "telegraf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { startEmbeddedCareBot } from "../../src/embed.ts";
import { openDatabase } from "../../src/db/client.ts";
import { seedDemo } from "../../src/seed/demo.ts";
import { systemClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:TELEGRAF-MOUNT-TEST-TOKEN";

describe(`CareBot mounted in a clinic's own Telegraf bot, on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createMigratedTarget();
    const db = openDatabase(target.config);
    await seedDemo(db, systemClock, "Europe/Moscow", { password: "x" });
    await db.close();
  });
  afterAll(() => target.drop());

  it("answers CareBot's updates and leaves the clinic's own commands to the clinic", async () => {
    const api = await startFakeBotApi({ token: TOKEN });
    const embedded = await startEmbeddedCareBot({
      env: { DATABASE_URL: target.config.url },
      logger: createLogger({ level: "silent", pretty: false }),
      telegramPerChatIntervalMs: 0,
    });
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: api.apiRoot } });
    bot.use(embedded.telegrafMiddleware(bot, { isCareBotUpdate: (m) => !(m.event.type === "TEXT" && m.event.text === "/price") }));
    bot.command("price", (ctx) => ctx.reply("Прайс клиники: https://clinic.example/price"));
    const launched = bot.launch();
    await api.waitForCall("deleteWebhook"); // Telegraf polls right after this call
    try {
      const user = fakeUser(601, { firstName: "Ольга" });
      api.sendCommand(user, "/price");
      const [price] = await api.waitForMessages(user.id, 1, 10_000);
      expect(price!.text).toBe("Прайс клиники: https://clinic.example/price");

      api.sendCommand(user, "/start");
      const [, ask] = await api.waitForMessages(user.id, 2, 10_000);
      expect(ask!.text).toContain("поделитесь номером телефона");
      expect(JSON.stringify(ask!.replyMarkup)).toContain('"request_contact":true');
    } finally {
      bot.stop("test");
      await launched;
      await embedded.stop();
      await api.close();
    }
  }, 60_000);
});
