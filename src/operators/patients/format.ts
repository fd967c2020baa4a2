// Dates and phones as the clinic's staff read them: in the clinic's time zone, in their language.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { DateTime } from "luxon";
import type { ConsoleLang } from "../i18n.ts";

export interface CardFormats {
  /** "23 нояб. 2026, 10:00" */
  dateTime(at: Date | null): string;
  /** "23 нояб. 2026" */
  date(at: Date | null): string;
  /** "09:00" today, "09:00, 24 нояб." on another day. */
  time(at: Date, now: Date): string;
  /** "1990-05-14" → "14 мая 1990" */
  birthday(isoDate: string | null): string | null;
}

export function cardFormats(lang: ConsoleLang, timezone: string): CardFormats {
  const locale = lang === "en" ? "en-GB" : "ru";
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: timezone }).setLocale(locale);
  return {
    dateTime: (at) => (at ? local(at).toFormat("d MMM yyyy, HH:mm") : "—"),
    date: (at) => (at ? local(at).toFormat("d MMM yyyy") : "—"),
    time: (at, now) => (local(at).hasSame(local(now), "day") ? local(at).toFormat("HH:mm") : local(at).toFormat("HH:mm, d MMM")),
    birthday: (isoDate) => {
      if (!isoDate) return null;
      const day = DateTime.fromISO(isoDate, { zone: timezone }).setLocale(locale);
      return day.isValid ? day.toFormat("d MMMM yyyy") : isoDate;
    },
  };
}

/** "+79165550101" → "+7 916 555 01 01"; what cannot be parsed is shown as stored. */
export function formatPhone(phone: string): string {
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}
