// Numbers, money, durations and months as the console's language writes them, in the clinic's zone.
import { DateTime } from "luxon";
import { INTL_LOCALE, textsOf } from "../../i18n/lang.ts";
import type { ConsoleLang, Dictionary } from "../i18n.ts";


export interface Formats {
  int(n: number): string;
  /** An NPS with its sign ("+42,5", "−10"); "—" when there were no answers. */
  nps(n: number | null): string;
  /** Kopecks as roubles, whole. */
  money(kopecks: number): string;
  /** A span of seconds as the largest two units ("1 ч 05 мин", "2 d 3 h"); "—" when unknown. */
  duration(seconds: number | null): string;
  /** "yyyy-MM" as a short month ("нояб.") and as a full one ("ноябрь 2026"). */
  monthShort(month: string): string;
  monthLong(month: string): string;
  /** An instant in the clinic's zone, with the date and time. */
  dateTime(iso: string): string;
}

const UNITS: Dictionary<"d" | "h" | "min"> = {
  ru: { d: "д", h: "ч", min: "мин" },
  en: { d: "d", h: "h", min: "min" },
};

export function formats(lang: ConsoleLang, timezone: string): Formats {
  const locale = INTL_LOCALE[lang];
  const ints = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const npsFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const rub = new Intl.NumberFormat(locale, { style: "currency", currency: "RUB", currencyDisplay: "narrowSymbol", maximumFractionDigits: 0 });
  const units = textsOf(UNITS, lang);
  const month = (key: string) => DateTime.fromFormat(key, "yyyy-MM", { zone: timezone, locale });
  return {
    int: (n) => ints.format(n),
    // Intl writes a hyphen-minus; the typographic minus reads better beside the plus.
    nps: (n) => (n === null ? "—" : npsFormat.format(n).replace("-", "−")),
    money: (kopecks) => rub.format(Math.round(kopecks / 100)),
    duration: (seconds) => {
      if (seconds === null) return "—";
      const minutes = Math.round(seconds / 60);
      if (minutes < 60) return `${minutes} ${units.min}`;
      const hours = Math.floor(minutes / 60);
      if (hours < 24) return `${hours} ${units.h} ${String(minutes % 60).padStart(2, "0")} ${units.min}`;
      return `${Math.floor(hours / 24)} ${units.d} ${hours % 24} ${units.h}`;
    },
    monthShort: (key) => month(key).toFormat("LLL").replace(/\.$/, ""),
    monthLong: (key) => month(key).toFormat("LLLL yyyy"),
    dateTime: (iso) => DateTime.fromISO(iso, { zone: timezone, locale }).toFormat("d MMMM yyyy, HH:mm"),
  };
}
