// MAX channel (max.ru) on the official @maxhub/max-bot-api client.
export { createMaxChannel } from "./channel.ts";
export type { MaxChannel, MaxChannelOptions, MaxChannelStatus, MaxCommand } from "./channel.ts";
export { maxDedupeKey, maxInboundMessage } from "./inbound.ts";
export { MAX_TEXT_LENGTH, renderMaxMessage, splitText } from "./render.ts";
export { classifyMaxError, describeMaxError } from "./errors.ts";
export { createMaxSender } from "./sender.ts";
export { MAX_SECRET_HEADER } from "./webhook.ts";
