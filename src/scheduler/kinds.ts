import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { VISIT_REMINDER_FLOW } from "../domain/appointments/keys.ts";
import { WAITLIST_FLOW } from "../domain/waitlist/waitlist.ts";
import { CHECKIN_FLOW, REBOOK_FLOW } from "../domain/visits/care-outbox.ts";
import { BIRTHDAY_FLOW } from "../domain/bonus/grants.ts";

/** What the scheduler runs: eight planners that queue conversations, and the flow timers. */
export const JOB_KINDS = ["balance", "expiry", "certificates", "birthday", "checkin", "followup", "reminder", "waitlist", "timers"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const PLANNER_KINDS = ["balance", "expiry", "certificates", "birthday", "checkin", "followup", "reminder", "waitlist"] as const;
export type PlannerKind = (typeof PLANNER_KINDS)[number];

export function isJobKind(value: string): value is JobKind {
  return (JOB_KINDS as readonly string[]).includes(value);
}

/**
 * The clinic setting (`settings.schedules.*`) that holds each job's cron expression. Gift
 * certificates expire and are announced on the points' schedule: one daily run for both.
 */
export const SCHEDULE_SETTING: Record<JobKind, keyof ClinicSettings["schedules"]> = {
  balance: "balanceReminder",
  expiry: "bonusExpiry",
  certificates: "bonusExpiry",
  birthday: "birthday",
  checkin: "careCheckin",
  followup: "followUp",
  reminder: "visitReminders",
  waitlist: "waitlist",
  timers: "timers",
};

/**
 * The `triggers.scheduled` kind a flow declares to be started by a planner. The expiry warning
 * starts the balance flow: it already tells what expires and when.
 */
export const SCHEDULED_TRIGGER: Record<PlannerKind, string> = {
  balance: "balance",
  expiry: "balance",
  certificates: "certificate-expiry",
  birthday: "birthday",
  checkin: "checkin",
  followup: "followup",
  reminder: "visit-reminder",
  waitlist: "waitlist",
};

/** The shipped flow of each trigger, for callers that have no flow catalog at hand (tests, tools). */
export const DEFAULT_FLOW: Record<PlannerKind, string> = {
  balance: "bonus-balance",
  expiry: "bonus-balance",
  certificates: "certificate-expiry",
  birthday: BIRTHDAY_FLOW,
  checkin: CHECKIN_FLOW,
  followup: REBOOK_FLOW,
  reminder: VISIT_REMINDER_FLOW,
  waitlist: WAITLIST_FLOW,
};
