// The port the dispatcher sends through: each channel adapter implements it for its messenger.
import type { OutboundMessage } from "../flows/events.ts";

export type ChannelName = "telegram" | "whatsapp" | "web" | "max";

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
