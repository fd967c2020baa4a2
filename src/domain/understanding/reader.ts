// The word lists in force (CareBot's, plus the clinic's additions) and reading with them.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { compileLexicon, shippedWords, wordListSchema } from "./lexicon.ts";
import type { Lexicon, WordList } from "./lexicon.ts";
import type { Language } from "./stem.ts";
import { LANGS } from "../../i18n/lang.ts";
import { readSignals } from "./read-signals.ts";
import type { Signals } from "./read-signals.ts";
import { understandSignals } from "./understand.ts";
import type { Expectation, Reading } from "./understand.ts";

export const LANGUAGES: readonly Language[] = LANGS;

/** A problem in a clinic's word list file, in the words `carebot flows validate` prints. */
export interface WordListProblem {
  file: string;
  path?: string;
  message: string;
}

export class Reader {
  readonly #lexicons: Map<Language, Lexicon>;

  constructor(additions: Partial<Record<Language, WordList>> = {}) {
    this.#lexicons = new Map(LANGUAGES.map((l) => [l, compileLexicon(l, [shippedWords(l), ...(additions[l] ? [additions[l]!] : [])])]));
  }

  /**
   * The signals of the text read last: one message is read for several expectations (the
   * router's «free», the question's own), and its words, stems and phrases are the same for each.
   */
  #last: { text: string; lexicon: Lexicon; signals: Signals } | null = null;

  /** What the patient means, in the language of the conversation. */
  read(text: string, language: Language, expecting: Expectation): Reading {
    const lexicon = this.#lexicons.get(language)!;
    const last = this.#last;
    const signals = last !== null && last.text === text && last.lexicon === lexicon ? last.signals : readSignals(text, lexicon);
    this.#last = { text, lexicon, signals };
    return understandSignals(signals, text, lexicon, expecting);
  }
}

/**
 * The clinic's additions: `<dir>/ru.json`, `<dir>/en.json` (each optional, same shape as the
 * shipped lists). Bad JSON or an unknown list is a problem naming the file and the field.
 */
export function loadWordAdditions(dir: string, rel: (file: string) => string = (f) => f): { additions: Partial<Record<Language, WordList>>; problems: WordListProblem[] } {
  const additions: Partial<Record<Language, WordList>> = {};
  const problems: WordListProblem[] = [];
  for (const language of LANGUAGES) {
    const file = path.join(dir, `${language}.json`);
    if (!existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      problems.push({ file: rel(file), message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = wordListSchema.safeParse(raw);
    if (!parsed.success) {
      const lists = Object.keys(wordListSchema.shape).filter((k) => k !== "$comment");
      for (const issue of parsed.error.issues) {
        const at = issue.path.join(".");
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys) problems.push({ file: rel(file), path: key, message: `no list "${key}" (lists: ${lists.join(", ")})` });
        } else problems.push({ file: rel(file), ...(at ? { path: at } : {}), message: issue.message });
      }
      continue;
    }
    additions[language] = parsed.data;
  }
  return { additions, problems };
}

/** The reader over CareBot's own lists only. */
let plain: Reader | undefined;
export function defaultReader(): Reader {
  return (plain ??= new Reader());
}
