// The word lists understanding reads by: data (words/<locale>.json, and a clinic's additions),
// compiled once into word keys.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { tokenize } from "./normalize.ts";
import { wordKey } from "./stem.ts";
import type { Language } from "./stem.ts";

const phrases = z.array(z.string().trim().min(1, "must not be empty"), { error: "must be a list of words or phrases" });
const NUMBER_KEYS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] as const;

/** Categories of phrases, in the order a tie between two equally long phrases is settled. */
export const PHRASE_LISTS = [
  "redFlags",
  "persistence",
  "negatedAfter",
  "symptoms",
  "vague",
  "fine",
  "dissatisfied",
  "stop",
  /** Calling a visit off («отмените», «не смогу»), read where the patient is asked if they will come. */
  "cancel",
  /** Neither yes nor no («наверное», «не знаю», «постараюсь»): asked again, never taken as an answer. */
  "hedge",
  "person",
  "waitlist",
  /** A promo code the patient has («у меня промокод»). */
  "promo",
  "booking",
  /** What the main menu offers, asked for in a sentence («сколько у меня баллов?»). */
  "balance",
  "visits",
  "referral",
  "consents",
  /** Giving a gift certificate («хочу подарить сертификат маме»). */
  "gift",
  "timeWish",
  "thanks",
  "greeting",
  /** Phrases that mean nothing here but must not be misread word by word («в прошлый раз»). */
  "neutral",
] as const;
export type PhraseList = (typeof PHRASE_LISTS)[number];

/** Single words that change the words around them rather than mean something themselves. */
export const MODIFIER_LISTS = ["negators", "wants", "scopeStops", "clauseBreaks", "mild", "yes", "no", "questionWords", "scoreFillers", "fever"] as const;
export type ModifierList = (typeof MODIFIER_LISTS)[number];

const listShape = Object.fromEntries([...PHRASE_LISTS, ...MODIFIER_LISTS].map((name) => [name, phrases.optional()])) as Record<
  PhraseList | ModifierList,
  z.ZodOptional<typeof phrases>
>;

/** A word list file: every list optional, so a clinic's file holds only what it adds. */
export const wordListSchema = z
  .object({
    $comment: z.string().optional(),
    ...listShape,
    feverFrom: z.number({ error: "must be a temperature in °C, such as 38.5" }).min(35).max(43).optional(),
    numbers: z.partialRecord(z.enum(NUMBER_KEYS), phrases, { error: 'must map "0"…"10" to lists of words' }).optional(),
  })
  .strict();
export type WordList = z.infer<typeof wordListSchema>;

/** A phrase as keys, one per word (emoji stay as they are). */
export interface CompiledPhrase {
  list: PhraseList;
  text: string;
  keys: string[];
}

export interface Lexicon {
  language: Language;
  /** Longest first, then in PHRASE_LISTS order: the order phrases claim words in. */
  phrases: CompiledPhrase[];
  /** Phrases by their first word's key, with their place in `phrases`, so a message is matched against its own words only. */
  byFirstKey: Map<string, { phrase: CompiledPhrase; rank: number }[]>;
  /** Word key → the modifier lists it is in. */
  modifiers: Map<string, Set<ModifierList>>;
  /** Yes and no phrases in full ("всё хорошо" answers the confirming question with no). */
  answers: { yes: string[][]; no: string[][] };
  /** Word key → the score it names ("девятку" → 9). */
  numbers: Map<string, number>;
  feverFrom: number;
}

export function keysOf(text: string): string[] {
  return tokenize(text).map((t) => (t.kind === "word" ? wordKey(t.text) : t.text));
}

/** The shipped lists of a language, plus any additions, compiled. */
export function compileLexicon(language: Language, lists: WordList[]): Lexicon {
  const lexicon: Lexicon = { language, phrases: [], byFirstKey: new Map(), modifiers: new Map(), answers: { yes: [], no: [] }, numbers: new Map(), feverFrom: 38.5 };
  for (const list of lists) {
    for (const name of PHRASE_LISTS) {
      for (const text of list[name] ?? []) {
        const keys = keysOf(text);
        if (keys.length > 0) lexicon.phrases.push({ list: name, text, keys });
      }
    }
    for (const name of MODIFIER_LISTS) {
      for (const text of list[name] ?? []) {
        const keys = keysOf(text);
        if (name === "yes" || name === "no") lexicon.answers[name].push(keys);
        if (keys.length !== 1) continue;
        const roles = lexicon.modifiers.get(keys[0]!) ?? new Set<ModifierList>();
        roles.add(name);
        lexicon.modifiers.set(keys[0]!, roles);
      }
    }
    for (const [value, words] of Object.entries(list.numbers ?? {})) {
      for (const word of words ?? []) for (const key of keysOf(word)) lexicon.numbers.set(key, Number(value));
    }
    if (list.feverFrom !== undefined) lexicon.feverFrom = list.feverFrom;
  }
  // Longer phrases first: «не могу дышать» is read before «не».
  lexicon.phrases.sort((a, b) => b.keys.length - a.keys.length || PHRASE_LISTS.indexOf(a.list) - PHRASE_LISTS.indexOf(b.list));
  lexicon.phrases.forEach((phrase, rank) => {
    const list = lexicon.byFirstKey.get(phrase.keys[0]!) ?? [];
    list.push({ phrase, rank });
    lexicon.byFirstKey.set(phrase.keys[0]!, list);
  });
  return lexicon;
}

const shipped = new Map<Language, WordList>();

/** CareBot's own lists for a language (src/domain/understanding/words/<language>.json). */
export function shippedWords(language: Language): WordList {
  let list = shipped.get(language);
  if (!list) {
    const raw = JSON.parse(readFileSync(new URL(`./words/${language}.json`, import.meta.url), "utf8"));
    list = wordListSchema.parse(raw);
    shipped.set(language, list);
  }
  return list;
}
