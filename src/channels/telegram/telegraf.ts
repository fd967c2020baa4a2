// For clinics that already run a Telegraf bot: a middleware that hands CareBot's updates to the
// router and lets everything else through to the clinic's own handlers, and a sender over the
// clinic's Telegram client. Same translation, rendering and error classification as grammY.
import type { Update } from "grammy/types";
import type { Context, Middleware, Telegram } from "telegraf";
import { isConnectionFailure } from "../../db/errors.ts";
import type { ChannelSender, InboundHandler, InboundMessage } from "../types.ts";
import { acknowledgePress } from "./acknowledge.ts";
import { ChatMemory } from "./chat-memory.ts";
import { describeError } from "./errors.ts";
import { toInboundMessage } from "./inbound.ts";
import type { TelegramLogger } from "./logger.ts";
import { silentLogger } from "./logger.ts";
import { createTelegramSender } from "./sender.ts";

export interface TelegrafMiddlewareOptions {
  onInbound: InboundHandler;
  /** Bot id for dedupe keys; by default the one Telegraf learnt from getMe (ctx.botInfo). */
  botId?: string;
  /** Whether "/start" (and deep links) is CareBot's; default true. */
  handleStart?: boolean;
  /**
   * Whether a private-chat TEXT (commands included, e.g. "/balance") or MEDIA is CareBot's.
   * Default: all of them, since a clinic that mounts CareBot usually wants it to answer. Return
   * false for what the clinic's own handlers registered after the middleware should get.
   * Button presses with CareBot data and shared contacts are always CareBot's.
   */
  isCareBotUpdate?: (message: InboundMessage) => boolean;
  logger?: TelegramLogger;
  /** Share one with createTelegrafSender so the contact button follows the patient's language. */
  memory?: ChatMemory;
  /** How long an update waits for a database that is away before it is given up (default 5 min). */
  databaseWaitMs?: number;
}

export function createTelegrafMiddleware(options: TelegrafMiddlewareOptions): Middleware<Context> {
  const logger = options.logger ?? silentLogger;
  const handleStart = options.handleStart ?? true;
  const isCareBotUpdate = options.isCareBotUpdate ?? (() => true);

  const belongsToCareBot = (message: InboundMessage): boolean => {
    switch (message.event.type) {
      case "CHOICE":
      case "NUMBER":
      case "CONTACT":
        return true;
      case "START":
        return handleStart;
      default:
        return isCareBotUpdate(message);
    }
  };

  return async (ctx, next) => {
    const botId = options.botId ?? String(ctx.botInfo.id);
    // Telegraf's typegram Update and grammY's describe the same JSON.
    const message = toInboundMessage(ctx.update as unknown as Update, botId);
    // Not CareBot's: groups, edits, other buttons (whose handlers answer their own queries)...
    if (!message || !belongsToCareBot(message)) return next();

    const query = ctx.callbackQuery;
    if (query) {
      const pressed = query.message;
      await acknowledgePress(
        {
          answer: (text) => ctx.telegram.answerCbQuery(query.id, text),
          ...(pressed && { removeKeyboard: () => ctx.telegram.editMessageReplyMarkup(pressed.chat.id, pressed.message_id, undefined, undefined) }),
        },
        logger,
      );
    }
    options.memory?.rememberLanguage(message.chatId, message.languageCode);
    // While the database is away the update is handled again in place: Telegraf confirms an
    // update once its handlers return, so returning early would lose it. Bounded, so the
    // clinic's own bot is never held for good.
    const giveUpAt = Date.now() + (options.databaseWaitMs ?? 5 * 60_000);
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await options.onInbound(message);
        return;
      } catch (error) {
        if (isConnectionFailure(error) && Date.now() + wait < giveUpAt) {
          logger.warn({ updateId: ctx.update.update_id, error: describeError(error) }, "telegram: the database is away; handling the update again shortly");
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        // Telegraf's default error handler would end the polling loop: log and keep the bot alive.
        logger.error({ updateId: ctx.update.update_id, error: describeError(error) }, "telegram: handling an update failed");
        return;
      }
    }
  };
}

export interface TelegrafSenderOptions {
  contactButtonLabel?: (languageCode?: string) => string;
  /** Share one with createTelegrafMiddleware; a private one otherwise. */
  memory?: ChatMemory;
}

/** Sends through the clinic's Telegraf client: plain text, CareBot keyboards, classified failures. */
export function createTelegrafSender(telegram: Telegram, options: TelegrafSenderOptions = {}): ChannelSender {
  return createTelegramSender({
    sendMessage: (chatId, text, extra) => telegram.sendMessage(chatId, text, extra),
    memory: options.memory ?? new ChatMemory(),
    ...(options.contactButtonLabel && { contactButtonLabel: options.contactButtonLabel }),
  });
}
