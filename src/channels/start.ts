import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import type { ConversationRouter } from "../conversations/router.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";
import type { RateLimit } from "../outbox/rate-limiter.ts";
import { createMaxChannel } from "./max/index.ts";
import { createGrammyChannel } from "./telegram/index.ts";
import { createWhatsAppChannel, createWhatsAppWebClient, phoneOfChat } from "./whatsapp/index.ts";
import { createWhatsAppCloudChannel, WHATSAPP_WEBHOOK_PATH } from "./whatsapp-cloud/index.ts";
import type { ChannelName, ChannelSender } from "./types.ts";

/** What the messengers are given: their settings, the router to hand messages to, a logger. */
export interface ChannelsDeps {
  config: Pick<Config, "telegram" | "whatsapp" | "whatsappCloud" | "max">;
  router: Pick<ConversationRouter, "handle">;
  logger: Logger;
  clock: Clock;
  /** Filled in when WhatsApp runs: the console reads the session's state (and login QR) here. */
  whatsappStatus?: () => { state: string; qr?: string };
}

/** Where each messenger reports its health (/health's registry). */
export interface ChannelHealth {
  register(name: string, check: () => { ok: boolean; [detail: string]: unknown }): void;
}

export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";
export const MAX_WEBHOOK_PATH = "/max/webhook";

