// What a message says, before deciding what it means: which phrases it holds, and which of
// them are negated («больше не болит», «без температуры», «боли нет»).
import type { CompiledPhrase, Lexicon, ModifierList, PhraseList } from "./lexicon.ts";
import { tokenize } from "./normalize.ts";
import type { Token } from "./normalize.ts";
import { oneEditApart, wordKey } from "./stem.ts";
import { BoundedMap } from "../../util/bounded-map.ts";

export interface Found {
  list: PhraseList;
  phrase: string;
  start: number;
  end: number;
  negated: boolean;
  /** Said softly («немного ноет»). */
  mild: boolean;
}

export interface Signals {
  tokens: (Token & { key: string })[];
  found: Found[];
  /** The numbers written in digits or words, in order. */
  numbers: number[];
  /** A temperature at or above the lexicon's fever line («температура 39»). */
  highFever: boolean;
  question: boolean;
  /** A «но», «а», «только»: what follows is what the patient means. */
  contrast: boolean;
}

/** Wishes a patient may refuse («не хочу записываться», «записываться не хочу»). */
const WISHES = new Set<Found["list"]>(["booking", "waitlist", "person", "balance", "visits", "referral", "consents", "gift"]);
/** How far a negation reaches, in words: «не» … «болит». */
const NEGATION_REACH = 3;
/** Below this (°C) a temperature the patient reports is normal. */
const NORMAL_TEMPERATURE_BELOW = 37.1;
/** Words a phrase may skip between its own words («сильно так болит»). */
const PHRASE_GAP = 1;

/** Keys at least this long forgive one more typo; shorter ones differ by meaning («терпимо» is not «терпение»). */
const FUZZY_FROM = 7;

function keyMatches(token: string, key: string, fuzzy: boolean): boolean {
  if (token === key) return true;
  // A typo in a long word still reads («темпиратура»); short words must match exactly («больше» is not «больно»).
  return fuzzy && key.length >= FUZZY_FROM && token.length >= FUZZY_FROM && oneEditApart(token, key);
}

function matchAt(tokens: Signals["tokens"], phrase: CompiledPhrase, start: number, locked: boolean[]): number | null {
  let at = start;
  for (let w = 0; w < phrase.keys.length; w++) {
    let hit = -1;
    for (let j = at; j < tokens.length && j <= at + (w === 0 ? 0 : PHRASE_GAP); j++) {
      if (locked[j] || tokens[j]!.clause !== tokens[start]!.clause) break;
      // Words that cancel a complaint must be exactly those words («переставая» is not «перестала»).
      if (keyMatches(tokens[j]!.key, phrase.keys[w]!, phrase.list !== "negatedAfter")) {
        hit = j;
        break;
      }
    }
    if (hit < 0) return null;
    at = hit + 1;
  }
  return at - 1;
}

const typoCache = new WeakMap<Lexicon, BoundedMap<string, { phrase: CompiledPhrase; rank: number }[]>>();

/** Phrases whose first word is one typo away from this key (long words only), remembered per lexicon. */
function typoCandidates(lexicon: Lexicon, key: string): { phrase: CompiledPhrase; rank: number }[] {
  if (key.length < FUZZY_FROM) return [];
  let cache = typoCache.get(lexicon);
  if (!cache) typoCache.set(lexicon, (cache = new BoundedMap(20_000)));
  let found = cache.touch(key);
  if (!found) {
    found = [];
    for (const [first, list] of lexicon.byFirstKey) {
      if (first.length >= FUZZY_FROM && first !== key && Math.abs(first.length - key.length) <= 1 && oneEditApart(key, first)) found.push(...list);
    }
    cache.set(key, found);
  }
  return found;
}

