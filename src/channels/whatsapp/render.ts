// OutboundMessage → the text WhatsApp sends. WhatsApp Web no longer delivers buttons or lists
// (whatsapp-web.js marks them deprecated), so options become a menu in the text itself.
//
// Formatting: the text is sent as it is. WhatsApp has no escape syntax for *bold*, _italic_ or
// ~strike~; the only ways to neutralize them (zero-width or look-alike characters) would corrupt
// links, codes and numbers a patient copies. The markers only format when they wrap a word
// ("*Анна*"), which names and numbers practically never do, and clinic templates may use them on
// purpose. A template that must show a literal "*word*" should avoid the pair.
import type { OutboundMessage, OutboundOption } from "../types.ts";
import { withLinkLines } from "../telegram/render.ts";

export interface RenderTexts {
  /** The line under a menu ("Ответьте цифрой"), already in the message's language; none when absent. */
  hint?: string;
  /** The sentence that asks for the phone number (WhatsApp has no share-contact button). */
  contactRequest?: string;
}

/**
 * The message text, then the menu, its hint and the contact request, each as its own paragraph.
 * Text options are numbered from 1 ("2" picks the second; the runtime maps it back). When any option
 * has a number for its value (an NPS scale), the runtime reads a typed number as that value, so
 * those options show their value instead of a position.
 */
export function renderMessage(message: OutboundMessage, texts: RenderTexts = {}): string {
  // WhatsApp has no link buttons: each link is a line of the text.
  const parts = [withLinkLines(message).trim()];
  const options = message.options ?? [];
  if (options.length > 0) {
    parts.push(renderMenu(options));
    if (texts.hint) parts.push(texts.hint);
  }
  if (message.requestContact && texts.contactRequest) parts.push(texts.contactRequest);
  return parts.filter((part) => part.length > 0).join("\n\n");
}

/** "1. Да\n2. Нет"; a scale whose labels are its values fits one line: "0 · 1 · 2 … 10". */
export function renderMenu(options: readonly OutboundOption[]): string {
  const numbered = options.every((o) => typeof o.value !== "number");
  const lines = options.map((option, index) => {
    const key = numbered ? String(index + 1) : typeof option.value === "number" ? String(option.value) : undefined;
    const label = option.label.trim();
    return { key, label, line: key === undefined ? `• ${label}` : label === key ? key : `${key}. ${label}` };
  });
  if (lines.every((l) => l.key !== undefined && l.label === l.key)) return lines.map((l) => l.line).join(" · ");
  return lines.map((l) => l.line).join("\n");
}
