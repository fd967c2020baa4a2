import { DateTime } from "luxon";
import type { BonusRules } from "./types.ts";

/**
 * When a credit booked at `at` expires: `expiryMonths` calendar months later (31 March + 6 months
 * is 30 September). Counted in UTC, as the ledger has no time zone of its own; this agrees with
 * the clinic's calendar except for credits booked within hours of a month's end.
 */
export function creditExpiresAt(at: Date, rules: BonusRules): Date {
  return DateTime.fromJSDate(at, { zone: "utc" }).plus({ months: rules.expiryMonths }).toJSDate();
}

/** The birthday gift is short-lived on purpose: it is a reason to come now, not a saving. */
export function birthdayGiftExpiresAt(at: Date, rules: BonusRules): Date {
  return new Date(at.getTime() + rules.birthdayGiftValidDays * 86_400_000);
}
