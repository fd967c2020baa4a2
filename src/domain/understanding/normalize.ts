// How CareBot reads the letters of a patient's message, before any meaning: case, ё, spaces,
// punctuation, emoji. Every place that compares what a patient typed uses these.

/**
 * The text normalized last: one message is compared several times in a step (the router's
 * buttons and keywords, then the runtime's buttons again), each time with the same text.
 */
let last = { text: "", words: "" };

/** Lowercased, trimmed, without surrounding punctuation: how whole messages are compared ("Меню!" = "меню"). */
export function normalizeWords(text: string): string {
  if (text === last.text) return last.words;
  const words = text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "")
    .replace(/\s+/g, " ");
  last = { text, words };
  return words;
}

/** One piece of a message: a word, a number or an emoji, with the clause it belongs to. */
export interface Token {
  kind: "word" | "number" | "emoji";
  /** Lowercased, ё → е; apostrophes kept ("can't"). */
  text: string;
  /** Clauses are split by . , ! ? ; : and dashes: a negation does not reach over them. */
  clause: number;
}

const PIECE = /(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*)|(\d+(?:[.,]\d+)?)|([\p{L}]+(?:['’-][\p{L}]+)*)|([.,!?;:…—–()]|\s-\s)/gu;

/** Splits a message into tokens; punctuation only moves the clause counter. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  // «болииит», «ооочень»: a letter held down says the same word louder.
  const lower = text.toLowerCase().replace(/ё/g, "е").replace(/’/g, "'").replace(/(\p{L})\1{2,}/gu, "$1");
  for (const m of lower.matchAll(PIECE)) {
    if (m[1]) tokens.push({ kind: "emoji", text: m[1].replace(/\uFE0F/g, ""), clause });
    else if (m[2]) tokens.push({ kind: "number", text: m[2].replace(",", "."), clause });
    else if (m[3]) tokens.push({ kind: "word", text: m[3], clause });
    else if (tokens.length > 0 && tokens.at(-1)!.clause === clause) clause++;
  }
  return tokens;
}
