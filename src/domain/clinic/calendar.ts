// The clinic's working calendar: which days its staff work, from when to when, and which days are
// holidays. Every promise of an answer ("вам ответят до …") and every SLA counts working time on
// it, so a request on Wednesday evening is never promised for Saturday.
import { DateTime } from "luxon";
import { z } from "zod";
import { says } from "../../i18n/zod.ts";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: says("time") });
export const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: says("date") });
/** A holiday: a date ("2027-05-10"), or a day every year ("05-09"). */
const holiday = z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: says("holiday") });

const dayHours = z
  .object({ start: hhmm, end: hhmm })
  .strict()
  .refine((h) => h.start < h.end, { error: says("dayEndsAfterStart") })
  .nullable();

/** A date with hours of its own: { date: "2026-12-31", start: "09:00", end: "15:00" }. */
export const specialHoursSchema = z
  .object({ date: isoDate, start: hhmm, end: hhmm })
  .strict()
  .refine((h) => h.start < h.end, { error: says("dayEndsAfterStart") });
export type SpecialHours = z.infer<typeof specialHoursSchema>;

const WORKDAY = { start: "09:00", end: "20:00" };

/** Russia's federal non-working holidays (Labour Code, art. 112). */
export const RUSSIAN_FEDERAL_HOLIDAYS = ["01-01", "01-02", "01-03", "01-04", "01-05", "01-06", "01-07", "01-08", "02-23", "03-08", "05-01", "05-09", "06-12", "11-04"];

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const calendarSchema = z.object({
  /** Working hours per weekday in the clinic's time zone; null: a day off. */
  week: z
    .object({
      mon: dayHours.default(WORKDAY),
      tue: dayHours.default(WORKDAY),
      wed: dayHours.default(WORKDAY),
      thu: dayHours.default(WORKDAY),
      fri: dayHours.default(WORKDAY),
      sat: dayHours.default(null),
      sun: dayHours.default(null),
    })
    .prefault({}),
  holidays: z.array(holiday).default(RUSSIAN_FEDERAL_HOLIDAYS),
  /** Days off that are worked this year (a Saturday the government moved a holiday from), with Monday's hours. */
  workdays: z.array(isoDate).default([]),
  /**
   * A yearly holiday that falls on a day off moves to the next working day (art. 112; the
   * new-year days 01-01…01-08 do not move by themselves, the government's decree moves them).
   */
  moveWeekendHolidays: z.boolean().default(true),
  /**
   * Dates with hours of their own, whatever the week or a holiday says (31 December until 15:00,
   * a Saturday opened for check-ups). Optional: a branch's calendar sets them (branches/calendar.ts).
   */
  specialHours: z.array(specialHoursSchema).optional(),
});

export type WorkingCalendar = z.infer<typeof calendarSchema>;

interface DayHours {
  /** Minutes after midnight. */
  open: number;
  close: number;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

const NEW_YEAR = /^01-0[1-8]$/;

/** The holidays of a year: its dated ones, the yearly ones, and the days weekend holidays moved to. */
function holidaysOf(year: number, calendar: WorkingCalendar): Set<string> {
  const days = new Set<string>();
  const yearly: string[] = [];
  for (const h of calendar.holidays) {
    if (h.length === 10) days.add(h);
    else {
      days.add(`${year}-${h}`);
      yearly.push(h);
    }
  }
  if (!calendar.moveWeekendHolidays) return days;
  // The day off moves to the next day that is worked by the week and is not a holiday itself.
  for (const h of yearly) {
    if (NEW_YEAR.test(h)) continue;
    const date = DateTime.fromISO(`${year}-${h}`);
    if (!date.isValid || weekHours(date, calendar) !== null) continue;
    let next = date.plus({ days: 1 });
    while (weekHours(next, calendar) === null || days.has(next.toISODate()!)) next = next.plus({ days: 1 });
    days.add(next.toISODate()!);
  }
  return days;
}

function weekHours(day: DateTime, calendar: WorkingCalendar): DayHours | null {
  const hours = calendar.week[WEEKDAYS[day.weekday - 1]!];
  return hours ? { open: minutesOf(hours.start), close: minutesOf(hours.end) } : null;
}

/** A day's working hours on the calendar (the day's own zone is the caller's), or null on a day off. */
export function workingHoursOn(day: DateTime, calendar: WorkingCalendar, cache = new Map<number, Set<string>>()): DayHours | null {
  const date = day.toISODate()!;
  const special = calendar.specialHours?.find((h) => h.date === date);
  if (special) return { open: minutesOf(special.start), close: minutesOf(special.end) };
  if (calendar.workdays.includes(date)) return weekHours(day, calendar) ?? weekHours(day.set({ weekday: 1 }), calendar) ?? { open: minutesOf(WORKDAY.start), close: minutesOf(WORKDAY.end) };
  let holidays = cache.get(day.year);
  if (!holidays) {
    holidays = holidaysOf(day.year, calendar);
    cache.set(day.year, holidays);
  }
  if (holidays.has(date)) return null;
  return weekHours(day, calendar);
}

/** Whether the clinic works at `at` (its zone). */
export function isWorkingTime(at: Date, calendar: WorkingCalendar, zone: string): boolean {
  const local = DateTime.fromJSDate(at, { zone });
  const hours = workingHoursOn(local, calendar);
  const minute = local.hour * 60 + local.minute;
  return hours !== null && minute >= hours.open && minute < hours.close;
}

/**
 * `minutes` of working time after `from` on the clinic's calendar: a 4-hour promise made on
 * Friday at 19:00 comes due on Monday at 12:00 (or later, after a holiday). A calendar with no
 * working day at all counts calendar time.
 */
export function addWorkingMinutes(from: Date, minutes: number, calendar: WorkingCalendar, zone: string): Date {
  if (WEEKDAYS.every((d) => calendar.week[d] === null) && calendar.workdays.length === 0 && !calendar.specialHours?.length) return new Date(from.getTime() + minutes * 60_000);
  const cache = new Map<number, Set<string>>();
  let at = DateTime.fromJSDate(from, { zone });
  let left = minutes;
  // Day by day; a guard of ten years of days keeps a pathological calendar from looping for ever.
  for (let guard = 0; guard < 3660; guard++) {
    const hours = workingHoursOn(at, calendar, cache);
    const minute = at.hour * 60 + at.minute;
    if (hours === null || minute >= hours.close) {
      at = at.plus({ days: 1 }).startOf("day");
      continue;
    }
    if (minute < hours.open) at = at.startOf("day").plus({ minutes: hours.open });
    const available = hours.close - (at.hour * 60 + at.minute);
    if (left <= available) return at.plus({ minutes: left }).toJSDate();
    left -= available;
    at = at.plus({ days: 1 }).startOf("day");
  }
  return at.toJSDate();
}
