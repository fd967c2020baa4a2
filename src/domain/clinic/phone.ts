// The clinic's phone as patients and staff read it: "+7 495 123-45-67", and a tel: link.
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** E.164 of a phone a person typed ("8 (495) 123-45-67"), or null when it is not a valid number. */
export function clinicPhoneE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), "RU");
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * "+74951234567" → "+7 495 123-45-67", the way Russian clinics print their numbers; other
 * countries as libphonenumber writes them internationally. Text that is no number stays as it is.
 */
export function formatClinicPhone(stored: string): string {
  const parsed = parsePhoneNumberFromString(stored.trim(), "RU");
  if (!parsed?.isValid()) return stored.trim();
  const digits = parsed.nationalNumber;
  if (parsed.countryCallingCode === "7" && digits.length === 10) {
    return `+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`;
  }
  return parsed.formatInternational();
}

/** "tel:+74951234567", or null for text that is no number. */
export function clinicPhoneHref(stored: string): string | null {
  const e164 = clinicPhoneE164(stored);
  return e164 ? `tel:${e164}` : null;
}
