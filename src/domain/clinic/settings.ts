import { z } from "zod";

// A clinic's whole configuration, stored as one JSON document on the clinic row and edited as
// one document (console, `carebot clinic export|import`). Every field has a default, so a clinic
// starts from sensible behaviour and changes only what it wants.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM"');
const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression such as "0 10 1 * *"');

export const bonusRulesSchema = z.object({
  /** Percentage of the paid amount accrued as points (1 point = 1 rouble). */
  accrualPercent: z.number().min(0).max(100).default(5),
  /** Service category → its own percentage (e.g. { "hygiene": 10 }). */
  categoryPercent: z.record(z.string(), z.number().min(0).max(100)).default({}),
  /** Categories that earn nothing (e.g. diagnostics). */
  excludedCategories: z.array(z.string()).default(["diagnostics"]),
  welcomeBonus: z.number().int().min(0).default(300),
  birthdayGift: z.number().int().min(0).default(500),
  /** Days the birthday gift stays valid. */
  birthdayGiftValidDays: z.number().int().min(1).default(14),
  referrerReward: z.number().int().min(0).default(500),
  refereeReward: z.number().int().min(0).default(300),
  expiryMonths: z.number().int().min(1).max(120).default(6),
  /** Share of a bill that points may pay, 0..1. */
  maxBillShare: z.number().min(0).max(1).default(0.5),
});

export const quietHoursSchema = z.object({
  start: hhmm.default("21:00"),
  end: hhmm.default("09:00"),
});

export const schedulesSchema = z.object({
  balanceReminder: cron.default("0 11 1 * *"),
  bonusExpiry: cron.default("0 12 * * *"),
  birthday: cron.default("0 10 * * *"),
  careCheckin: cron.default("0 10 * * *"),
  followUp: cron.default("0 11 * * *"),
  nps: cron.default("*/15 * * * *"),
  timers: cron.default("* * * * *"),
  reactivation: cron.default("0 12 * * 2"),
});

export const clinicSettingsSchema = z.object({
  address: z.string().default(""),
  /** The clinic's phone in E.164, for patients to call and for wa.me links. */
  phone: z.string().default(""),
  reviewUrl: z.url().optional(),
  /** The Telegram bot's username (without @), for referral deep links t.me/<bot>?start=ref_<code>. */
  telegramBot: z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{4,31}$/, "must be a Telegram bot username").optional(),
  bonus: bonusRulesSchema.prefault({}),
  quietHours: quietHoursSchema.prefault({}),
  /** Marketing messages per patient: at most one in this many days. */
  marketingCapDays: z.number().int().min(0).default(3),
  schedules: schedulesSchema.prefault({}),
  birthdayWindow: z
    .object({ daysBefore: z.number().int().min(0).max(30).default(0), daysAfter: z.number().int().min(0).max(30).default(7) })
    .prefault({}),
  npsDelayMinutes: z.number().int().min(0).default(120),
  followUp: z
    .object({ maxAttempts: z.number().int().min(1).max(10).default(3), gapDays: z.array(z.number().int().min(0)).default([0, 3, 7]) })
    .prefault({}),
  sla: z
    .object({
      /** Health complaints: calendar minutes, day and night. */
      urgentMinutes: z.number().int().min(1).default(30),
      /** The others count business hours only. */
      highHours: z.number().int().min(1).default(4),
      normalHours: z.number().int().min(1).default(24),
      lowHours: z.number().int().min(1).default(72),
      businessHours: z.object({ start: hhmm.default("09:00"), end: hhmm.default("20:00") }).prefault({}),
    })
    .prefault({}),
  cannedReplies: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), text: z.string().min(1) })).default([]),
});

export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;
export type ClinicSettingsInput = z.input<typeof clinicSettingsSchema>;

/** Parses a stored or submitted settings document; throws a ZodError with field paths. */
export function parseClinicSettings(raw: unknown): ClinicSettings {
  return clinicSettingsSchema.parse(raw ?? {});
}
