import type { ClinicSettings } from "../clinic/settings.ts";
import { addWorkingMinutes } from "../clinic/calendar.ts";

export type Priority = "urgent" | "high" | "normal" | "low";

/** What an SLA is counted from: the clinic's SLA hours, its working calendar and its zone. */
export interface SlaRules {
  sla: ClinicSettings["sla"];
  calendar: ClinicSettings["calendar"];
  timezone: string;
}

/**
 * When a person must have answered. Urgent (health) counts in calendar minutes: a complication
 * does not wait for the morning. The others count only the clinic's working hours on its
 * calendar, so a message at 22:00 with a 4-hour SLA is due at 13:00 the next working day, and
 * one on Friday evening on Monday. A patient asking to book (`booking`) is answered within
 * `sla.bookingHours` working hours, whatever the priority.
 */
export function slaDueAt(priority: Priority, from: Date, rules: SlaRules, kind: "booking" | "other" = "other"): Date {
  const { sla } = rules;
  if (priority === "urgent") return new Date(from.getTime() + sla.urgentMinutes * 60_000);
  const hours = kind === "booking" ? sla.bookingHours : priority === "high" ? sla.highHours : priority === "normal" ? sla.normalHours : sla.lowHours;
  return addWorkingMinutes(from, hours * 60, rules.calendar, rules.timezone);
}
