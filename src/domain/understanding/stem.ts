// Word forms → one key: the Snowball stemmer takes off endings («болит», «болят» → «бол»), and
// the key forgives the misspellings patients make most («балит», «апухла», «зуп»).
import snowball from "snowball-stemmers";
import { BoundedMap } from "../../util/bounded-map.ts";
import type { Lang } from "../../i18n/lang.ts";

/** The languages patients are read in: CareBot's. */
export type Language = Lang;

/** The languages patients are read in (the template locales). */
const stemmers = {
  ru: snowball.newStemmer("russian"),
  en: snowball.newStemmer("english"),
};

// Unstressed vowels are written as heard (о/а, е/и/я), and a final consonant is devoiced (зуб → «зуп»).
const RU_VOWELS: Record<string, string> = { о: "а", я: "и", е: "и", э: "и", ь: "", ъ: "" };
const RU_DEVOICED: Record<string, string> = { б: "п", д: "т", г: "к", з: "с", в: "ф", ж: "ш" };

/** Patients use few words, over and over: a stem is worked out once (Snowball costs ~20 µs a word). */
const MAX_CACHED_KEYS = 20_000;
const keys = new BoundedMap<string, string>(MAX_CACHED_KEYS);

/** The key a word is matched by: its stem, spelt as it sounds. */
export function wordKey(word: string): string {
  let key = keys.touch(word);
  if (key === undefined) {
    key = computeKey(word);
    keys.set(word, key);
  }
  return key;
}

function computeKey(word: string): string {
  // The script decides the stemmer: a Russian patient may write «ok», an English one «спасибо».
  if (!/[а-я]/.test(word)) return stemmers.en.stem(word.replace(/'/g, ""));
  const stem = stemmers.ru.stem(word);
  let key = "";
  for (const ch of stem) key += RU_VOWELS[ch] ?? ch;
  const last = key.at(-1) ?? "";
  return RU_DEVOICED[last] ? key.slice(0, -1) + RU_DEVOICED[last] : key;
}

/** Damerau–Levenshtein distance of at most 1 (one letter missing, extra, wrong or two swapped). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const restA = a.slice(i);
  const restB = b.slice(i);
  if (restA.slice(1) === restB.slice(1)) return true; // substitution
  if (restA.slice(1) === restB || restA === restB.slice(1)) return true; // deletion / insertion
  return restA.length >= 2 && restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2); // swap
}