export interface RunningChannels {
  senders: Partial<Record<ChannelName, ChannelSender>>;
  limits: Partial<Record<ChannelName, RateLimit>>;
  /** Whether a channel can send now (a WhatsApp session that is logged out or down cannot). */
  ready(channel: ChannelName): boolean;
  /** One line per channel for the start-up banner. */
  describe(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The commands Telegram shows in its menu, in the patient's language. */
const COMMANDS = {
  ru: [
    { command: "menu", description: "Главное меню" },
    { command: "operator", description: "Связаться с администратором" },
    { command: "stop", description: "Не присылать мне сообщения" },
  ],
  en: [
    { command: "menu", description: "Main menu" },
    { command: "operator", description: "Contact the front desk" },
    { command: "stop", description: "Stop sending me messages" },
  ],
};

/**
 * The messengers configured in the environment, wired to the router (inbound) and ready for the
 * dispatcher (outbound). The web channel (preview) is always there: its messages are read from
 * the transcript, so "sending" one only marks it delivered.
 */
export function createChannels(deps: ChannelsDeps, http: FastifyInstance, health: ChannelHealth): RunningChannels {
  const senders: RunningChannels["senders"] = { web: { channel: "web", send: async () => ({ ok: true }) } };
  const limits: RunningChannels["limits"] = {};
  const starters: (() => Promise<void>)[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  const lines: string[] = [];
  const readiness: Partial<Record<ChannelName, () => boolean>> = { web: () => true };
  const { config, router, logger } = deps;

  const telegram = config.telegram;
  if (telegram) {
    const channel = createGrammyChannel({
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      webhook: telegram.webhook,
      commands: COMMANDS,
      logger: logger.child({ channel: "telegram" }),
      onInbound: async (message) => {
        await router.handle(message);
      },
    });
    senders.telegram = channel.sender;
    readiness.telegram = () => true;
    limits.telegram = { perSecond: telegram.perSecond, perChatIntervalMs: telegram.perChatIntervalMs };
    if (telegram.webhook) http.post(TELEGRAM_WEBHOOK_PATH, channel.fastifyWebhook());
    health.register("telegram", () => ({ ...channel.status() }));
    starters.push(() => channel.start());
    stoppers.push(() => channel.stop());
    lines.push(
      telegram.webhook
        ? `  Telegram    webhook ${telegram.webhook.url} (served at ${TELEGRAM_WEBHOOK_PATH})`
        : `  Telegram    long polling${telegram.apiRoot ? ` via ${telegram.apiRoot}` : ""}`,
    );
  } else {
    lines.push("  Telegram    off (set TELEGRAM_BOT_TOKEN)");
  }

  const max = config.max;
  if (max) {
    const channel = createMaxChannel({
      token: max.token,
      apiUrl: max.apiUrl,
      webhook: max.webhook,
      commands: COMMANDS.ru.map((c) => ({ name: c.command, description: c.description })),
      logger: logger.child({ channel: "max" }),
      onInbound: async (message) => {
        await router.handle(message);
      },
    });
    senders.max = channel.sender;
    readiness.max = () => true;
    limits.max = { perSecond: max.perSecond, perChatIntervalMs: max.perChatIntervalMs };
    if (max.webhook) http.post(MAX_WEBHOOK_PATH, channel.fastifyWebhook());
    health.register("max", () => ({ ...channel.status() }));
    starters.push(() => channel.start());
    stoppers.push(() => channel.stop());
    lines.push(
      max.webhook
        ? `  MAX         webhook ${max.webhook.url} (served at ${MAX_WEBHOOK_PATH})`
        : `  MAX         long polling${max.apiUrl ? ` via ${max.apiUrl}` : ""}`,
    );
  } else {
    lines.push("  MAX         off (set MAX_BOT_TOKEN)");
  }

  const whatsapp = config.whatsapp;
  if (whatsapp) {
    const makeClient = () => createWhatsAppWebClient({ sessionDir: whatsapp.sessionDir, chromiumPath: whatsapp.chromiumPath });
    const channel = createWhatsAppChannel({
      client: makeClient(),
      createClient: makeClient,
      logger: logger.child({ channel: "whatsapp" }),
      // Options come as a numbered list, so "2" answers the second; the chat id is the phone.
      onInbound: async (message) => {
        await router.handle({ ...message, senderPhone: phoneOfChat(message.chatId) }, { numberedMenu: true });
      },
    });
    senders.whatsapp = channel.sender;
    readiness.whatsapp = () => channel.status().state === "ready";
    // The console shows the login QR to admins (never /health: whoever has it can take over the number).
    deps.whatsappStatus = () => channel.status();
    // The dispatcher paces WhatsApp's sends (one at a time, a gap after each, jitter): the one pacing layer.
    limits.whatsapp = { perSecond: 0, perChatIntervalMs: 0, gapAfterSendMs: whatsapp.minIntervalMs, jitterMs: whatsapp.jitterMs };
    // The QR itself is never put in /health: whoever has it can take over the clinic's number.
    health.register("whatsapp", () => {
      const { qr: _qr, ...status } = channel.status();
      return { ...status };
    });
    starters.push(() => channel.start());
    stoppers.push(() => channel.stop());
    lines.push(`  WhatsApp    whatsapp-web.js, session ${whatsapp.sessionDir}, Chromium ${whatsapp.chromiumPath} (scan the QR printed below)`);
  } else if (config.whatsappCloud) {
    const cloud = config.whatsappCloud;
    const channel = createWhatsAppCloudChannel({
      ...cloud,
      clock: deps.clock,
      logger: logger.child({ channel: "whatsapp" }),
      // Lists and buttons come back as CHOICE; the numbered text (over 10 options) takes "2".
      onInbound: async (message) => {
        await router.handle(message, { numberedMenu: true });
      },
    });
    channel.register(http);
    senders.whatsapp = channel.sender;
    readiness.whatsapp = () => true;
    // Meta allows 80 messages a second per number; one a second per chat stays clear of its pair limit.
    // No gap after each send: that is WhatsApp Web's pacing (a number driven by a browser), not the API's.
    limits.whatsapp = { perSecond: 20, perChatIntervalMs: 1000, gapAfterSendMs: 0, jitterMs: 0 };
    health.register("whatsapp", () => ({ ok: true, transport: "cloud" }));
    lines.push(`  WhatsApp    Cloud API ${cloud.graphUrl}, number ${cloud.phoneNumberId} (webhook served at ${WHATSAPP_WEBHOOK_PATH})`);
  } else {
    lines.push("  WhatsApp    off (set WHATSAPP_ENABLED=1, or WHATSAPP_TRANSPORT=cloud)");
  }

  return {
    senders,
    limits,
    ready: (channel) => readiness[channel]?.() ?? false,
    describe: () => lines,
    start: async () => {
      for (const start of starters) await start();
    },
    stop: async () => {
      for (const stop of stoppers) await stop().catch((error) => logger.warn({ err: error }, "channel did not stop cleanly"));
    },
  };
}
