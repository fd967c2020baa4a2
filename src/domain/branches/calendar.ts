// A branch's own calendar: its week (when it keeps hours of its own), its own days off (closed
// for a sanitary day, a renovation) and its dates with special hours. The clinic's holidays and
// worked days off stay in force for every branch; the branch's own dates are added on top, so a
// change of the clinic's holidays reaches every branch at once.
import { z } from "zod";
import { calendarSchema, isoDate, specialHoursSchema } from "../clinic/calendar.ts";
import type { WorkingCalendar } from "../clinic/calendar.ts";

export const branchCalendarSchema = z.object({
  version: z.literal(2),
  /** Its own hours per weekday; null: the clinic's week. */
  week: calendarSchema.shape.week.nullable().default(null),
  /** Its own closed dates ("2027-03-15"), besides the clinic's holidays. */
  daysOff: z.array(isoDate).max(366).default([]),
  /** Its own hours on these dates, whatever the week, a holiday or a day off says. */
  specialHours: z.array(specialHoursSchema).max(366).default([]),
});

export type BranchCalendar = z.infer<typeof branchCalendarSchema>;

/**
 * A stored calendar, upgraded on read. Version 1 (no `version`) was a whole working calendar,
 * its week the branch's and its holidays a copy of the clinic's at the time: the week is kept,
 * the copy dropped (the clinic's own holidays apply now).
 */
export const storedBranchCalendar = z.preprocess((value) => {
  if (value && typeof value === "object" && !Array.isArray(value) && !("version" in value)) return { version: 2, week: (value as { week?: unknown }).week ?? null };
  return value;
}, branchCalendarSchema);

/** The calendar a branch works by: the clinic's, with the branch's week and its own dates. */
export function calendarOfBranch(clinic: WorkingCalendar, own: BranchCalendar | null): WorkingCalendar {
  if (!own) return clinic;
  const closed = new Set(own.daysOff);
  const special = new Set(own.specialHours.map((h) => h.date));
  return {
    ...clinic,
    week: own.week ?? clinic.week,
    holidays: [...clinic.holidays, ...own.daysOff],
    // A worked day off of the clinic's is not one for a branch closed that day.
    workdays: clinic.workdays.filter((d) => !closed.has(d)),
    specialHours: [...own.specialHours, ...(clinic.specialHours ?? []).filter((h) => !closed.has(h.date) && !special.has(h.date))],
  };
}