export function readSignals(text: string, lexicon: Lexicon): Signals {
  const tokens = tokenize(text).map((t) => ({ ...t, key: t.kind === "word" ? wordKey(t.text) : t.text }));
  const roles = (i: number): Set<ModifierList> => lexicon.modifiers.get(tokens[i]!.key) ?? new Set();
  // «но», «а»: a new clause for negation's sake.
  let shift = 0;
  let contrast = false;
  for (let i = 0; i < tokens.length; i++) {
    if (roles(i).has("clauseBreaks")) contrast = true;
    if (i > 0 && roles(i).has("clauseBreaks")) shift++;
    tokens[i]!.clause += shift;
  }

  // Longest phrases first; a phrase of several words keeps its words to itself. Only phrases
  // whose first word is in the message (or a typo of a long one) are tried.
  const locked = tokens.map(() => false);
  const found: Found[] = [];
  const candidates = new Map<number, CompiledPhrase>();
  const keys = new Set(tokens.map((t) => t.key));
  for (const key of keys) for (const { phrase, rank } of lexicon.byFirstKey.get(key) ?? []) candidates.set(rank, phrase);
  for (const key of keys) for (const { phrase, rank } of typoCandidates(lexicon, key)) candidates.set(rank, phrase);
  for (const phrase of [...candidates.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p)) {
    for (let i = 0; i < tokens.length; i++) {
      const end = matchAt(tokens, phrase, i, locked);
      if (end === null) continue;
      if (phrase.keys.length > 1) for (let j = i; j <= end; j++) locked[j] = true;
      else if (found.some((f) => f.start === i && f.end === i && f.list === phrase.list)) continue;
      found.push({ list: phrase.list, phrase: phrase.text, start: i, end, negated: false, mild: false });
    }
  }

  // «отёк спал» cancels the swelling; «не переставая» cancels nothing.
  const negatedAfterAt = (i: number) => found.some((f) => f.list === "negatedAfter" && f.start === i) && !(i > 0 && roles(i - 1).has("negators") && !locked[i - 1]);
  /** What can pass or be absent: a symptom, a red flag, a complaint about the service («очереди нет»). */
  const CAN_PASS = new Set<Found["list"]>(["symptoms", "redFlags", "persistence", "dissatisfied"]);
  for (const f of found) {
    if (f.list === "negatedAfter") continue;
    const clause = tokens[f.start]!.clause;
    // Before: «не болит», «без температуры», «больше не опухает»; «не так сильно болит» still hurts.
    for (let j = f.start - 1; j >= 0 && j >= f.start - NEGATION_REACH && tokens[j]!.clause === clause; j--) {
      const r = roles(j);
      if (r.has("scopeStops") || (locked[j] && !found.some((g) => g.list === "negatedAfter" && g.start <= j && g.end >= j))) break;
      if (r.has("negators") && !locked[j]) {
        f.negated = true;
        break;
      }
      if (r.has("mild")) f.mild = true;
    }
    // After: «боли нет», «отёк спал», «температура в норме».
    if (!f.negated && CAN_PASS.has(f.list)) {
      for (let j = f.end + 1; j < tokens.length && j <= f.end + NEGATION_REACH && tokens[j]!.clause === clause; j++) {
        if (negatedAfterAt(j)) {
          f.negated = true;
          break;
        }
      }
    }
    // A wish refused after it is said: «записываться не хочу», «баллы не нужны… не надо».
    if (!f.negated && WISHES.has(f.list)) {
      for (let j = f.end + 1; j + 1 < tokens.length && j <= f.end + NEGATION_REACH && tokens[j + 1]!.clause === clause; j++) {
        if (roles(j).has("negators") && roles(j + 1).has("wants")) {
          f.negated = true;
          break;
        }
      }
    }
    for (let j = Math.max(0, f.start - 2); j <= Math.min(tokens.length - 1, f.end + 2); j++) {
      if (tokens[j]!.clause === clause && roles(j).has("mild")) f.mild = true;
    }
  }

  // «Температура 36.6» is a normal one.
  for (const f of found) {
    if (f.negated || f.list !== "symptoms" || !roles(f.start).has("fever")) continue;
    const near = tokens.filter((t, j) => t.kind === "number" && Math.abs(j - f.start) <= 3 && t.clause === tokens[f.start]!.clause);
    if (near.length > 0 && near.every((t) => Number(t.text) >= 35 && Number(t.text) < NORMAL_TEMPERATURE_BELOW)) f.negated = true;
  }

  const numbers: number[] = [];
  for (const t of tokens) {
    if (t.kind === "number") numbers.push(Number(t.text));
    else if (t.kind === "word" && lexicon.numbers.has(t.key)) numbers.push(lexicon.numbers.get(t.key)!);
  }
  const highFever = tokens.some(
    (t, i) =>
      t.kind === "number" &&
      Number(t.text) >= lexicon.feverFrom &&
      Number(t.text) < 43 &&
      tokens.some((u, j) => Math.abs(i - j) <= 3 && u.clause === t.clause && roles(j).has("fever")),
  );
  // «Как…», and after a «а», a thank-you or a greeting, punctuated or not: «спасибо, а когда можно подъехать», «здравствуйте как долго заживает».
  const afterPoliteness = (i: number) => found.some((f) => (f.list === "thanks" || f.list === "greeting") && f.end === i - 1);
  // («Спасибо, что напомнили»: «что» after a thank-you joins, it does not ask.)
  const joins = (i: number) => tokens[i]!.text === "что" && afterPoliteness(i);
  const opensClause = (i: number) => i === 0 || ((tokens[i]!.clause !== tokens[i - 1]!.clause || roles(i - 1).has("clauseBreaks") || afterPoliteness(i)) && !joins(i));
  const question = /\?/.test(text) || tokens.some((t, i) => t.kind === "word" && opensClause(i) && roles(i).has("questionWords"));
  return { tokens, found, numbers, highFever, question, contrast };
}
