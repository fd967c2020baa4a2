// People's names as clinics record them: which word of a full name is the given name, and
// whether a person is a man or a woman (for «рекомендовал» / «рекомендовала»).
import { readFileSync } from "node:fs";
import petrovich from "petrovich";
import { z } from "zod";
import { BoundedMap } from "../../util/bounded-map.ts";

export type Gender = "male" | "female";

const dictionarySchema = z.object({ $comment: z.string().optional(), male: z.array(z.string()), female: z.array(z.string()), either: z.array(z.string()) }).strict();

let dictionary: Map<string, Gender | "either"> | undefined;

/** The given-name dictionary (given-names.json): name → gender, or "either" (Саша, Женя). */
function givenNames(): Map<string, Gender | "either"> {
  if (!dictionary) {
    const data = dictionarySchema.parse(JSON.parse(readFileSync(new URL("./given-names.json", import.meta.url), "utf8")));
    dictionary = new Map<string, Gender | "either">();
    for (const name of data.male) dictionary.set(name, "male");
    for (const name of data.female) dictionary.set(name, "female");
    for (const name of data.either) dictionary.set(name, "either");
  }
  return dictionary;
}

const key = (word: string) => word.toLowerCase().replace(/ё/g, "е");
const words = (fullName: string) => fullName.trim().split(/\s+/).filter(Boolean);

/** «Сергеевна», «Петрович»: a patronymic, whose ending petrovich reads the gender from. */
function patronymicGender(word: string): Gender | null {
  if (!/^[а-яё-]{5,}$/i.test(word) || !/(ович|евич|ьич|ич|овна|евна|ична|инична)$/i.test(word)) return null;
  const gender = petrovich.detect_gender(word);
  return gender === "androgynous" ? null : gender;
}

/** Russian family names by their endings: Петрова, Иванов, Михайловская, Толстой. */
function familyNameGender(word: string): Gender | null {
  const w = key(word);
  if (/(ова|ева|ёва|ина|ына|ская|цкая|ая)$/.test(w)) return "female";
  if (/(ов|ев|ёв|ин|ын|ский|цкий|ой|ий)$/.test(w)) return "male";
  return null;
}

const isGivenName = (word: string) => givenNames().has(key(word));

// A name says the same every time: each message greets its patient (and names their gender) from
// the same full name, read once here instead of by a dozen regexes and petrovich per message.
const REMEMBERED_NAMES = 5_000;
const givenNameCache = new BoundedMap<string, string>(REMEMBERED_NAMES);
const genderCache = new BoundedMap<string, Gender | null>(REMEMBERED_NAMES);

function remembered<V>(cache: BoundedMap<string, V>, fullName: string, read: (fullName: string) => V): V {
  const known = cache.get(fullName);
  if (known !== undefined || cache.has(fullName)) return known as V;
  const value = read(fullName);
  cache.set(fullName, value);
  return value;
}

/**
 * The given name in a full name, whichever order it was written in: «Петрова Анна Сергеевна»,
 * «Анна Сергеевна Петрова», «Анна Петрова» and «Петрова Анна» all give «Анна».
 */
export function givenNameOf(fullName: string): string {
  return remembered(givenNameCache, fullName, readGivenName);
}

function readGivenName(fullName: string): string {
  const parts = words(fullName);
  if (parts.length <= 1) return parts[0] ?? "";
  const patronymic = parts.findIndex((w, i) => i > 0 && patronymicGender(w) !== null);
  if (patronymic > 0) return parts[patronymic - 1]!;
  const known = parts.find(isGivenName);
  if (known) return known;
  if (parts.length === 2) {
    const [a, b] = [familyNameGender(parts[0]!), familyNameGender(parts[1]!)];
    if (a && !b) return parts[1]!;
    if (b && !a) return parts[0]!;
  }
  // Latin script puts the given name first; a Russian record puts the family name first.
  return /^[a-z]/i.test(parts[0]!) ? parts[0]! : parts[1]!;
}

/** The patient's name to greet them by: the MIS's own first name when it sent one. */
export function firstNameOf(patient: { fullName: string; firstName?: string | null }): string {
  return patient.firstName?.trim() || givenNameOf(patient.fullName);
}

/**
 * A man or a woman, from a full name: the patronymic first (petrovich), then the given name
 * (the dictionary), then the family name's ending. Null when the name does not say (Саша Ким).
 */
export function genderOf(fullName: string): Gender | null {
  return remembered(genderCache, fullName, readGender);
}

function readGender(fullName: string): Gender | null {
  const parts = words(fullName);
  for (const w of parts.slice(1)) {
    const g = patronymicGender(w);
    if (g) return g;
  }
  for (const w of parts) {
    const g = givenNames().get(key(w));
    if (g === "male" || g === "female") return g;
  }
  for (const w of parts) {
    if (isGivenName(w)) continue;
    const g = familyNameGender(w);
    if (g) return g;
  }
  return null;
}
