// CareBot's MAX bot on the official client (@maxhub/max-bot-api): long polling or a webhook for
// updates, the same outbox sender contract as Telegram, button presses answered at once.
import { Bot } from "@maxhub/max-bot-api";
import type { Update, UpdateType } from "@maxhub/max-bot-api/types";
import type { ChannelLogger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { ChatMemory } from "../telegram/chat-memory.ts";
import type { ChannelSender, InboundHandler } from "../types.ts";
import { describeMaxError } from "./errors.ts";
import { maxInboundMessage } from "./inbound.ts";
import type { MaxPolling } from "./polling.ts";
import { delay, startMaxPolling } from "./polling.ts";
import { createMaxSender } from "./sender.ts";
import { maxStaleButtonText } from "./texts.ts";
import type { MaxFastifyWebhook } from "./webhook.ts";
import { maxFastifyWebhook } from "./webhook.ts";

export interface MaxCommand {
  name: string;
  description: string;
}

export interface MaxChannelOptions {
  token: string;
  /** Bot API address; MAX's own by default. Tests point it at a fake. */
  apiUrl?: string;
  onInbound: InboundHandler;
  logger?: ChannelLogger;
  /** Webhook mode; long polling when absent. */
  webhook?: { url: string; secret: string };
  /** The command hints MAX shows (one list: MAX has no per-language menus). */
  commands?: MaxCommand[];
  polling?: { timeoutSeconds?: number; retryDelayMs?: { first: number; max: number } };
  /** Attempts at one update before it is given up and logged (the database may be away briefly). */
  maxAttempts?: number;
}

export interface MaxChannelStatus {
  ok: boolean;
  mode: "polling" | "webhook";
  botUsername?: string;
  lastError?: string;
}

export interface MaxChannel {
  readonly channel: "max";
  readonly sender: ChannelSender;
  /** Polling: checks the token, drops any webhook, polls. Webhook: subscribes the URL with the secret. */
  start(): Promise<void>;
  /** Polling: stops fetching and waits for updates in progress. Webhook: leaves the subscription. */
  stop(): Promise<void>;
  /** Fastify 5 handler: `app.post("/max/webhook", channel.fastifyWebhook())`; 401 on a wrong secret. */
  fastifyWebhook(): MaxFastifyWebhook;
  /** Translates and routes one update (what polling and the webhook both call). */
  handleUpdate(update: Update): Promise<void>;
  status(): MaxChannelStatus;
}

/** What CareBot reads; edits, membership and the rest are not even fetched. */
const UPDATE_TYPES: UpdateType[] = ["message_created", "message_callback", "bot_started"];

export function createMaxChannel(options: MaxChannelOptions): MaxChannel {
  const logger = options.logger ?? silentLogger;
  const memory = new ChatMemory();
  const mode = options.webhook ? "webhook" : "polling";
  // The client's Bot is used for its API only: its own polling moves the marker before handling.
  const bot = new Bot(options.token, options.apiUrl ? { clientOptions: { baseUrl: options.apiUrl } } : {});
  const api = bot.api;
  let username: string | undefined;
  let polling: MaxPolling | undefined;
  let subscribed = false;
  let pollError: string | undefined;
  let lastError: string | undefined;
  const noteError = (what: string, error: unknown): void => {
    lastError = `${what}: ${describeMaxError(error)}`;
  };

  async function handleUpdate(update: Update): Promise<void> {
    const message = maxInboundMessage(update);
    if (update.update_type === "message_callback" && typeof update.callback?.callback_id === "string") {
      await acknowledge(update, message === null);
    }
    if (!message) return;
    memory.rememberLanguage(message.chatId, message.languageCode);
    await options.onInbound(message);
  }

  /** Stops the client's spinner: the pressed keyboard goes away, or a stale press hears why not. */
  async function acknowledge(update: Extract<Update, { update_type: "message_callback" }>, stale: boolean): Promise<void> {
    const pressed = update.message?.body;
    const answer = stale
      ? { notification: maxStaleButtonText(typeof update.user_locale === "string" ? update.user_locale : undefined) }
      : pressed && typeof pressed.text === "string"
        ? { message: { text: pressed.text, attachments: [] } } // the same text without its buttons
        : { notification: "✓" };
    try {
      await api.answerOnCallback(update.callback.callback_id, answer as Parameters<typeof api.answerOnCallback>[1]);
    } catch (error) {
      // The answer is a courtesy: the press itself is still the patient's answer.
      logger.debug({ error: describeMaxError(error) }, "max: could not answer a button press");
    }
  }

  const attempts = options.maxAttempts ?? 8;
  const retryDelay = options.polling?.retryDelayMs ?? { first: 250, max: 5000 };
  async function handleWithRetry(update: Update, signal: AbortSignal): Promise<void> {
    let wait = retryDelay.first;
    for (let attempt = 1; ; attempt++) {
      try {
        return await handleUpdate(update);
      } catch (error) {
        noteError("handling an update", error);
        if (attempt >= attempts) {
          logger.error({ updateType: update.update_type, attempts: attempt, error: lastError }, "max: an update could not be handled; given up");
          return;
        }
        logger.warn({ updateType: update.update_type, attempt, retryInMs: wait, error: lastError }, "max: an update could not be handled now; trying again");
        if (signal.aborted) return;
        await delay(wait, signal);
        if (signal.aborted) return;
        wait = Math.min(wait * 2, retryDelay.max);
      }
    }
  }

  const sender = createMaxSender({
    send: (chatId, part) => api.sendMessageToChat(chatId, part.text, part.attachments ? { attachments: part.attachments } : {}),
    memory,
  });

  async function start(): Promise<void> {
    if (polling?.isRunning() || subscribed) return;
    try {
      username = (await api.getMyInfo()).username ?? undefined; // a wrong token fails here, at startup
      if (options.commands) {
        await api.setMyCommands(options.commands).catch((error: unknown) => {
          // The hints are a convenience: a failure must not keep the bot from answering patients.
          logger.warn({ error: describeMaxError(error) }, "max: could not set the command hints");
        });
      }
      if (options.webhook) {
        await api.subscribe(options.webhook.url, options.webhook.secret, UPDATE_TYPES);
        subscribed = true;
        logger.info({ botUsername: username, mode }, "max: webhook subscribed");
        return;
      }
      // While any webhook subscription is active MAX answers no long poll.
      for (const subscription of (await api.getSubscriptions()) ?? []) await api.unsubscribe(subscription.url);
    } catch (error) {
      noteError("start", error);
      throw error;
    }
    const handle = startMaxPolling({
      api: { getUpdates: (types, extra) => api.getUpdates(types as UpdateType[], extra) },
      types: UPDATE_TYPES,
      timeoutSeconds: options.polling?.timeoutSeconds ?? 30,
      handle: handleWithRetry,
      logger,
      retryDelayMs: retryDelay,
      onPoll: (error) => {
        pollError = error === undefined ? undefined : describeMaxError(error);
        if (error !== undefined) noteError("GET /updates", error);
      },
    });
    polling = handle;
    handle.task.catch((error: unknown) => {
      noteError("polling stopped", error);
      logger.error({ error: lastError }, "max: long polling stopped");
    });
    logger.info({ botUsername: username, mode }, "max: polling started");
  }

  async function stop(): Promise<void> {
    const handle = polling;
    polling = undefined;
    if (handle) await handle.stop();
    // The subscription stays: during a rolling deploy the next instance keeps receiving.
    subscribed = false;
  }

  let webhookHandler: MaxFastifyWebhook | undefined;
  return {
    channel: "max",
    sender,
    start,
    stop,
    handleUpdate,
    fastifyWebhook: () => {
      if (!options.webhook) throw new Error("createMaxChannel: the webhook handler needs the `webhook` option (url and secret)");
      return (webhookHandler ??= maxFastifyWebhook(options.webhook.secret, handleUpdate, logger));
    },
    status: () => ({
      ok: mode === "webhook" ? subscribed : polling?.isRunning() === true && pollError === undefined,
      mode,
      ...(username !== undefined && { botUsername: username }),
      ...(lastError !== undefined && { lastError }),
    }),
  };
}
