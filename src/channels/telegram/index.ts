// Telegram channel: grammY bot for CareBot's own bot, Telegraf middleware for a clinic's bot.
export { createGrammyChannel } from "./grammy.ts";
export type { GrammyChannel, TelegramChannelOptions, TelegramChannelStatus, TelegramCommand } from "./grammy.ts";
export type { FastifyWebhookHandler, NodeWebhookHandler } from "./grammy-webhook.ts";
export { createTelegrafMiddleware, createTelegrafSender } from "./telegraf.ts";
export type { TelegrafMiddlewareOptions, TelegrafSenderOptions } from "./telegraf.ts";
export { botIdFromToken, dedupeKeyOf, toInboundMessage } from "./inbound.ts";
export { decodeCallbackData, encodeCallbackData, MAX_CALLBACK_DATA_BYTES } from "./callback-data.ts";
export { layoutRows, renderMessage } from "./render.ts";
export type { InlineButton, RenderedMessage, RenderOptions, ReplyButton, TelegramReplyMarkup } from "./render.ts";
export { classifySendError, describeError, redactToken } from "./errors.ts";
export type { SendFailure } from "./errors.ts";
export { ChatMemory } from "./chat-memory.ts";
export type { TelegramLogger } from "./logger.ts";
export { defaultContactButtonLabel, defaultStaleButtonText, defaultUnprocessableText } from "./texts.ts";
