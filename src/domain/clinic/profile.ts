// The clinic's profile as its admin edits it on one page: name and time zone (the clinic row),
// address, phone, review links and the working calendar (the settings document). Problems come
// back as codes per field so the console words them in the manager's language.
import { isValidTimeZone } from "../../util/timezone.ts";
import { calendarSchema, WEEKDAYS } from "./calendar.ts";
import type { Weekday, WorkingCalendar } from "./calendar.ts";
import { clinicPhoneE164 } from "./phone.ts";

export interface ReviewLink {
  label: string;
  url: string;
}

export interface ClinicProfile {
  name: string;
  timezone: string;
  address: string;
  /** E.164, or "" when the clinic gives no phone. */
  phone: string;
  reviewLinks: ReviewLink[];
  calendar: WorkingCalendar;
}

/** The profile as a form sends it: texts, a day's hours or null for a day off, one date per list item. */
export interface ProfileForm {
  name: string;
  timezone: string;
  address: string;
  phone: string;
  reviewLinks: { label: string; url: string }[];
  week: Record<Weekday, { start: string; end: string } | null>;
  holidays: string[];
  workdays: string[];
  moveWeekendHolidays: boolean;
}

export type ProfileProblemCode =
  | "name-empty"
  | "name-long"
  | "timezone-unknown"
  | "address-long"
  | "phone-invalid"
  | "link-label-empty"
  | "link-url-invalid"
  | "links-too-many"
  | "time-invalid"
  | "day-ends-early"
  | "holiday-invalid"
  | "workday-invalid";

/** A problem of one field: "name", "phone", "reviewLinks.1.url", "week.sat", "holidays.2". */
export interface ProfileProblem {
  field: string;
  code: ProfileProblemCode;
  /** The value it is about, where that helps ("2027-13-01"). */
  value?: string;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const HOLIDAY = /^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MAX_REVIEW_LINKS = 8;

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

export type ProfileCheck = { ok: true; profile: ClinicProfile } | { ok: false; problems: ProfileProblem[] };

/** Checks every field and gives the profile to store, or every problem at once. */
export function checkProfileForm(form: ProfileForm): ProfileCheck {
  const problems: ProfileProblem[] = [];
  const name = form.name.trim();
  if (!name) problems.push({ field: "name", code: "name-empty" });
  else if (name.length > 120) problems.push({ field: "name", code: "name-long" });
  const timezone = form.timezone.trim();
  if (!isValidTimeZone(timezone)) problems.push({ field: "timezone", code: "timezone-unknown", value: timezone });
  const address = form.address.trim();
  if (address.length > 300) problems.push({ field: "address", code: "address-long" });
  let phone = "";
  if (form.phone.trim()) {
    const e164 = clinicPhoneE164(form.phone);
    if (e164) phone = e164;
    else problems.push({ field: "phone", code: "phone-invalid", value: form.phone.trim() });
  }
  const reviewLinks: ReviewLink[] = [];
  const filled = form.reviewLinks.map((l) => ({ label: l.label.trim(), url: l.url.trim() }));
  filled.forEach((link, i) => {
    if (!link.label && !link.url) return;
    if (!link.label) problems.push({ field: `reviewLinks.${i}.label`, code: "link-label-empty" });
    if (!isWebAddress(link.url)) problems.push({ field: `reviewLinks.${i}.url`, code: "link-url-invalid", value: link.url });
    reviewLinks.push(link);
  });
  if (reviewLinks.length > MAX_REVIEW_LINKS) problems.push({ field: "reviewLinks", code: "links-too-many" });
  for (const day of WEEKDAYS) {
    const hours = form.week[day];
    if (!hours) continue;
    if (!HHMM.test(hours.start) || !HHMM.test(hours.end)) problems.push({ field: `week.${day}`, code: "time-invalid" });
    else if (hours.start >= hours.end) problems.push({ field: `week.${day}`, code: "day-ends-early" });
  }
  const holidays = form.holidays.map((h) => h.trim()).filter(Boolean);
  holidays.forEach((h, i) => {
    if (!HOLIDAY.test(h)) problems.push({ field: `holidays.${i}`, code: "holiday-invalid", value: h });
  });
  const workdays = form.workdays.map((d) => d.trim()).filter(Boolean);
  workdays.forEach((d, i) => {
    if (!ISO_DATE.test(d)) problems.push({ field: `workdays.${i}`, code: "workday-invalid", value: d });
  });
  if (problems.length > 0) return { ok: false, problems };
  // The calendar's own schema has the last word on what is stored.
  const calendar = calendarSchema.parse({ week: form.week, holidays, workdays, moveWeekendHolidays: form.moveWeekendHolidays });
  return { ok: true, profile: { name, timezone, address, phone, reviewLinks, calendar } };
}
