// Text from an update made safe to store: Telegram sends valid UTF-8, but a webhook accepts any
// JSON, and PostgreSQL refuses what JSON can spell and UTF-8 cannot (a lone surrogate "\ud800",
// the NUL character). Left in, such a text fails every write of the update: it would never be
// handled. Lone surrogates become U+FFFD (what any UTF-8 encoder writes), NULs are dropped.

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(/\u0000/g, "");
}

/** cleanText for a value that should be a string; anything else is absent. */
export function cleanString(value: unknown): string | undefined {
  return typeof value === "string" ? cleanText(value) : undefined;
}
