// CareBot's normalized messages: what every channel adapter translates to and from.

export type ChannelName = "telegram" | "whatsapp" | "web" | "max";

export type MediaKind = "sticker" | "photo" | "voice" | "video" | "document" | "location" | "other";

/** The events a flow can react to (a flow file's `on` keys). */
export type InboundEvent =
  | { type: "START"; payload?: string }
  | { type: "TEXT"; text: string }
  | { type: "CHOICE"; value: string }
  | { type: "NUMBER"; value: number }
  | { type: "CONTACT"; phone: string; own: boolean }
  | { type: "MEDIA"; kind: MediaKind }
  | { type: "TIMEOUT" }
  | { type: "RESUME" }
  /** Internal: an action's outcome reported back to its flow (never from a channel). */
  | { type: "RESULT"; value: string };

export const INBOUND_EVENT_TYPES = ["START", "TEXT", "CHOICE", "NUMBER", "CONTACT", "MEDIA", "TIMEOUT", "RESUME", "RESULT"] as const;
export type InboundEventType = (typeof INBOUND_EVENT_TYPES)[number];

/** One message from a patient, as an adapter hands it to the router. */
export interface InboundMessage {
  channel: ChannelName;
  /** The chat to answer in (Telegram chat id, WhatsApp wid, web session id, MAX chat id). */
  chatId: string;
  userId?: string;
  /** Unique per channel update; a redelivered update carrying the same key is processed once. */
  dedupeKey?: string;
  displayName?: string;
  username?: string;
  /** The sender's phone as the messenger itself vouches for it (WhatsApp chats are phone numbers). */
  senderPhone?: string;
  /** The sender's language as the messenger reports it ("ru", "en-US"). */
  languageCode?: string;
  /** A TEXT may still become NUMBER or CHOICE in the runtime, which knows the options last shown. */
  event: InboundEvent;
}

export interface OutboundOption {
  /** Sent back as CHOICE {value} (a string) or NUMBER {value} (a number) when picked. */
  value: string | number;
  label: string;
}

/** One message to a patient, before a channel renders it its own way. */
export interface OutboundMessage {
  text: string;
  options?: OutboundOption[];
  /** Ask for the patient's phone with the messenger's own contact button. */
  requestContact?: boolean;
  /** WhatsApp chats only: what the Cloud API needs outside its 24-hour window (whatsapp-cloud/). */
  whatsapp?: WhatsAppMessageKind;
}

/** The message's kind (its text key) and the approved template the clinic set for that kind, if any. */
export interface WhatsAppMessageKind {
  kind: string;
  template?: { name: string; language: string; params: string[] };
}

/** What a channel does with an inbound message: hand it to the router (which never throws at it). */
export type InboundHandler = (message: InboundMessage) => Promise<void>;

/**
 * The answer of a messenger to one send. Adapters classify their messenger's errors so the
 * dispatcher can decide: wait and retry (429, 5xx, network), or stop for good (blocked, bad chat).
 */
export type SendResult =
  | { ok: true; externalMessageId?: string }
  | {
      ok: false;
      /** window_closed: WhatsApp Cloud API, outside the 24-hour window with no template for the message (skipped). */
      reason: "rate_limited" | "server" | "network" | "blocked" | "bad_request" | "window_closed";
      /** True when retrying cannot help (the patient blocked the bot, the chat does not exist). */
      permanent: boolean;
      /** The wait the messenger asked for (Telegram's retry_after), in milliseconds. */
      retryAfterMs?: number;
      error: string;
    };

/** What the dispatcher knows of the chat besides its id. */
export interface SendContext {
  /** The patient's last message in this chat (WhatsApp Cloud API's 24-hour service window opens there). */
  lastInboundAt?: Date | null;
}

/** The sending half of a channel, used by the outbox dispatcher. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(chatId: string, message: OutboundMessage, context?: SendContext): Promise<SendResult>;
}
