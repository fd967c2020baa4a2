import { DateTime } from "luxon";
import { isValidTimeZone } from "../../util/timezone.ts";

/** Care messages go out in the patient's daytime: from 10:00 to 20:00 on their own clock. */
export const DAYTIME = { startHour: 10, endHour: 20 } as const;

/** The zone a patient lives by: their own when it is valid, else the clinic's. */
export function patientZone(patientTimezone: string | null | undefined, clinicTimezone: string): string {
  return patientTimezone && isValidTimeZone(patientTimezone) ? patientTimezone : clinicTimezone;
}

/** 10:00 on the calendar day after `at`, in `zone` (the next-day care check-in). */
export function nextMorning(at: Date, zone: string, hour: number = DAYTIME.startHour): Date {
  return DateTime.fromJSDate(at, { zone }).plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

/**
 * `at` when it falls within 10:00–20:00 in `zone`; otherwise the next 10:00 there (the same
 * morning before 10:00, the following morning after 20:00).
 */
export function intoDaytime(at: Date, zone: string, window: { startHour: number; endHour: number } = DAYTIME): Date {
  const local = DateTime.fromJSDate(at, { zone });
  const start = local.set({ hour: window.startHour, minute: 0, second: 0, millisecond: 0 });
  const end = local.set({ hour: window.endHour, minute: 0, second: 0, millisecond: 0 });
  if (local < start) return start.toJSDate();
  if (local > end) return start.plus({ days: 1 }).toJSDate();
  return at;
}

/** When the NPS survey of a visit completed at `completedAt` is due. */
export function npsDueAt(completedAt: Date, delayMinutes: number, zone: string): Date {
  return intoDaytime(new Date(completedAt.getTime() + delayMinutes * 60_000), zone);
}
