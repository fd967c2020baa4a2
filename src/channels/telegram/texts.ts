// The few words the Telegram adapter shows on its own (not from flow templates).
// Russian is CareBot's default locale; English for clients that report an English UI.

const isEnglish = (languageCode?: string): boolean => languageCode?.toLowerCase().startsWith("en") === true;

/** Label of the reply-keyboard button that shares the patient's phone. */
export function defaultContactButtonLabel(languageCode?: string): string {
  return isEnglish(languageCode) ? "Share my phone number" : "Поделиться номером";
}

/** Toast shown when a pressed button is not CareBot's (stale, forged, from another bot). */
export function defaultStaleButtonText(languageCode?: string): string {
  return isEnglish(languageCode) ? "This button is no longer active" : "Эта кнопка уже неактуальна";
}

/** Said once when a message cannot be handled at all (a poison update), instead of silence. */
export function defaultUnprocessableText(languageCode?: string): string {
  return isEnglish(languageCode)
    ? "Sorry, we could not process this message. Please try writing it differently, or call the clinic."
    : "Извините, нам не удалось обработать это сообщение. Пожалуйста, попробуйте написать иначе или позвоните в клинику.";
}
