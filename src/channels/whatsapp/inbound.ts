// whatsapp-web.js message → CareBot InboundMessage. Pure: no I/O, no conversation logic.
// Only a patient writing to the clinic's number in a private chat counts; everything else is null.
import type { InboundEvent, InboundMessage, MediaKind } from "../types.ts";
import type { WhatsAppIncoming } from "./client.ts";
import { phoneOfVCard } from "./vcard.ts";

// A private chat's id is the international number's digits on the "c.us" server.
const PRIVATE_CHAT = /^(\d{5,20})@c\.us$/;

/** True for "79161234567@c.us"; false for groups (@g.us), status@broadcast, channels, hidden (@lid) ids. */
export function isPrivateChat(chatId: string): boolean {
  return PRIVATE_CHAT.test(chatId);
}

/** "79161234567@c.us" → "+79161234567": the router links WhatsApp chats to patients by phone. */
export function phoneOfChat(chatId: string): string | undefined {
  const digits = PRIVATE_CHAT.exec(chatId)?.[1];
  return digits ? `+${digits}` : undefined;
}

/** "+7 (916) 123-45-67" → "79161234567@c.us", for writing first to a patient known by phone. */
export function chatIdOfPhone(phone: string): string | undefined {
  if (!phone.trim().startsWith("+")) return undefined; // a national number has no country: refuse to guess
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 8 && digits.length <= 15 ? `${digits}@c.us` : undefined;
}

/** WhatsApp's serialized message id is unique and stable when the same message is delivered again. */
export function dedupeKeyOf(message: WhatsAppIncoming): string {
  return `wa:${message.id._serialized}`;
}

const MEDIA: Readonly<Record<string, MediaKind>> = {
  image: "photo",
  sticker: "sticker",
  ptt: "voice", // a voice note recorded in WhatsApp
  audio: "voice", // an audio file, or a voice note forwarded from elsewhere
  video: "video",
  document: "document",
  location: "location",
};

/**
 * Translates one message, or null when it is not a patient's input (groups, statuses, own messages,
 * reactions, revoked messages, polls, system notices...). `from` is the sender's phone wid when the
 * channel resolved a hidden "…@lid" sender to it; the message's own `from` otherwise.
 */
export function toInboundMessage(message: WhatsAppIncoming, from: string = message.from): InboundMessage | null {
  if (message.fromMe || message.id.fromMe || message.isStatus || !isPrivateChat(from)) return null;
  const event = eventOf(message, from);
  if (!event) return null;
  const displayName = pushNameOf(message);
  return {
    channel: "whatsapp",
    chatId: from,
    userId: from,
    dedupeKey: dedupeKeyOf(message),
    ...(displayName && { displayName }),
    event,
  };
}

function eventOf(message: WhatsAppIncoming, from: string): InboundEvent | null {
  if (message.type === "chat") {
    // A reply to a numbered menu ("2") stays TEXT: the runtime knows which options were shown.
    return message.body.trim() ? { type: "TEXT", text: message.body } : null;
  }
  if (message.type === "vcard") {
    const card = phoneOfVCard(message.vCards?.[0] ?? message.body);
    // A card without a number is still the patient answering: let the flow ask again.
    if (!card) return { type: "MEDIA", kind: "other" };
    // "own" lets the router refuse somebody else's card sent instead of the patient's.
    return { type: "CONTACT", phone: card.phone, own: `${card.digits}@c.us` === from };
  }
  const kind = MEDIA[message.type];
  return kind ? { type: "MEDIA", kind } : null;
}

/** The name the sender set in WhatsApp ("push name"); only WhatsApp Web's raw message carries it. */
function pushNameOf(message: WhatsAppIncoming): string | undefined {
  const raw = message.rawData as { notifyName?: unknown } | undefined;
  const name = typeof raw?.notifyName === "string" ? raw.notifyName.trim() : "";
  return name || undefined;
}
