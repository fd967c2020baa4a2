// MAX Update → CareBot InboundMessage. Pure: no I/O, no conversation logic.
// Anything that is not a patient talking to the bot in a private dialog becomes null.
import type { Attachment, Message, Update, User } from "@maxhub/max-bot-api/types";
import { decodeCallbackData } from "../telegram/callback-data.ts";
import { cleanString, cleanText } from "../telegram/clean-text.ts";
import type { InboundEvent, InboundMessage, MediaKind } from "../types.ts";
import { phoneOfVCard } from "../whatsapp/vcard.ts";

/**
 * Stable for a redelivered update, unique otherwise: a message's mid and a callback's id never
 * repeat; a bot_started is one chat's one moment.
 */
export function maxDedupeKey(update: Update): string {
  if (update.update_type === "message_created") return `max:m:${update.message?.body?.mid}`;
  if (update.update_type === "message_callback") return `max:cb:${update.callback?.callback_id}`;
  if (update.update_type === "bot_started") return `max:s:${update.chat_id}:${update.timestamp}`;
  return `max:u:${update.update_type}:${update.timestamp}`;
}

/** Translates one update, or null when it is not for CareBot (group chats, edits, membership...). */
export function maxInboundMessage(update: Update): InboundMessage | null {
  // Webhooks accept any JSON: every field is read defensively.
  if (typeof update !== "object" || update === null) return null;
  const dedupeKey = maxDedupeKey(update);
  const locale = cleanString((update as { user_locale?: unknown }).user_locale) || undefined;
  switch (update.update_type) {
    case "message_created":
      return fromMessage(update.message, dedupeKey, locale);
    case "message_callback": {
      const chatId = dialogChatId(update.message ?? undefined);
      const user = update.callback?.user;
      if (chatId === undefined || !isPerson(user)) return null;
      const value = decodeCallbackData(update.callback.payload);
      if (value === undefined) return null;
      const event: InboundEvent = typeof value === "number" ? { type: "NUMBER", value } : { type: "CHOICE", value: cleanText(value) };
      return { ...sender(user, chatId, dedupeKey, locale), event };
    }
    case "bot_started": {
      // A deep link max.ru/<bot>?start=ref_ABC234 arrives as the payload of bot_started.
      if (typeof update.chat_id !== "number" || !isPerson(update.user)) return null;
      const payload = cleanString(update.payload)?.trim();
      return { ...sender(update.user, update.chat_id, dedupeKey, locale), event: payload ? { type: "START", payload } : { type: "START" } };
    }
    default:
      return null;
  }
}

function fromMessage(message: Message | undefined, dedupeKey: string, locale?: string): InboundMessage | null {
  const chatId = dialogChatId(message);
  const from = message?.sender;
  if (!message || chatId === undefined || !isPerson(from)) return null;
  const event = messageEvent(message, from);
  return event ? { ...sender(from, chatId, dedupeKey, locale), event } : null;
}

/** The chat of a private dialog with the bot; group chats and channels are not CareBot's. */
function dialogChatId(message: Message | undefined): number | undefined {
  const recipient = message?.recipient;
  if (recipient?.chat_type !== "dialog" || typeof recipient.chat_id !== "number") return undefined;
  return recipient.chat_id;
}

function isPerson(user: User | null | undefined): user is User {
  return typeof user === "object" && user !== null && typeof user.user_id === "number" && user.is_bot !== true;
}

function sender(user: User, chatId: number, dedupeKey: string, locale?: string): Omit<InboundMessage, "event"> {
  const displayName = [cleanString(user.first_name), cleanString(user.last_name)].filter(Boolean).join(" ").trim() || cleanString(user.name)?.trim();
  return {
    channel: "max",
    chatId: String(chatId),
    userId: String(user.user_id),
    dedupeKey,
    ...(displayName && { displayName }),
    ...(typeof user.username === "string" && user.username !== "" && { username: cleanText(user.username) }),
    ...(locale && { languageCode: locale }),
  };
}

function messageEvent(message: Message, from: User): InboundEvent | null {
  const attachments: Attachment[] = Array.isArray(message.body?.attachments) ? message.body.attachments : [];
  const contact = attachments.find((a) => a?.type === "contact");
  if (contact?.type === "contact") {
    // The request_contact button sends the patient's own card; a forwarded card names somebody else.
    const card = typeof contact.payload?.vcf_info === "string" ? phoneOfVCard(contact.payload.vcf_info) : undefined;
    if (!card) return null;
    return { type: "CONTACT", phone: cleanText(card.phone), own: contact.payload.max_info?.user_id === from.user_id };
  }
  const text = cleanString(message.body?.text);
  if (text !== undefined && text.trim() !== "") return textEvent(text);
  const kind = attachments.map(mediaKind).find((k) => k !== null);
  return kind ? { type: "MEDIA", kind } : null;
}

function textEvent(text: string): InboundEvent {
  // MAX clients send "/start" too when a patient types it; flows list lower-case commands.
  const match = /^\/([A-Za-z0-9_]{1,32})(?=\s|$)([\s\S]*)$/.exec(text);
  if (!match) return { type: "TEXT", text };
  const name = (match[1] ?? "").toLowerCase();
  const rest = match[2] ?? "";
  if (name === "start") {
    const payload = rest.trim();
    return payload ? { type: "START", payload } : { type: "START" };
  }
  return { type: "TEXT", text: `/${name}${rest}` };
}

function mediaKind(attachment: Attachment): MediaKind | null {
  switch (attachment?.type) {
    case "sticker":
      return "sticker";
    case "image":
      return "photo";
    case "audio":
      return "voice";
    case "video":
      return "video";
    case "file":
      return "document";
    case "location":
      return "location";
    case "share":
      return "other";
    default:
      return null; // the inline keyboard of a forwarded message is not patient input
  }
}
