// The few words the WhatsApp adapter adds on its own (not from flow templates).
// WhatsApp reports no UI language, so the language is guessed from the message being sent;
// Russian, CareBot's default locale, wins whenever the guess is unsure.
import { DEFAULT_LANG, langOfLocale, textsOf } from "../../i18n/lang.ts";
import type { Dictionary } from "../../i18n/lang.ts";

/** "ru" for Cyrillic text, "en" for Latin-only text, undefined when the text has no letters. */
export function guessLocale(text: string): string | undefined {
  if (/\p{Script=Cyrillic}/u.test(text)) return "ru";
  if (/\p{Script=Latin}/u.test(text)) return "en";
  return undefined;
}

const TEXT: Dictionary<"menuHint" | "contactRequest"> = {
  ru: {
    menuHint: "Ответьте цифрой нужного варианта.",
    contactRequest: "Пожалуйста, пришлите номер телефона сообщением или поделитесь контактом (📎 → Контакт).",
  },
  en: {
    menuHint: "Reply with the number of your answer.",
    contactRequest: "Please send your phone number in a message, or share your contact (📎 → Contact).",
  },
};

/** The patient's words: English only when their locale says so, Russian otherwise. */
const textsFor = (locale?: string) => textsOf(TEXT, langOfLocale(locale) ?? DEFAULT_LANG);

/** The line under a numbered menu. */
export function defaultMenuHint(locale?: string): string {
  return textsFor(locale).menuHint;
}

/** WhatsApp has no share-my-phone button: ask for the number in words. */
export function defaultContactRequest(locale?: string): string {
  return textsFor(locale).contactRequest;
}
