// The few words the WhatsApp adapter adds on its own (not from flow templates).
// WhatsApp reports no UI language, so the language is guessed from the message being sent;
// Russian, CareBot's default locale, wins whenever the guess is unsure.

/** "ru" for Cyrillic text, "en" for Latin-only text, undefined when the text has no letters. */
export function guessLocale(text: string): string | undefined {
  if (/\p{Script=Cyrillic}/u.test(text)) return "ru";
  if (/\p{Script=Latin}/u.test(text)) return "en";
  return undefined;
}

const isEnglish = (locale?: string): boolean => locale?.toLowerCase().startsWith("en") === true;

/** The line under a numbered menu. */
export function defaultMenuHint(locale?: string): string {
  return isEnglish(locale) ? "Reply with the number of your answer." : "Ответьте цифрой нужного варианта.";
}

/** WhatsApp has no share-my-phone button: ask for the number in words. */
export function defaultContactRequest(locale?: string): string {
  return isEnglish(locale)
    ? "Please send your phone number in a message, or share your contact (📎 → Contact)."
    : "Пожалуйста, пришлите номер телефона сообщением или поделитесь контактом (📎 → Контакт).";
}
