// CareBot's own Telegram bot on grammY: long polling (chats processed concurrently, each chat in
// order, nothing confirmed before it is handled) or a webhook, plus the sender the dispatcher uses.
import { sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { ChannelSender, InboundHandler } from "../types.ts";
import { ChatMemory } from "./chat-memory.ts";
import { describeError } from "./errors.ts";
import { grammyInbound } from "./grammy-inbound.ts";
import type { FastifyWebhookHandler, NodeWebhookHandler } from "./grammy-webhook.ts";
import { assertWebhookSecret, fastifyWebhook, nodeWebhook } from "./grammy-webhook.ts";
import { botIdFromToken } from "./inbound.ts";
import type { TelegramLogger } from "./logger.ts";
import { silentLogger } from "./logger.ts";
import type { LongPolling } from "./long-polling.ts";
import { startLongPolling } from "./long-polling.ts";
import { giveUpOnUpdate } from "./poison-update.ts";
import { createTelegramSender } from "./sender.ts";
import { defaultStaleButtonText, defaultUnprocessableText } from "./texts.ts";
import { UpdateFailures } from "./update-failures.ts";

export interface TelegramCommand {
  /** Without the slash, lower case: "balance". */
  command: string;
  description: string;
}

export interface TelegramChannelOptions {
  token: string;
  /** Bot API server; Telegram's by default. Tests point it at a fake. */
  apiRoot?: string;
  onInbound: InboundHandler;
  logger?: TelegramLogger;
  /** Label of the share-phone button by the patient's Telegram language; Russian/English by default. */
  contactButtonLabel?: (languageCode?: string) => string;
  /** Toast for a press on a button that is not CareBot's (stale, forged). */
  staleButtonText?: (languageCode?: string) => string;
  /** Said when a message cannot be handled at all (a poison update); Russian/English by default. */
  unprocessableText?: (languageCode?: string) => string;
  /** The command menu; Russian is also the menu for every other language. */
  commands?: { ru: TelegramCommand[]; en: TelegramCommand[] };
  /** Webhook mode; long polling when absent. */
  webhook?: { url: string; secret: string };
  /** Long-poll timeout in seconds (default 30); stop() interrupts a pending poll either way. */
  polling?: { timeoutSeconds?: number; retryDelayMs?: { first: number; max: number } };
}

export interface TelegramChannelStatus {
  ok: boolean;
  mode: "polling" | "webhook";
  botUsername?: string;
  lastError?: string;
}

export interface GrammyChannel {
  readonly channel: "telegram";
  /** The grammY bot, for advanced use (extra middleware must be added before start()). */
  readonly bot: Bot;
  readonly sender: ChannelSender;
  /** Polling: starts polling. Webhook: registers the webhook (secret included) and does not poll. */
  start(): Promise<void>;
  /** Polling: stops fetching and waits for updates in progress. Webhook: leaves the webhook set. */
  stop(): Promise<void>;
  /** node:http handler for the webhook; 401 unless the secret header matches. */
  webhookHandler(): NodeWebhookHandler;
  /** The same for Fastify 5: `app.post("/telegram/webhook", channel.fastifyWebhook())`. */
  fastifyWebhook(): FastifyWebhookHandler;
  status(): TelegramChannelStatus;
}

/** What CareBot reads; everything else (edits, membership, reactions) is not even fetched. */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

export function createGrammyChannel(options: TelegramChannelOptions): GrammyChannel {
  const botId = botIdFromToken(options.token);
  if (options.webhook) assertWebhookSecret(options.webhook.secret);
  const logger = options.logger ?? silentLogger;
  const memory = new ChatMemory();
  const mode = options.webhook ? "webhook" : "polling";
  // grammY has no built-in retries (only the auto-retry plugin, deliberately not installed):
  // a failed sendMessage is reported once and the outbox dispatcher decides when to try again.
  const bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});

  let runner: LongPolling | undefined;
  let webhookSet = false;
  let lastError: string | undefined;
  let pollFailing = false;
  const noteError = (what: string, error: unknown): void => {
    lastError = `${what}: ${describeError(error)}`;
  };

  // The poller (long-polling.ts) retries failed polls quietly; watching getUpdates is how status() learns of them.
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const answer = await prev(method, payload, signal);
      pollFailing = !answer.ok;
      if (!answer.ok) {
        noteError("getUpdates", answer);
        logger.warn({ error: lastError }, "telegram: polling failed, the runner retries");
      }
      return answer;
    } catch (error) {
      if (!signal?.aborted) {
        pollFailing = true;
        noteError("getUpdates", error);
        logger.warn({ error: lastError }, "telegram: polling failed, the runner retries");
      }
      throw error;
    }
  });

  // One chat's updates wait for each other; different chats never do. The router orders a chat's
  // messages too (its KeyedQueue, for every channel), but only from router.handle on: the runner
  // handles updates concurrently, and a button press is first acknowledged over HTTP
  // (grammy-inbound.ts), so a quick typed message could reach the router ahead of the press.
  bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  bot.use(
    grammyInbound({ botId, onInbound: options.onInbound, memory, logger, staleButtonText: options.staleButtonText ?? defaultStaleButtonText }),
  );
  // Only for grammY's own bot.start(), should extra code call it: long polling and the webhook here
  // get the error from handleUpdate and decide between retrying and giving up themselves.
  bot.catch((err) => {
    logger.error({ updateId: err.ctx.update.update_id, error: describeError(err.error) }, "telegram: handling an update failed");
  });

  // A failed update is tried again while the database is away, and given up (politely) when it
  // fails for any other reason: see update-failures.ts.
  const failures = new UpdateFailures();
  const giveUp = async (update: Update, error: unknown): Promise<void> => {
    const attempts = failures.attempts(update.update_id);
    failures.forget(update.update_id);
    await giveUpOnUpdate(bot.api, update, error, { logger, text: options.unprocessableText ?? defaultUnprocessableText, attempts });
  };
  const retryDelay = options.polling?.retryDelayMs ?? { first: 250, max: 5000 };

  /** Polling: handles one update, retrying in place (its batch stays unconfirmed) until done. */
  async function handleWithRetry(update: Update, signal: AbortSignal): Promise<void> {
    let wait = retryDelay.first;
    for (;;) {
      try {
        await bot.handleUpdate(update);
        failures.forget(update.update_id);
        return;
      } catch (error) {
        if (failures.decide(update.update_id, error) === "give-up") return giveUp(update, error);
        noteError("handling an update", error);
        logger.warn({ updateId: update.update_id, attempt: failures.attempts(update.update_id), retryInMs: wait, error: lastError }, "telegram: an update could not be handled now; trying again");
        if (signal.aborted) return; // left unconfirmed: the next start gets it again
        await abortableDelay(wait, signal);
        if (signal.aborted) return;
        wait = Math.min(wait * 2, retryDelay.max);
      }
    }
  }

  const sender = createTelegramSender({
    sendMessage: (chatId, text, extra) => bot.api.sendMessage(chatId, text, extra),
    memory,
    ...(options.contactButtonLabel && { contactButtonLabel: options.contactButtonLabel }),
  });

  async function registerCommands(): Promise<void> {
    if (!options.commands) return;
    const { ru, en } = options.commands;
    try {
      await bot.api.setMyCommands(ru, { language_code: "ru" });
      await bot.api.setMyCommands(en, { language_code: "en" });
      await bot.api.setMyCommands(ru); // every other UI language sees CareBot's default, Russian
    } catch (error) {
      // The menu is a convenience: a failure must not keep the bot from answering patients.
      logger.warn({ error: describeError(error) }, "telegram: could not register the command menu");
    }
  }

  async function start(): Promise<void> {
    if (runner?.isRunning() || webhookSet) return;
    try {
      await bot.init(); // getMe: a wrong token fails here, at startup
      await registerCommands();
      if (options.webhook) {
        await bot.api.setWebhook(options.webhook.url, { secret_token: options.webhook.secret, allowed_updates: ALLOWED_UPDATES });
        webhookSet = true;
        logger.info({ botUsername: bot.botInfo.username, mode }, "telegram: webhook set");
        return;
      }
      // A webhook left from an earlier deployment would make every getUpdates fail with 409.
      await bot.api.deleteWebhook();
    } catch (error) {
      noteError("start", error);
      throw error;
    }
    const handle = startLongPolling({
      bot,
      timeoutSeconds: options.polling?.timeoutSeconds ?? 30,
      allowedUpdates: ALLOWED_UPDATES,
      handle: handleWithRetry,
      logger,
    });
    runner = handle;
    // Polling gives up only on 401/409 (token revoked, another instance polling).
    handle.task.catch((error: unknown) => {
      noteError("polling stopped", error);
      logger.error({ error: lastError }, "telegram: long polling stopped");
    });
    logger.info({ botUsername: bot.botInfo.username, mode }, "telegram: polling started");
  }

  async function stop(): Promise<void> {
    const handle = runner;
    runner = undefined;
    if (handle) await handle.stop();
    // The webhook stays registered: during a rolling deploy the next instance keeps receiving.
    webhookSet = false;
  }

  let nodeHandler: NodeWebhookHandler | undefined;
  let fastifyHandler: FastifyWebhookHandler | undefined;
  const webhookSecret = (): string => {
    if (!options.webhook) throw new Error("createGrammyChannel: the webhook handlers need the `webhook` option (url and secret)");
    return options.webhook.secret;
  };

  return {
    channel: "telegram",
    bot,
    sender,
    start,
    stop,
    webhookHandler: () => (nodeHandler ??= nodeWebhook(bot, webhookSecret(), { logger, failures, giveUp })),
    fastifyWebhook: () => (fastifyHandler ??= fastifyWebhook(bot, webhookSecret(), { logger, failures, giveUp })),
    status: () => ({
      ok: mode === "webhook" ? webhookSet : runner?.isRunning() === true && !pollFailing,
      mode,
      ...(bot.isInited() && { botUsername: bot.botInfo.username }),
      ...(lastError !== undefined && { lastError }),
    }),
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
