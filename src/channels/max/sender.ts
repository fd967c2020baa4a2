// The sending half of the MAX channel: render, one POST /messages per part, classify.
// Never throws and never retries: the outbox dispatcher owns retries and their timing.
import type { ChatMemory } from "../telegram/chat-memory.ts";
import type { ChannelSender, OutboundMessage, SendResult } from "../types.ts";
import { classifyMaxError } from "./errors.ts";
import type { MaxRenderedPart } from "./render.ts";
import { renderMaxMessage } from "./render.ts";
import { maxContactButtonLabel } from "./texts.ts";

/** One send through the MAX client: the message id (body.mid) it answers with. */
export type MaxSendCall = (chatId: number, part: MaxRenderedPart) => Promise<{ body: { mid: string } }>;

export interface MaxSenderOptions {
  send: MaxSendCall;
  memory: ChatMemory;
  contactButtonLabel?: (languageCode?: string) => string;
}

export function createMaxSender(options: MaxSenderOptions): ChannelSender {
  const label = options.contactButtonLabel ?? maxContactButtonLabel;

  async function send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    if (!/^-?\d{1,18}$/.test(chatId)) return { ok: false, reason: "bad_request", permanent: true, error: `"${chatId}" is not a MAX chat id` };
    let parts: MaxRenderedPart[];
    try {
      parts = renderMaxMessage(message, label(options.memory.languageOf(chatId)));
    } catch (error) {
      // An option value that cannot fit a button: no attempt will ever succeed.
      return { ok: false, reason: "bad_request", permanent: true, error: (error as Error).message };
    }
    // A long text goes as several messages; should a later part fail, the retry sends them all again.
    let lastId: string | undefined;
    try {
      for (const part of parts) lastId = (await options.send(Number(chatId), part)).body.mid;
      return { ok: true, ...(lastId !== undefined && { externalMessageId: lastId }) };
    } catch (error) {
      return classifyMaxError(error);
    }
  }

  return { channel: "max", send };
}
