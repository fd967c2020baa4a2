// What a scheduled or triggered message is, read from its outbox key. Planners and visits queue
// "start-flow" rows keyed `<kind>:…` (src/scheduler/planners, src/domain/visits/care-outbox.ts,
// src/campaigns/keys.ts), and the messages the started flow sends carry the same key as prefix
// (the dispatcher passes it as outboxKeyPrefix), so one prefix names a row and its messages.

/**
 * The kinds the dashboard tells apart, in the order it shows them: the first part of the keys
 * the planners, visits and campaigns write (test/operators/dashboard.test.ts checks them against
 * the key builders, so a renamed key cannot fall silently into "other").
 */
export const REMINDER_KINDS = ["balance", "expiry", "birthday", "checkin", "followup", "visit-reminder", "waitlist", "nps", "campaign"] as const;

export type ReminderKind = (typeof REMINDER_KINDS)[number] | "other";

export function isReminderKind(prefix: string): prefix is (typeof REMINDER_KINDS)[number] {
  return (REMINDER_KINDS as readonly string[]).includes(prefix);
}
