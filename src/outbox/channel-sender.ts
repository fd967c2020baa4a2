// The port the dispatcher sends through: each channel adapter implements it for its messenger.
import type { OutboundMessage } from "../flows/events.ts";

export type ChannelName = "telegram" | "whatsapp" | "web";

/**
 * The answer of a messenger to one send. Adapters classify their messenger's errors so the
 * dispatcher can decide: wait and retry (429, 5xx, network), or stop for good (blocked, bad chat).
 */
export type SendResult =
  | { ok: true; externalMessageId?: string }
  | {
      ok: false;
      reason: "rate_limited" | "server" | "network" | "blocked" | "bad_request";
      /** True when retrying cannot help (the patient blocked the bot, the chat does not exist). */
      permanent: boolean;
      /** The wait the messenger asked for (Telegram's retry_after), in milliseconds. */
      retryAfterMs?: number;
      error: string;
    };

/** The sending half of a channel, used by the outbox dispatcher. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(chatId: string, message: OutboundMessage): Promise<SendResult>;
}
