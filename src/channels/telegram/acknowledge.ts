// Every button press gets an answer (or the patient's client spins until Telegram times it out),
// and the pressed message loses its buttons, so an old choice cannot be sent a second time.
import { describeError, isIgnorableAcknowledgeError } from "./errors.ts";
import type { TelegramLogger } from "./logger.ts";

export interface PressAcknowledgement {
  /** answerCallbackQuery through the client in use; `text` shows as a toast. */
  answer(text?: string): Promise<unknown>;
  /** editMessageReplyMarkup without markup; absent when the pressed message cannot be edited. */
  removeKeyboard?: () => Promise<unknown>;
  /** Set when the button was not CareBot's (stale, forged, foreign): tells the patient so. */
  staleText?: string;
}

/** Never throws: a failed acknowledgement must not keep the press from reaching the router. */
export async function acknowledgePress(ack: PressAcknowledgement, logger: TelegramLogger): Promise<void> {
  await quietly(() => ack.answer(ack.staleText), "answerCallbackQuery", logger);
  if (ack.removeKeyboard) await quietly(ack.removeKeyboard, "editMessageReplyMarkup", logger);
}

async function quietly(call: () => Promise<unknown>, method: string, logger: TelegramLogger): Promise<void> {
  try {
    await call();
  } catch (error) {
    // "message is not modified" (keyboard already gone) or an expired query: nothing to fix.
    if (isIgnorableAcknowledgeError(error)) logger.debug({ method, error: describeError(error) }, "telegram: button press already acknowledged");
    else logger.warn({ method, error: describeError(error) }, "telegram: could not acknowledge a button press");
  }
}
