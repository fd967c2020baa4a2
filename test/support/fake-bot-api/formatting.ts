// What Telegram rejects in message content: parse_mode markup (HTML, MarkdownV2, Markdown)
// and reply_markup. Catching these in tests matters because real Telegram answers 400 and the
// message is simply not delivered (an unescaped "." in MarkdownV2 is the classic).
import type { ReplyMarkup } from "./state.ts";
import { isObject } from "./state.ts";

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

const entityError = (what: string): ApiError => badRequest(`can't parse entities: ${what}`);

const byteOffset = (text: string, index: number): number => Buffer.byteLength(text.slice(0, index));

/** Returns the plain text the user would see, or throws the 400 Telegram would send. */
export function renderText(text: string, parseMode: string | undefined): string {
  if (parseMode === undefined || parseMode === "") return text;
  switch (parseMode.toLowerCase()) {
    case "html":
      return renderHtml(text);
    case "markdownv2":
      return renderMarkdownV2(text);
    case "markdown":
      return renderMarkdown(text);
    default:
      throw badRequest("unsupported parse_mode");
  }
}

const HTML_TAGS = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
  "tg-emoji", "code", "pre", "blockquote", "tg-time",
]);
const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function renderHtml(text: string): string {
  const open: string[] = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === "&") {
      const m = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(text.slice(i));
      const name = m?.[1];
      if (m && name !== undefined) {
        const decoded = name.startsWith("#x") || name.startsWith("#X")
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith("#") ? String.fromCodePoint(parseInt(name.slice(1), 10)) : HTML_ENTITIES[name.toLowerCase()];
        if (decoded !== undefined) {
          out += decoded;
          i += m[0].length;
          continue;
        }
      }
      out += ch; // unknown entities are left as they are, like Telegram does
      i++;
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i++;
      continue;
    }
    const end = text.indexOf(">", i);
    if (end < 0) throw entityError(`Unclosed start tag at byte offset ${byteOffset(text, i)}`);
    const tag = text.slice(i + 1, end);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim().toLowerCase();
      const expected = open.pop();
      if (expected === undefined) throw entityError(`Unexpected end tag at byte offset ${byteOffset(text, i)}`);
      if (name !== expected) {
        throw entityError(`Unmatched end tag at byte offset ${byteOffset(text, i)}, expected "</${expected}>", found "</${name}>"`);
      }
    } else {
      const name = (/^[^\s/>]*/.exec(tag)?.[0] ?? "").toLowerCase();
      if (!HTML_TAGS.has(name)) throw entityError(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, i)}`);
      if (name === "span" && !/class\s*=\s*["']?tg-spoiler/.test(tag)) {
        throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(text, i)}`);
      }
      open.push(name);
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) throw entityError(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return out;
}

const MDV2_RESERVED = new Set("_*[]()~`>#+-=|{}.!\\");
const MDV2_NAMES: Record<string, string> = {
  "*": "Bold", _: "Italic", __: "Underline", "~": "Strikethrough", "||": "Spoiler", "`": "Code", "```": "Pre", "[": "TextUrl",
};

