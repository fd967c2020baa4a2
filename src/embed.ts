// CareBot inside a clinic's own Node process: for clinics that already run a Telegraf bot.
import type { Context, Middleware, Telegraf } from "telegraf";
import { createTelegrafMiddleware, createTelegrafSender } from "./channels/telegram/index.ts";
import type { TelegrafMiddlewareOptions } from "./channels/telegram/index.ts";
import { ChatMemory } from "./channels/telegram/chat-memory.ts";
import { loadConfig } from "./config.ts";
import { createCareBot } from "./core.ts";
import { escalationAlertsFor } from "./operators/alerts/escalation-alerts.ts";
import type { CareBot } from "./core.ts";
import { openDatabase } from "./db/client.ts";
import { applyMigrations } from "./db/migrate/index.ts";
import { createLogger } from "./logger.ts";
import type { Logger } from "./logger.ts";
import { Dispatcher } from "./outbox/dispatcher.ts";
import { systemClock } from "./util/clock.ts";
import type { Clock } from "./util/clock.ts";

export interface EmbeddedCareBot {
  carebot: CareBot;
  /** The middleware to `bot.use()`: CareBot's updates go to CareBot, the rest to the clinic's handlers. */
  telegrafMiddleware(bot: Telegraf<Context>, options?: Omit<TelegrafMiddlewareOptions, "onInbound" | "memory">): Middleware<Context>;
  stop(): Promise<void>;
}

/**
 * Migrates the database (DATABASE_URL, as `carebot start` does), loads the flows and runs the
 * outbox dispatcher in this process. Messages leave through the clinic's own Telegraf client.
 */
export async function startEmbeddedCareBot(
  options: { env?: Record<string, string | undefined>; logger?: Logger; clock?: Clock; telegramPerChatIntervalMs?: number } = {},
): Promise<EmbeddedCareBot> {
  const config = loadConfig(options.env ?? process.env);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  const carebot = await createCareBot(config, db, { clock, logger, escalationAlerts: escalationAlertsFor(config) });
  carebot.flows.watch(logger);
  let dispatcher: Dispatcher | undefined;
  return {
    carebot,
    telegrafMiddleware(bot, middlewareOptions = {}) {
      if (dispatcher) throw new Error("CareBot is already mounted on a Telegraf bot");
      const memory = new ChatMemory();
      dispatcher = new Dispatcher({
        db,
        clinicId: carebot.clinic.id,
        clock,
        logger: logger.child({ component: "dispatcher" }),
        senders: { telegram: createTelegrafSender(bot.telegram, { memory }), web: { channel: "web", send: async () => ({ ok: true }) } },
        startFlow: (identityId, flowId, o) => carebot.router.startFlow(identityId, flowId, o),
        misWebhook: config.misWebhook,
        limits: options.telegramPerChatIntervalMs === undefined ? {} : { telegram: { perSecond: 25, perChatIntervalMs: options.telegramPerChatIntervalMs } },
      });
      carebot.router.events.on("outbox", (identityId) => dispatcher!.wake(identityId));
      dispatcher.start();
      return createTelegrafMiddleware({ ...middlewareOptions, memory, onInbound: async (message) => void (await carebot.router.handle(message)) });
    },
    async stop() {
      carebot.flows.close();
      await dispatcher?.stop();
      await db.close();
    },
  };
}
