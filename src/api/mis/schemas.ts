// The MIS API's bodies and queries. The patient's lives in the domain: the CSV import shares it.
import { z } from "zod";
import { required, requiredText } from "../../domain/patients/upsert.ts";
import { SCHEMA_TEXT } from "../../i18n/schema-text.ts";
import { saysParams } from "../../i18n/zod.ts";
import { BRANCH_CODE } from "../../domain/branches/branch.ts";

export { patientInputSchema as patientBody } from "../../domain/patients/upsert.ts";

const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: "must be a JSON object" });

/** An ISO 8601 date-time with its offset ("2026-11-23T10:00:00+03:00" or "…Z"), as a Date. */
export const isoDateTime = z
  .string({ error: required("an ISO date-time") })
  .superRefine((v, ctx) => {
    if (z.iso.datetime({ offset: true }).safeParse(v).success) return;
    // A date-time without its offset is named as such: the MIS most likely forgot the zone.
    const key = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? "isoDateTimeOffset" : "isoDateTime";
    ctx.addIssue({ code: "custom", message: SCHEMA_TEXT.en[key], params: saysParams(key) });
  })
  .transform((v) => new Date(v));

const nullableText = (max: number) =>
  z
    .string({ error: "must be text" })
    .trim()
    .max(max, `is too long (${max} characters at most)`)
    .transform((v) => v || null)
    .nullable()
    .optional()
    .transform((v) => v ?? null);

/** The database's integer: about 21 million roubles in kopecks. */
export const MAX_AMOUNT = 2_147_483_647;

export const VISIT_STATUSES = ["scheduled", "completed", "missed", "cancelled"] as const;

const optionalTime = isoDateTime
  .nullish()
  .transform((v) => v ?? null);

/** The branch of a network the visit or slot is at, by its code (console: Clinic → Branches). */
const branchCode = z
  .string({ error: "must be a branch code (text)" })
  .trim()
  .regex(BRANCH_CODE, "must be a branch code: letters, digits, - _ . (40 at most)")
  .nullish()
  .transform((v) => v ?? null);

const visitFields = object({
  externalId: requiredText(100),
  branch: branchCode,
  patientExternalId: requiredText(100),
  doctor: requiredText(200),
  service: requiredText(200),
  serviceCategory: nullableText(100),
  isProcedure: z
    .boolean({ error: "must be true or false" })
    .nullish()
    .transform((v) => v ?? false),
  amount: z
    .number({ error: required("an amount in minor units (kopecks), a whole number") })
    .int("must be a whole number of minor units (kopecks)")
    .min(0, "must not be negative")
    .max(MAX_AMOUNT, `is too large (${MAX_AMOUNT} at most)`),
  status: z.enum(VISIT_STATUSES, { error: required(`one of ${VISIT_STATUSES.map((s) => `"${s}"`).join(", ")}`) }),
  startsAt: isoDateTime,
  /** When the visit ended; with `completedAt` the visit's own clock (its survey, check-in, points). */
  endsAt: optionalTime,
  completedAt: optionalTime,
  /** The MIS's time of this state: of two postings of one visit, the later `updatedAt` wins. */
  updatedAt: optionalTime,
  followUp: object({
    dueAt: isoDateTime,
    service: requiredText(200),
    doctor: nullableText(200),
  })
    .nullish()
    .transform((v) => v ?? undefined),
});

/** Only when both times parsed: a bad startsAt is reported once, as itself. */
const endsAfterStart = (v: { startsAt: unknown; endsAt?: unknown }, ctx: z.RefinementCtx) => {
  if (v.startsAt instanceof Date && v.endsAt instanceof Date && v.endsAt < v.startsAt) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must not be before startsAt" });
  }
};

const historyFlag = z
  .boolean({ error: "must be true or false" })
  .nullish()
  .transform((v) => v ?? false);

/** POST /api/visits: one visit; `history: true` records it without starting any conversation. */
export const visitBody = visitFields.extend({ history: historyFlag }).superRefine(endsAfterStart);

/** One visit of a batch, checked alone: a bad row is reported with its index and the others go on. */
export const batchVisit = visitFields.superRefine(endsAfterStart);

export const MAX_BATCH_VISITS = 1000;

/** POST /api/visits/batch: the rows are checked one by one (see batchVisit), the envelope here. */
export const visitBatchBody = object({
  history: historyFlag,
  visits: z
    .array(z.unknown(), { error: required("a list of visits") })
    .min(1, "must list at least one visit")
    .max(MAX_BATCH_VISITS, `has too many visits (${MAX_BATCH_VISITS} at most per request)`),
});

export const MAX_SLOTS = 1000;

export const slotsBody = object({
  slots: z
    .array(
      object({
        externalId: requiredText(100),
        doctor: requiredText(200),
        service: requiredText(200),
        startsAt: isoDateTime,
        endsAt: isoDateTime,
        branch: branchCode,
      }).superRefine((s, ctx) => {
        // Only when both times parsed: a bad startsAt is reported once, as itself.
        if (s.startsAt instanceof Date && s.endsAt instanceof Date && s.endsAt <= s.startsAt) {
          ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
        }
      }),
      { error: required("a list of slots") },
    )
    .max(MAX_SLOTS, `has too many slots (${MAX_SLOTS} at most per request)`)
    .superRefine((slots, ctx) => {
      const seen = new Map<string, number>();
      slots.forEach((s, i) => {
        const first = seen.get(s.externalId);
        if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "externalId"], message: `"${s.externalId}" is already slot ${first}` });
        else seen.set(s.externalId, i);
      });
    }),
});

export const appointmentsQuery = object({
  since: isoDateTime,
  status: z.enum(["booked", "cancelled"], { error: 'must be "booked" or "cancelled"' }).optional(),
});

export const escalationsQuery = object({
  status: z.enum(["open", "taken", "resolved"], { error: 'must be "open", "taken" or "resolved"' }).default("open"),
});

export const patientParams = object({ externalId: requiredText(100) });
