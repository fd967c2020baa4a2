// OutboundMessage → MAX messages: plain text (no format is set, so "*" or "<" in a clinic's text
// stays as written), buttons as an inline keyboard on the last part, long texts split.
import type { Button } from "@maxhub/max-bot-api/types";
import { encodeCallbackData } from "../telegram/callback-data.ts";
import { layoutRows, withLinkLines } from "../telegram/render.ts";
import type { OutboundMessage } from "../types.ts";

/** MAX refuses message texts longer than this. */
export const MAX_TEXT_LENGTH = 4000;

export interface MaxKeyboard {
  type: "inline_keyboard";
  payload: { buttons: Button[][] };
}

export interface MaxRenderedPart {
  text: string;
  attachments?: MaxKeyboard[];
}

/** Throws when an option value cannot become a button payload (the flow validator forbids such values). */
export function renderMaxMessage(message: OutboundMessage, contactButtonLabel: string): MaxRenderedPart[] {
  // Next to a contact button (a reply keyboard) links go as lines of the text.
  const parts = splitText(message.requestContact ? withLinkLines(message) : message.text, MAX_TEXT_LENGTH);
  const rows = layoutRows(message.options ?? []);
  const buttons: Button[][] = rows.map((row) =>
    // Next to a contact button, options are "message" buttons: a press sends the label as the
    // patient's text, which the runtime maps back to the option, as it does for Telegram.
    row.map((o): Button => (message.requestContact ? { type: "message", text: o.label } : { type: "callback", text: o.label, payload: encodeCallbackData(o.value) })),
  );
  if (message.requestContact) buttons.unshift([{ type: "request_contact", text: contactButtonLabel }]);
  else buttons.unshift(...(message.links ?? []).map((l): Button[] => [{ type: "link", text: l.label, url: l.url }]));
  if (buttons.length === 0) return parts.map((text) => ({ text }));
  const last = parts.length - 1;
  return parts.map((text, i) => (i === last ? { text, attachments: [{ type: "inline_keyboard", payload: { buttons } }] } : { text }));
}

/** Splits at paragraph, line or word breaks so each part fits; never inside a word when avoidable. */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > limit) {
    const window = [...rest].slice(0, limit).join("");
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" "));
    const at = cut > limit / 2 ? cut : window.length;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}
