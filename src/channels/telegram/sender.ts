// The sending half shared by the grammY and Telegraf adapters: render, one Bot API call, classify.
// Never throws and never retries: the outbox dispatcher owns retries and their timing.
import type { ChannelSender, OutboundMessage, SendResult } from "../types.ts";
import type { ChatMemory } from "./chat-memory.ts";
import { classifySendError } from "./errors.ts";
import type { RenderedMessage, TelegramReplyMarkup } from "./render.ts";
import { renderMessage } from "./render.ts";
import { defaultContactButtonLabel } from "./texts.ts";

/** One sendMessage call through whichever client library is in use. */
export type SendMessageCall = (
  chatId: number | string,
  text: string,
  extra: { reply_markup?: TelegramReplyMarkup },
) => Promise<{ message_id: number }>;

export interface TelegramSenderOptions {
  sendMessage: SendMessageCall;
  memory: ChatMemory;
  contactButtonLabel?: (languageCode?: string) => string;
}

export function createTelegramSender(options: TelegramSenderOptions): ChannelSender {
  const { sendMessage, memory } = options;
  const contactLabel = options.contactButtonLabel ?? defaultContactButtonLabel;

  async function send(chatId: string, message: OutboundMessage): Promise<SendResult> {
    let rendered: RenderedMessage;
    try {
      rendered = renderMessage(message, {
        contactButtonLabel: contactLabel(memory.languageOf(chatId)),
        removeKeyboard: memory.hasReplyKeyboard(chatId),
      });
    } catch (error) {
      // An option value that cannot fit a button: no attempt will ever succeed.
      return { ok: false, reason: "bad_request", permanent: true, error: (error as Error).message };
    }
    try {
      const { text, ...extra } = rendered;
      const sent = await sendMessage(toChatId(chatId), text, extra);
      const markup = rendered.reply_markup;
      if (markup && "keyboard" in markup) memory.setReplyKeyboard(chatId, true);
      else if (markup && "remove_keyboard" in markup) memory.setReplyKeyboard(chatId, false);
      return { ok: true, externalMessageId: String(sent.message_id) };
    } catch (error) {
      return classifySendError(error);
    }
  }

  return { channel: "telegram", send };
}

/** Telegram chat ids are integers (negative for groups); "@channel" names stay strings. */
function toChatId(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) && Number.isSafeInteger(Number(chatId)) ? Number(chatId) : chatId;
}
