// The languages CareBot speaks, and the one way its texts are chosen by language: a Dictionary
// (every key in every language, checked by the compiler), read with `textsOf(dictionary, lang)`
// and filled with `fill`. Console pages, validation messages, the CLI and patient-facing words the
// code adds itself all use it; patient messages proper are Handlebars templates (templates/ru|en).

export const LANGS = ["ru", "en"] as const;
export type Lang = (typeof LANGS)[number];
/** Russian first: the clinics CareBot is made for speak it, and so do their patients. */
export const DEFAULT_LANG: Lang = "ru";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** The locale Intl and Luxon format numbers and dates in, for each language. */
export const INTL_LOCALE: Record<Lang, string> = { ru: "ru-RU", en: "en-GB" };

/** Texts in both languages; the type makes a text missing in one of them a compile error. */
export type Dictionary<K extends string> = Record<Lang, Record<K, string>>;

/** The texts of one language. */
export function textsOf<K extends string>(dictionary: Dictionary<K>, lang: Lang): Record<K, string> {
  return dictionary[lang];
}

/** Puts values into a text's `{name}` places: fill("не больше {max}", { max: 100 }). A place without a value stays as it is. */
export function fill(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * The language a locale string names: "ru", "ru-RU", "ru_RU.UTF-8" → ru; "en_GB" → en; anything
 * else (C, POSIX, de_DE, empty) → undefined, so the caller falls back to its own default.
 */
export function langOfLocale(locale: string | null | undefined): Lang | undefined {
  const prefix = (locale ?? "").trim().toLowerCase().slice(0, 2);
  return isLang(prefix) ? prefix : undefined;
}
