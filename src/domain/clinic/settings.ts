import { z } from "zod";
import { says, saysParams } from "../../i18n/zod.ts";
import { explainCron } from "../schedules/explain.ts";
import { refineUniqueIds, segmentSchema, settingsId, wholeNumber } from "../segments/schema.ts";
import { StoredFormat } from "../../util/versioned/stored-format.ts";
import type { UpgradeStep } from "../../util/versioned/stored-format.ts";
import { calendarSchema } from "./calendar.ts";

// A clinic's whole configuration, stored as one JSON document on the clinic row and edited as
// one document (console, `carebot clinic export|import`). Every field has a default, so a clinic
// starts from sensible behaviour and changes only what it wants.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: says("time") });
const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, { error: says("cronShape") });

/** One status level: from what a patient paid (roubles) over the period, its accrual and redemption cap. */
export const loyaltyLevelSchema = z
  .object({
    id: settingsId(),
    /** As patients see it («Серебряный»). */
    name: z.string().trim().min(1, { error: says("levelName") }).max(40),
    nameEn: z.string().trim().min(1, { error: says("levelName") }).max(40).optional(),
    /** Roubles paid over the period from which the level applies; the first level starts at 0. */
    fromRoubles: z.number().int().min(0),
    accrualPercent: z.number().min(0).max(100),
    /** Share of a bill the level's points may pay, 0..1. */
    maxBillShare: z.number().min(0).max(1),
  })
  .strict();
export type LoyaltyLevelRule = z.infer<typeof loyaltyLevelSchema>;

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
  /** Families: a visit's redemption may draw on the family's points (the patient's own first), and «мои баллы» shows their total (docs/loyalty.md). */
  familyWallet: z.boolean().default(false),
  /** Status levels by what a patient paid over the last `levelPeriodMonths` (src/domain/loyalty/levels); none: one rate for all. */
  levels: z.array(loyaltyLevelSchema).max(8, { error: says("maxLevels") }).default([]),
  /** The window of payments a level counts, and how long a level reached holds. */
  levelPeriodMonths: z.number().int().min(1).max(36).default(12),
  /** A lower level is announced this many days before it takes effect. */
  levelNoticeDays: z.number().int().min(1).max(90).default(14),
  /** Days a gift certificate stays valid unless the issuer names its own term. */
  certificateValidDays: z.number().int().min(1).max(3650).default(365),
}).superRefine((rules, ctx) => {
  refineUniqueIds(rules.levels, "levels", ctx);
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
  /** Visit reminders and the staff's calls for unconfirmed visits: often, each reminder goes near its own time. */
  visitReminders: cron.default("*/5 * * * *"),
  /** Offers of freed slots to the waitlist, batch after batch. */
  waitlist: cron.default("*/5 * * * *"),
  timers: cron.default("* * * * *"),
});

/** When a reminder goes before a visit: a day (or more) before at a civil hour, or some hours before. */
export const reminderOffsetSchema = z.union([
  z.object({ daysBefore: wholeNumber("days", 1, 7), at: hhmm }).strict(),
  z.object({ hoursBefore: wholeNumber("hours", 1, 48) }).strict(),
], { error: says("reminderOffset") });
export type ReminderOffset = z.infer<typeof reminderOffsetSchema>;

export const visitRemindersSchema = z.object({
  /** In the patient's time zone; each is sent once per appointment. */
  offsets: z.array(reminderOffsetSchema).max(4, { error: says("maxReminders") }).default([{ daysBefore: 1, at: "12:00" }, { hoursBefore: 2 }]),
  /** A visit still unconfirmed this many hours before it starts becomes a call for the staff. */
  confirmByHours: z.number().int().min(1).max(48).default(3),
});

/** A reactivation campaign: a start-flow message to every patient of a segment, once. */
export const campaignSchema = z
  .object({
    id: settingsId(),
    title: z.string().trim().min(1, { error: says("campaignTitle") }),
    /** The id of a segment in `segments`. */
    segment: settingsId(),
    /** The flow each patient is started on; it declares `scheduled: ["campaign"]`. */
    flow: z.string().regex(/^[a-z][a-zA-Z0-9_-]*$/, { error: says("flowId") }).default("reactivation"),
    offer: z
      .object({
        /** Shown in the message as it is ("−15 % на профессиональную гигиену до конца февраля"). */
        text: z.string().trim().min(1, { error: says("offerTextEmpty") }).max(500).optional(),
        /** The same offer for patients who read English; without it they get `text`. */
        textEn: z.string().trim().min(1, { error: says("offerTextEmpty") }).max(500).optional(),
        bonusPoints: z.number({ error: says("pointsAtLeast", { min: 1 }) }).int({ error: says("pointsAtLeast", { min: 1 }) }).min(1, { error: says("pointsAtLeast", { min: 1 }) }).optional(),
        validDays: wholeNumber("days", 1, 365).optional(),
      })
      .strict()
      .optional(),
    /** When to run it by itself (five-field cron, the clinic's time zone); without it, run by hand. */
    // CareBot's own reader must accept it; whether node-cron can run it too is the scheduler's to say
    // when the document is saved (SettingsChecks, settings-document.ts).
    schedule: cron.refine((e) => explainCron(e, "en").ok, { error: says("cronInvalid") }).optional(),
    /** A completed visit this many days after the message counts as the patient coming back. */
    cameBackWithinDays: wholeNumber("days", 1, 730).default(60),
  })
  .strict();

