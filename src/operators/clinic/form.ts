// The clinic page's posted fields (a urlencoded form, or the same names as JSON) → ProfileForm.
import { WEEKDAYS } from "../../domain/clinic/calendar.ts";
import type { Weekday } from "../../domain/clinic/calendar.ts";
import type { ClinicProfile, ProfileForm } from "../../domain/clinic/profile.ts";

type Posted = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "");
/** A repeated field: querystring gives one value as a string and several as an array. */
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v : "")) : typeof value === "string" ? [value] : []);
const checked = (value: unknown): boolean => value === "1" || value === "on" || value === true;
const lines = (value: unknown): string[] => text(value).split(/[\r\n,;]+/).map((l) => l.trim()).filter(Boolean);

export function profileFormFromPost(body: unknown): { version: string; form: ProfileForm } {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Posted;
  const labels = texts(b.review_label);
  const urls = texts(b.review_url);
  const reviewLinks = Array.from({ length: Math.max(labels.length, urls.length) }, (_, i) => ({ label: labels[i] ?? "", url: urls[i] ?? "" }));
  const week = Object.fromEntries(
    WEEKDAYS.map((d) => [d, checked(b[`${d}_on`]) ? { start: text(b[`${d}_start`]).trim(), end: text(b[`${d}_end`]).trim() } : null]),
  ) as Record<Weekday, { start: string; end: string } | null>;
  return {
    version: text(b.version),
    form: {
      name: text(b.name),
      timezone: text(b.timezone),
      address: text(b.address),
      phone: text(b.phone),
      reviewLinks,
      week,
      holidays: lines(b.holidays),
      workdays: lines(b.workdays),
      moveWeekendHolidays: checked(b.move_weekend),
    },
  };
}

/** The stored profile as the form shows it. */
export function profileFormOf(p: ClinicProfile): ProfileForm {
  return {
    name: p.name,
    timezone: p.timezone,
    address: p.address,
    phone: p.phone,
    reviewLinks: p.reviewLinks,
    week: p.calendar.week,
    holidays: p.calendar.holidays,
    workdays: p.calendar.workdays,
    moveWeekendHolidays: p.calendar.moveWeekendHolidays,
  };
}
