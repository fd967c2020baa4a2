// OutboundMessage → Bot API sendMessage parameters. Plain text only: no parse_mode is ever set,
// so a patient's name or a clinic's text with "*", "_" or "<" can neither break nor restyle it.
import type { OutboundMessage, OutboundOption } from "../types.ts";
import { encodeCallbackData } from "./callback-data.ts";

// Narrow shapes of exactly what CareBot sends; they fit both grammY's and Telegraf's typings.
export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };
export interface ReplyButton {
  text: string;
  request_contact?: true;
}
export type TelegramReplyMarkup =
  | { inline_keyboard: InlineButton[][] }
  | { keyboard: ReplyButton[][]; one_time_keyboard: true; resize_keyboard: true }
  | { remove_keyboard: true };

export interface RenderedMessage {
  text: string;
  reply_markup?: TelegramReplyMarkup;
}

export interface RenderOptions {
  /** Label of the share-phone button, already localized. */
  contactButtonLabel: string;
  /** A reply keyboard is still showing in this chat: hide it when nothing replaces it. */
  removeKeyboard?: boolean;
}

/** Throws when an option value cannot become callback data (the flow validator forbids such values). */
export function renderMessage(message: OutboundMessage, options: RenderOptions): RenderedMessage {
  const choices = message.options ?? [];
  if (message.requestContact) {
    // One markup per message: options ride along as text buttons under the contact button;
    // pressing one sends its label as text, which the runtime maps back to the option.
    // A reply keyboard cannot hold links: they go as lines of the text.
    const text = withLinkLines(message);
    const keyboard: ReplyButton[][] = [
      [{ text: options.contactButtonLabel, request_contact: true }],
      ...layoutRows(choices).map((row) => row.map((o) => ({ text: o.label }))),
    ];
    return { text, reply_markup: { keyboard, one_time_keyboard: true, resize_keyboard: true } };
  }
  const links = (message.links ?? []).map((l): InlineButton[] => [{ text: l.label, url: l.url }]);
  if (choices.length > 0 || links.length > 0) {
    const inline: InlineButton[][] = [...links, ...layoutRows(choices).map((row) => row.map((o) => ({ text: o.label, callback_data: encodeCallbackData(o.value) })))];
    return { text: message.text, reply_markup: { inline_keyboard: inline } };
  }
  if (options.removeKeyboard) return { text: message.text, reply_markup: { remove_keyboard: true } };
  return { text: message.text };
}

const LONG_LABEL = 20; // characters: above this a label needs a row of its own to stay readable
const TINY_LABEL = 3; // "0".."10", "👍": a scale fits 6 to a row (NPS 0–10 → 6 + 5)

/** Rows of buttons: long labels one per row, short ones up to 3, tiny ones up to 6, rows balanced. */
export function layoutRows<T extends OutboundOption>(options: readonly T[]): T[][] {
  if (options.length === 0) return [];
  const longest = Math.max(...options.map((o) => [...o.label].length)); // code points: emoji count once
  const perRow = longest > LONG_LABEL ? 1 : longest <= TINY_LABEL ? 6 : 3;
  // Balanced rather than greedy: 4 short labels → 2 + 2 and 7 → 3 + 2 + 2, never a lonely last button.
  const rowCount = Math.ceil(options.length / perRow);
  const base = Math.floor(options.length / rowCount);
  const rows: T[][] = [];
  let start = 0;
  for (let row = 0; row < rowCount; row++) {
    const size = base + (row < options.length % rowCount ? 1 : 0);
    rows.push(options.slice(start, start + size));
    start += size;
  }
  return rows;
}

/** The text with each link as a line of its own ("Яндекс Карты: https://…"), for where no link button fits. */
export function withLinkLines(message: Pick<OutboundMessage, "text" | "links">): string {
  const links = message.links ?? [];
  if (links.length === 0) return message.text;
  return [message.text.trim(), links.map((l) => `${l.label}: ${l.url}`).join("\n")].join("\n\n");
}
