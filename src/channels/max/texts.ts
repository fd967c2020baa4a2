// The few words the MAX adapter shows on its own (not from flow templates).
// Russian is CareBot's default locale; English for clients that report an English UI.

const isEnglish = (languageCode?: string): boolean => languageCode?.toLowerCase().startsWith("en") === true;

/** Label of the button that shares the patient's phone. */
export function maxContactButtonLabel(languageCode?: string): string {
  return isEnglish(languageCode) ? "Share my phone number" : "Поделиться номером";
}

/** Shown when a pressed button is not CareBot's (stale, forged, from another bot). */
export function maxStaleButtonText(languageCode?: string): string {
  return isEnglish(languageCode) ? "This button is no longer active" : "Эта кнопка уже неактуальна";
}
