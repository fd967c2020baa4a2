// WhatsApp channel: whatsapp-web.js (WhatsApp Web in Debian's Chromium) behind CareBot's own small client interface.
export { createWhatsAppChannel } from "./channel.ts";
export type {
  WhatsAppChannel,
  WhatsAppChannelOptions,
  WhatsAppChannelState,
  WhatsAppChannelStatus,
  WhatsAppReconnectOptions,
  WhatsAppTexts,
} from "./channel.ts";
export { CHROMIUM_ARGS, createWhatsAppWebClient } from "./client.ts";
export type { WhatsAppClient, WhatsAppIncoming, WhatsAppSentMessage, WhatsAppWebClientOptions } from "./client.ts";
export { chatIdOfPhone, dedupeKeyOf, isPrivateChat, phoneOfChat, toInboundMessage } from "./inbound.ts";
export { phoneOfVCard } from "./vcard.ts";
export type { VCardPhone } from "./vcard.ts";
export { renderMenu, renderMessage } from "./render.ts";
export type { RenderTexts } from "./render.ts";
export { senderChatOf } from "./sender-chat.ts";
export { classifySendError, describeError, isSessionClosedError, NOT_READY } from "./errors.ts";
export type { SendFailure } from "./errors.ts";
export { defaultContactRequest, defaultMenuHint, guessLocale } from "./texts.ts";
export type { WhatsAppLogger } from "./logger.ts";