function renderMarkdownV2(text: string): string {
  const open: { mark: string; at: number }[] = [];
  let out = "";
  let i = 0;
  const top = (): string | undefined => open[open.length - 1]?.mark;
  const toggle = (mark: string): void => {
    const idx = open.findIndex((o) => o.mark === mark);
    if (idx >= 0) open.splice(idx, 1);
    else open.push({ mark, at: i });
  };
  while (i < text.length) {
    const ch = text[i] ?? "";
    const inCode = top() === "`" || top() === "```";
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === undefined) throw entityError(`Unexpected end of text at byte offset ${byteOffset(text, i)}`);
      out += next;
      i += 2;
      continue;
    }
    if (inCode) {
      if (text.startsWith(top() ?? "", i)) {
        i += (top() ?? "").length;
        open.pop();
      } else {
        out += ch;
        i++;
      }
      continue;
    }
    if (text.startsWith("```", i)) {
      open.push({ mark: "```", at: i });
      const nl = text.indexOf("\n", i + 3);
      const lang = nl >= 0 ? text.slice(i + 3, nl) : "";
      i += 3 + (/^[\w+-]*$/.test(lang) && nl >= 0 ? lang.length + 1 : 0);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "__" || two === "||") {
      toggle(two);
      i += 2;
      continue;
    }
    if (ch === "*" || ch === "_" || ch === "~" || ch === "`") {
      toggle(ch);
      i++;
      continue;
    }
    if (ch === "[") {
      open.push({ mark: "[", at: i });
      i++;
      continue;
    }
    if (ch === "]" && top() === "[") {
      open.pop();
      if (text[i + 1] !== "(") throw entityError(`Character ']' is reserved and must be escaped with the preceding '\\'`);
      const close = findUnescaped(text, ")", i + 2);
      if (close < 0) throw entityError(`Can't find end of a URL at byte offset ${byteOffset(text, i + 1)}`);
      i = close + 1;
      continue;
    }
    if (ch === ">" && (i === 0 || text[i - 1] === "\n")) {
      i++; // blockquote marker at line start
      continue;
    }
    if (MDV2_RESERVED.has(ch)) throw entityError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    out += ch;
    i++;
  }
  const unclosed = open.pop();
  if (unclosed) throw entityError(`Can't find end of ${MDV2_NAMES[unclosed.mark] ?? "the"} entity at byte offset ${byteOffset(text, unclosed.at)}`);
  return out;
}

function findUnescaped(text: string, ch: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === ch) return i;
  }
  return -1;
}

/** Legacy Markdown: only *bold*, _italic_, `code`, ```pre```, [text](url); "\" escapes those marks. */
function renderMarkdown(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === "\\" && "_*`[".includes(text[i + 1] ?? " ")) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    const mark = text.startsWith("```", i) ? "```" : "*_`".includes(ch) ? ch : ch === "[" ? "]" : undefined;
    if (mark === undefined) {
      out += ch;
      i++;
      continue;
    }
    const start = i + (mark === "]" ? 1 : mark.length);
    const end = text.indexOf(mark, start);
    if (end < 0) throw entityError(`Can't find end of the entity starting at byte offset ${byteOffset(text, i)}`);
    out += text.slice(start, end);
    i = end + mark.length;
    if (mark === "]" && text[i] === "(") {
      const close = text.indexOf(")", i);
      i = close < 0 ? text.length : close + 1;
    }
  }
  return out;
}

/** Accepts reply_markup as object or JSON string and rejects what Telegram rejects. */
export function parseReplyMarkup(value: unknown): ReplyMarkup | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let markup: unknown = value;
  if (typeof value === "string") {
    try {
      markup = JSON.parse(value);
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in markup) {
    for (const button of rows(markup.inline_keyboard, "inline_keyboard")) checkInlineButton(button);
  } else if ("keyboard" in markup) {
    for (const button of rows(markup.keyboard, "keyboard")) {
      if (typeof button !== "string" && !(isObject(button) && typeof button.text === "string")) {
        throw badRequest("can't parse keyboard button: KeyboardButton must be a String or an Object");
      }
    }
  } else if (markup.remove_keyboard !== true && markup.force_reply !== true) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  return markup as unknown as ReplyMarkup;
}

function rows(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    throw badRequest(`field "${field}" of the ${field === "keyboard" ? "ReplyKeyboardMarkup" : "InlineKeyboardMarkup"} must be an Array of Arrays`);
  }
  return (value as unknown[][]).flat();
}

const INLINE_ACTIONS = [
  "callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
];

function checkInlineButton(button: unknown): void {
  if (!isObject(button) || typeof button.text !== "string") {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  if (!INLINE_ACTIONS.some((k) => k in button)) throw badRequest("text buttons are unallowed in the inline keyboard");
  const data = button.callback_data;
  if (data !== undefined && (typeof data !== "string" || data === "" || Buffer.byteLength(data) > 64)) {
    throw badRequest("BUTTON_DATA_INVALID");
  }
  if (button.url !== undefined) {
    const url = String(button.url);
    if (!/^(https?|tg):\/\/[^\s]+$/i.test(url)) throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
  }
}

/** Telegram only echoes inline keyboards back in Message objects. */
export function echoedMarkup(markup: ReplyMarkup | undefined): ReplyMarkup | undefined {
  return markup && "inline_keyboard" in markup && markup.inline_keyboard.length > 0 ? markup : undefined;
}
