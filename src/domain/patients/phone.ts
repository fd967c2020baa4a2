import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A phone number in E.164 ("+79991234567"), or null when it is not a valid number. Russian
 * habits are understood: "8 (999) 123-45-67", "+7 999 1234567", "9991234567".
 */
export function normalizePhone(input: string, defaultCountry: "RU" = "RU"): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}