export type Campaign = z.infer<typeof campaignSchema>;

/** The settings document's format version (`formatVersion`), written into every document saved. */
export const SETTINGS_FORMAT_VERSION = 2;

/**
 * An approved WhatsApp Cloud API template that stands in for a message outside WhatsApp's 24-hour
 * service window. `params` fill the template's body {{1}}, {{2}}… in order; each is Handlebars
 * rendered with the message's own view ("{{patient.firstName}}", "{{dateTime result.visit.startsAt}}").
 */
export const whatsappTemplateSchema = z
  .object({
    name: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, { error: says("whatsappTemplateName") }),
    language: z.string().trim().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, { error: says("whatsappTemplateLanguage") }).default("ru"),
    params: z.array(z.string().min(1)).max(20).default([]),
  })
  .strict();
export type WhatsAppTemplate = z.infer<typeof whatsappTemplateSchema>;

/** Keyed by the message's text key ("visit.reminder"): the kind of message the template replaces. */
const messageKind = z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, { error: says("messageKind") });

/** The messengers a message can move between, in the order the clinic prefers (web is the preview's). */
export const FAILOVER_CHANNELS = ["telegram", "max", "whatsapp"] as const;
export type FailoverChannel = (typeof FAILOVER_CHANNELS)[number];

/** The clinic's order of messengers: each named at most once; one left out is tried after those named. */
export const channelOrderSchema = z
  .array(z.string().trim().toLowerCase().pipe(z.enum(FAILOVER_CHANNELS, { error: says("channelName") })))
  .min(1)
  .max(FAILOVER_CHANNELS.length)
  .refine((list) => new Set(list).size === list.length, { error: says("channelOrderUnique") });

export const clinicSettingsSchema = z.object({
  /** The document's format; one without it is format 1 and is upgraded when read (settingsFormat). */
  formatVersion: z.literal(SETTINGS_FORMAT_VERSION).default(SETTINGS_FORMAT_VERSION),
  address: z.string().default(""),
  /** The clinic's phone in E.164, for patients to call and for wa.me links. */
  phone: z.string().default(""),
  /** Kept for documents written before `reviewLinks`; the first review link wins over it (see reviewLinkOf). */
  reviewUrl: z.url().optional(),
  /** Where patients leave a review (Yandex Maps, 2GIS, ProDoctorov…), edited on the clinic's page. */
  // No words of its own: zod's error map says «не может быть пустым», «не больше 8 элементов» in the reader's language.
  reviewLinks: z.array(z.object({ label: z.string().trim().min(1), url: z.url() }).strict()).max(8).default([]),
  /**
   * A doctor's own review pages (ProDoctorov…), by the doctor's name as the MIS sends it: they win
   * over the branch's and the clinic's links for a visit with that doctor (src/domain/reviews/sites.ts).
   */
  doctorReviewLinks: z.record(z.string().trim().min(1), z.array(z.object({ label: z.string().trim().min(1), url: z.url() }).strict()).min(1).max(8)).default({}),
  /** The Telegram bot's username (without @), for referral deep links t.me/<bot>?start=ref_<code>. */
  telegramBot: z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{4,31}$/, { error: says("telegramBot") }).optional(),
  /** The MAX bot's name in its link max.ru/<bot>, for referral deep links max.ru/<bot>?start=ref_<code>. */
  maxBot: z.string().regex(/^@?[A-Za-z0-9][A-Za-z0-9_]{2,63}$/, { error: says("maxBot") }).optional(),
  bonus: bonusRulesSchema.prefault({}),
  quietHours: quietHoursSchema.prefault({}),
  /** Marketing messages per patient: at most one in this many days. */
  marketingCapDays: z.number().int().min(0).default(3),
  /**
   * Which messenger a message goes to when the patient has several: the one they last answered on
   * (if it can take the message now), else the first reachable one of this order; a message that
   * fails for good on one moves to the next (src/domain/patients/pick-channel.ts, docs/delivery.md).
   */
  channelOrder: channelOrderSchema.default(["telegram", "max", "whatsapp"]),
  schedules: schedulesSchema.prefault({}),
  birthdayWindow: z
    .object({ daysBefore: z.number().int().min(0).max(30).default(0), daysAfter: z.number().int().min(0).max(30).default(7) })
    .prefault({}),
  npsDelayMinutes: z.number().int().min(0).default(120),
  /**
   * What is too old to say (a late sync, a visit from the past): the NPS survey is not sent for a
   * visit that ended more than `nps` days ago, the check-in not for one more than `checkin` days
   * ago, a follow-up's rebooking nudge not once it is `followUp` days past due. Each one skipped is
   * counted (the API's answer, the dashboard's reminders).
   */
  staleAfterDays: z
    .object({
      nps: z.number().int().min(1).max(90).default(3),
      checkin: z.number().int().min(1).max(30).default(2),
      followUp: z.number().int().min(1).max(730).default(60),
    })
    .prefault({}),
  followUp: z
    .object({ maxAttempts: z.number().int().min(1).max(10).default(3), gapDays: z.array(z.number().int().min(0)).default([0, 3, 7]) })
    .prefault({}),
  sla: z
    .object({
      /** Health complaints: calendar minutes, day and night. */
      urgentMinutes: z.number().int().min(1).default(30),
      /** The others count working hours of the clinic's calendar only. */
      highHours: z.number().int().min(1).default(4),
      normalHours: z.number().int().min(1).default(24),
      lowHours: z.number().int().min(1).default(72),
      /** A patient asking to book (a time the bot could not offer): working hours, short on purpose. */
      bookingHours: z.number().int().min(1).max(72).default(2),
    })
    .prefault({}),
  /** Working days and hours per weekday, holidays: what SLAs and "вам ответят до …" count. */
  calendar: calendarSchema.prefault({}),
  visitReminders: visitRemindersSchema.prefault({}),
  waitlist: z
    .object({
      /** How many waiting patients are offered a freed slot at once (the first to tap books it). */
      batchSize: z.number().int().min(1).max(50).default(5),
      /** How long a batch has to answer before the next one is offered the same slot. */
      batchMinutes: z.number().int().min(1).max(24 * 60).default(10),
    })
    .prefault({}),
  cannedReplies: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), text: z.string().min(1) })).default([]),
  /** Named sets of patients (src/domain/segments); campaigns address them by id. */
  segments: z.array(segmentSchema).default([]),
  campaigns: z.array(campaignSchema).default([]),
  /** WhatsApp Cloud API only: message kind → the approved template sent instead outside the 24-hour window. */
  whatsappTemplates: z.record(messageKind, whatsappTemplateSchema).default({}),
}).superRefine((settings, ctx) => {
  refineUniqueIds(settings.segments, "segments", ctx);
  refineUniqueIds(settings.campaigns, "campaigns", ctx);
  const segments = new Set(settings.segments.map((s) => s.id));
  settings.campaigns.forEach((c, i) => {
    if (!segments.has(c.segment)) {
      const known = [...segments].join(", ");
      ctx.addIssue({ code: "custom", path: ["campaigns", i, "segment"], params: saysParams(known ? "unknownSegment" : "unknownSegmentNone", { segment: c.segment, known }) });
    }
  });
  // Whether each canned reply is a usable template is the template engine's to say (SettingsChecks).
  refineUniqueIds(settings.cannedReplies, "cannedReplies", ctx);
});

