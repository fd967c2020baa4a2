// Telegram Update → CareBot InboundMessage. Pure: no I/O, no conversation logic.
// Anything that is not a patient talking to the bot in a private chat becomes null.
import type { CallbackQuery, Message, Update, User } from "grammy/types";
import type { InboundEvent, InboundMessage, MediaKind } from "../types.ts";
import { decodeCallbackData } from "./callback-data.ts";
import { cleanString, cleanText } from "./clean-text.ts";

/** The bot's numeric id: the part of the token before ":" (keeps two bots' dedupe keys apart). */
export function botIdFromToken(token: string): string {
  const match = /^(\d+):[A-Za-z0-9_-]+$/.exec(token);
  // Never echo the token itself: it is a credential.
  if (!match?.[1]) throw new Error('Telegram bot token is malformed: expected "<digits>:<secret>" as issued by @BotFather');
  return match[1];
}

/**
 * Stable for a redelivered update, unique forever otherwise. Not the update_id: Telegram starts
 * those again at random after a quiet week. A message id never repeats within a chat, and a
 * callback query id never repeats at all.
 */
export function dedupeKeyOf(botId: string, update: Update): string {
  if (update.message) return `tg:${botId}:m:${update.message.chat?.id}:${update.message.message_id}`;
  if (update.callback_query) return `tg:${botId}:cb:${update.callback_query.id}`;
  return `tg:${botId}:u:${update.update_id}`;
}

/** Translates one update, or null when it is not for CareBot (edits, channels, groups, membership...). */
export function toInboundMessage(update: Update, botId: string): InboundMessage | null {
  const dedupeKey = dedupeKeyOf(botId, update);
  // Edited messages, channel posts and business messages are deliberately not read.
  if (update.message) return fromMessage(update.message, dedupeKey);
  if (update.callback_query) return fromCallbackQuery(update.callback_query, dedupeKey);
  return null;
}

function fromMessage(message: Message, dedupeKey: string): InboundMessage | null {
  const from = message.from;
  // Updates can be malformed (webhooks accept any JSON): read defensively.
  if (message.chat?.type !== "private" || typeof message.chat.id !== "number" || !from || from.is_bot) return null;
  const event = messageEvent(message, from);
  return event ? { ...sender(from, message.chat.id, dedupeKey), event } : null;
}

function fromCallbackQuery(query: CallbackQuery, dedupeKey: string): InboundMessage | null {
  const chat = query.message?.chat;
  // Presses under inline-mode messages have no chat; CareBot only shows buttons in private chats.
  if (chat?.type !== "private" || typeof chat.id !== "number" || !query.from || query.from.is_bot) return null;
  const value = decodeCallbackData(query.data);
  if (value === undefined) return null;
  const event: InboundEvent = typeof value === "number" ? { type: "NUMBER", value } : { type: "CHOICE", value: cleanText(value) };
  return { ...sender(query.from, chat.id, dedupeKey), event };
}

function sender(from: User, chatId: number, dedupeKey: string): Omit<InboundMessage, "event"> {
  // Webhooks accept any JSON: a field of the wrong type is dropped rather than trusted.
  const displayName = [cleanString(from.first_name), cleanString(from.last_name)].filter(Boolean).join(" ").trim();
  return {
    channel: "telegram",
    chatId: String(chatId),
    userId: String(from.id),
    dedupeKey,
    ...(displayName && { displayName }),
    ...(typeof from.username === "string" && from.username !== "" && { username: cleanText(from.username) }),
    ...(typeof from.language_code === "string" && from.language_code !== "" && { languageCode: cleanText(from.language_code) }),
  };
}

function messageEvent(message: Message, from: User): InboundEvent | null {
  if (typeof message.text === "string") return textEvent(cleanText(message.text));
  if (message.contact) {
    // A contact without a phone number (malformed) says nothing CareBot can use.
    if (typeof message.contact.phone_number !== "string" || message.contact.phone_number.trim() === "") return null;
    // "own" lets the router refuse a forwarded contact card of somebody else.
    return { type: "CONTACT", phone: cleanText(message.contact.phone_number), own: message.contact.user_id === from.id };
  }
  const kind = mediaKind(message);
  return kind ? { type: "MEDIA", kind } : null;
}

// "/cmd", "/cmd@some_bot", "/cmd rest". Telegram limits command names to 32 characters.
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?=\s|$)([\s\S]*)$/;

function textEvent(text: string): InboundEvent {
  const match = COMMAND.exec(text);
  if (!match) return { type: "TEXT", text };
  const name = (match[1] ?? "").toLowerCase(); // clients may send "/Balance"; flows list lower-case triggers
  const rest = match[2] ?? "";
  if (name === "start") {
    // Deep links (t.me/bot?start=ref_ABC) arrive as "/start ref_ABC".
    const payload = rest.trim();
    return payload ? { type: "START", payload } : { type: "START" };
  }
  // The @bot suffix is dropped so "/balance@carebot_bot" triggers the same flow as "/balance".
  return { type: "TEXT", text: `/${name}${rest}` };
}

function mediaKind(message: Message): MediaKind | null {
  if (message.sticker) return "sticker";
  if (message.photo) return "photo";
  if (message.voice) return "voice";
  if (message.video || message.video_note) return "video";
  // GIFs carry a document too: check animation first so they are not mistaken for files.
  if (message.animation) return "other";
  if (message.document) return "document";
  if (message.location || message.venue) return "location";
  if (message.audio || message.dice || message.poll || message.game || message.story || message.paid_media) return "other";
  return null; // service messages (pins, payments, shared users...) are not patient input
}
