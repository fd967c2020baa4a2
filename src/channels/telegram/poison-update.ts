// The end of the road for an update that fails every time: logged loudly (for a person to look
// at), answered politely in a private chat so the patient is not left waiting, and dropped.
import type { Api } from "grammy";
import type { Update } from "grammy/types";
import { describeError } from "./errors.ts";
import type { TelegramLogger } from "./logger.ts";

/** The private chat and the sender's language, when the update has them. */
function privateChatOf(update: Update): { chatId: number; languageCode?: string } | undefined {
  const u = update as { message?: unknown; callback_query?: unknown };
  const message = (u.message ?? (u.callback_query as { message?: unknown } | undefined)?.message) as
    | { chat?: { id?: unknown; type?: unknown } }
    | undefined;
  const from = ((u.callback_query ?? u.message) as { from?: { language_code?: unknown; is_bot?: unknown } } | undefined)?.from;
  const chat = message?.chat;
  if (chat?.type !== "private" || typeof chat.id !== "number" || from?.is_bot === true) return undefined;
  return { chatId: chat.id, ...(typeof from?.language_code === "string" && { languageCode: from.language_code }) };
}

export async function giveUpOnUpdate(
  api: Api,
  update: Update,
  error: unknown,
  deps: { logger: TelegramLogger; text: (languageCode?: string) => string; attempts: number },
): Promise<void> {
  const chat = privateChatOf(update);
  deps.logger.error({ updateId: update.update_id, error: describeError(unwrap(error)) }, "telegram: handling an update failed");
  deps.logger.warn(
    { updateId: update.update_id, attempts: deps.attempts, told: chat !== undefined },
    "telegram: the update fails for a reason retrying cannot fix; it is dropped",
  );
  if (!chat) return;
  try {
    await api.sendMessage(chat.chatId, deps.text(chat.languageCode));
  } catch (sendError) {
    deps.logger.warn({ updateId: update.update_id, error: describeError(sendError) }, "telegram: could not apologise for a dropped update");
  }
}

/** grammY wraps middleware errors in BotError; the log wants the original. */
function unwrap(error: unknown): unknown {
  const e = error as { name?: string; error?: unknown };
  return e?.name === "BotError" && e.error !== undefined ? e.error : error;
}
