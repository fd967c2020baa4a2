// grammY middleware: every update → inbound.ts → the router. Button presses are acknowledged
// first, whatever their data, so no patient's client is left spinning.
import type { Context } from "grammy";
import type { InboundHandler } from "../types.ts";
import { acknowledgePress } from "./acknowledge.ts";
import type { ChatMemory } from "./chat-memory.ts";
import { toInboundMessage } from "./inbound.ts";
import type { TelegramLogger } from "./logger.ts";

export interface GrammyInboundOptions {
  botId: string;
  onInbound: InboundHandler;
  memory: ChatMemory;
  logger: TelegramLogger;
  staleButtonText: (languageCode?: string) => string;
}

export function grammyInbound(options: GrammyInboundOptions): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    const message = toInboundMessage(ctx.update, options.botId);
    const query = ctx.callbackQuery;
    if (query) {
      const pressed = query.message;
      await acknowledgePress(
        {
          answer: (text) => ctx.answerCallbackQuery(text === undefined ? undefined : { text }),
          ...(pressed && { removeKeyboard: () => ctx.api.editMessageReplyMarkup(pressed.chat.id, pressed.message_id) }),
          ...(message === null && { staleText: options.staleButtonText(query.from.language_code) }),
        },
        options.logger,
      );
    }
    if (!message) return;
    options.memory.rememberLanguage(message.chatId, message.languageCode);
    // A throw here fails the update: retried while the database is away, else logged and apologised for (update-failures.ts).
    await options.onInbound(message);
  };
}
