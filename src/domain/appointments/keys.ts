/** The flow a visit reminder starts, and its outbox keys: one per appointment and offset. */
export const VISIT_REMINDER_FLOW = "visit-reminder";
export const VISIT_REMINDER_PREFIX = "visit-reminder:";
export const visitReminderKey = (appointmentId: number, offsetId: string): string => `${VISIT_REMINDER_PREFIX}${appointmentId}:${offsetId}`;
export const visitRemindersOf = (appointmentId: number): string => `${VISIT_REMINDER_PREFIX}${appointmentId}:`;
