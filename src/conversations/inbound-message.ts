// What the router takes from a channel adapter: one patient's message, already translated.
import type { InboundEvent } from "../flows/events.ts";
import type { ChannelName } from "../outbox/channel-sender.ts";

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

/** What a channel does with an inbound message: hand it to the router (which never throws at it). */
export type InboundHandler = (message: InboundMessage) => Promise<void>;
