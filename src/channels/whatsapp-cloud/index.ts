// WhatsApp channel on the official WhatsApp Cloud API (the other transport: ../whatsapp, WhatsApp Web).
export { createWhatsAppCloudChannel } from "./channel.ts";
export type { WhatsAppCloudChannel, WhatsAppCloudOptions } from "./channel.ts";
export { classifyGraphFailure, WINDOW_CLOSED_CODE } from "./errors.ts";
export { createGraphApi } from "./graph-api.ts";
export type { GraphApi, GraphSendResult } from "./graph-api.ts";
export { inboundOfWebhook, webhookSchema } from "./inbound.ts";
export { eventOfOptionId, optionId } from "./option-id.ts";
export { LIMITS, renderCloudMessages, splitText, templateMessage } from "./render.ts";
export type { CloudMessage } from "./render.ts";
export { createCloudSender } from "./sender.ts";
export { isSignedBy, SIGNATURE_HEADER, signatureOf } from "./signature.ts";
export { registerCloudWebhook, WHATSAPP_WEBHOOK_PATH } from "./webhook.ts";
export { insideServiceWindow, SERVICE_WINDOW_MS } from "./window.ts";