export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;

/** The review address texts give patients: the first review link, else the older single `reviewUrl`, else "". */
export function reviewLinkOf(settings: Pick<ClinicSettings, "reviewLinks" | "reviewUrl">): string {
  return settings.reviewLinks[0]?.url ?? settings.reviewUrl ?? "";
}
export type ClinicSettingsInput = z.input<typeof clinicSettingsSchema>;

/**
 * 1 → 2: a document written before the working calendar: `sla.businessHours` were the hours of
 * every day; they become the hours of Monday to Friday (and Saturday and Sunday stay off).
 */
const businessHoursToCalendar: UpgradeStep = (doc) => {
  if (typeof doc.sla !== "object" || doc.sla === null || !("businessHours" in doc.sla)) return doc;
  const { businessHours, ...sla } = doc.sla as { businessHours?: { start?: string; end?: string } };
  const upgraded: Record<string, unknown> = { ...doc, sla };
  const calendar = (typeof doc.calendar === "object" && doc.calendar !== null ? doc.calendar : {}) as Record<string, unknown>;
  if (!("week" in calendar) && businessHours && typeof businessHours === "object") {
    const hours = { start: businessHours.start ?? "09:00", end: businessHours.end ?? "20:00" };
    upgraded.calendar = { ...calendar, week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: null, sun: null } };
  }
  return upgraded;
};

/** The settings document's upgrade chain: a change of its shape adds a step and a fixture (test/fixtures/formats/settings/). */
export const settingsFormat = new StoredFormat({ name: "clinic settings", field: "formatVersion", schema: clinicSettingsSchema, steps: [businessHoursToCalendar] });
if (settingsFormat.current !== SETTINGS_FORMAT_VERSION) throw new Error("SETTINGS_FORMAT_VERSION must be the settings format's last version");

/** A stored or submitted document brought to the current format (not validated); throws FormatVersionError for one newer than this code. */
export function upgradeSettingsDocument(raw: unknown): unknown {
  return settingsFormat.upgrade(raw);
}

/** Parses a stored or submitted settings document; throws a ZodError with field paths (or FormatVersionError). */
export function parseClinicSettings(raw: unknown): ClinicSettings {
  return settingsFormat.read(raw ?? {});
}
