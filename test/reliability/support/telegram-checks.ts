// What every message a patient receives must be: real words, within Telegram's limits, with
// buttons Telegram accepts. Returns the problems found, so a failure lists them all.
import type { SentMessage } from "../../support/fake-bot-api/index.ts";

const LEAKS = /undefined|\[object Object\]|\bNaN\b|\{\{|\}\}|\bnull\b/;

export function problemsOf(m: SentMessage): string[] {
  const problems: string[] = [];
  const where = `chat ${m.chatId} message ${m.messageId}`;
  if (typeof m.rawText !== "string" || m.rawText.trim() === "") problems.push(`${where}: empty text`);
  if (m.text.length > 4096) problems.push(`${where}: ${m.text.length} characters (Telegram allows 4096)`);
  if (LEAKS.test(m.rawText)) problems.push(`${where}: leaked placeholder in ${JSON.stringify(m.rawText.slice(0, 200))}`);
  const markup = m.replyMarkup as Record<string, unknown> | undefined;
  if (markup && "inline_keyboard" in markup) {
    for (const row of markup.inline_keyboard as { text?: string; callback_data?: string }[][]) {
      for (const b of row) {
        if (!b.text?.trim()) problems.push(`${where}: a button without a label`);
        if (LEAKS.test(b.text ?? "")) problems.push(`${where}: leaked placeholder in button ${JSON.stringify(b.text)}`);
        if (b.callback_data !== undefined && (b.callback_data === "" || Buffer.byteLength(b.callback_data) > 64)) problems.push(`${where}: bad callback_data ${JSON.stringify(b.callback_data)}`);
      }
    }
  }
  if (markup && "keyboard" in markup) {
    for (const row of markup.keyboard as ({ text?: string } | string)[][]) {
      for (const b of row) {
        const label = typeof b === "string" ? b : b.text;
        if (!label?.trim()) problems.push(`${where}: a keyboard button without a label`);
      }
    }
  }
  return problems;
}
