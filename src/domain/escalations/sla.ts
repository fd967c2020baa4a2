import { DateTime } from "luxon";
import type { ClinicSettings } from "../clinic/settings.ts";

export type Priority = "urgent" | "high" | "normal" | "low";

/**
 * When a person must have answered. Urgent (health) counts in calendar minutes: a complication
 * does not wait for the morning. The others count only the clinic's business hours, so a
 * message at 22:00 with a 4-hour SLA is due at 13:00 the next day, not at 02:00.
 */
export function slaDueAt(priority: Priority, from: Date, sla: ClinicSettings["sla"], timezone: string): Date {
  if (priority === "urgent") return new Date(from.getTime() + sla.urgentMinutes * 60_000);
  const hours = priority === "high" ? sla.highHours : priority === "normal" ? sla.normalHours : sla.lowHours;
  return addBusinessMinutes(from, hours * 60, sla.businessHours, timezone);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function addBusinessMinutes(from: Date, minutes: number, hours: { start: string; end: string }, timezone: string): Date {
  const open = minutesOf(hours.start);
  const close = minutesOf(hours.end);
  if (close <= open) return new Date(from.getTime() + minutes * 60_000);
  let at = DateTime.fromJSDate(from, { zone: timezone });
  let left = minutes;
  // Walk day by day: at most a few iterations per working day of the SLA.
  for (let guard = 0; guard < 3660 && left > 0; guard++) {
    const minuteOfDay = at.hour * 60 + at.minute;
    if (minuteOfDay < open) at = at.startOf("day").plus({ minutes: open });
    else if (minuteOfDay >= close) {
      at = at.plus({ days: 1 }).startOf("day").plus({ minutes: open });
      continue;
    }
    const available = close - (at.hour * 60 + at.minute);
    const used = Math.min(available, left);
    at = at.plus({ minutes: used });
    left -= used;
  }
  return at.toJSDate();
}
