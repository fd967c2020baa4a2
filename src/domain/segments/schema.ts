import { DateTime } from "luxon";
import { z } from "zod";

// A segment is a named set of the clinic's patients, declared in the clinic's settings and built
// from patient data: every condition given must hold (they are ANDed); a segment with none is
// every patient the clinic may write to. Opted-out patients and patients with no reachable chat
// are never in a segment, whatever its conditions.

/** Segment and campaign ids: short, lowercase, safe inside an idempotency key. */
export const SETTINGS_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const settingsId = (what: string) =>
  z.string({ message: `${what} must be text` }).regex(SETTINGS_ID, `${what} must be 1–64 lowercase letters, digits, - or _ (e.g. "sleeping-adults")`);

const nonEmptyList = (what: string) =>
  z
    .array(z.string({ message: `each ${what} must be text` }).trim().min(1, `a ${what} cannot be empty`), { message: `must be a list of ${what}s` })
    .min(1, `must list at least one ${what} (leave the field out to not filter by it)`);

const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .number({ message: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`);

const calendarDate = z
  .string({ message: 'must be a date "YYYY-MM-DD"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine((d) => DateTime.fromISO(d).isValid, "is not a real calendar date");

export const segmentSchema = z
  .object({
    id: settingsId("a segment id"),
    title: z.string({ message: "must be text" }).trim().min(1, "a segment needs a title"),
    /** Age in whole years on the clinic's today, from Patient.birthDate; patients without one are left out. */
    ageMin: wholeNumber(0, 150, "years").optional(),
    ageMax: wholeNumber(0, 150, "years").optional(),
    /** Patients with at least one of these tags. */
    tagsAny: nonEmptyList("tag").optional(),
    /** Patients who came from one of these sources (Patient.source). */
    sourceIn: nonEmptyList("source").optional(),
    /** The last completed visit was before this date (the clinic's calendar); never-visited patients are left out. */
    lastVisitBefore: calendarDate.optional(),
    /** The last completed visit was more than this many months before today; never-visited patients are left out. */
    lastVisitOlderThanMonths: wholeNumber(1, 240, "months").optional(),
    /** Patients with a completed visit in one of these service categories. */
    serviceCategoryAny: nonEmptyList("service category").optional(),
    /** true: a recommended follow-up is still open (treatment not finished); false: none is. */
    openFollowUp: z.boolean({ message: "must be true or false" }).optional(),
    /** Birthday from today to this many days ahead (0 = today), on the clinic's calendar. */
    birthdayWithinDays: wholeNumber(0, 365, "days").optional(),
    /** At least this many bonus points (a patient without an account has 0). */
    balanceAtLeast: wholeNumber(0, 100_000_000, "points").optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.ageMin !== undefined && s.ageMax !== undefined && s.ageMin > s.ageMax) {
      ctx.addIssue({ code: "custom", path: ["ageMax"], message: `must not be below ageMin (${s.ageMin})` });
    }
  });

export type Segment = z.infer<typeof segmentSchema>;
export type SegmentInput = z.input<typeof segmentSchema>;

/** Adds an issue for each id used twice in a list of settings entries (segments, campaigns). */
export function refineUniqueIds(items: readonly { id: string }[], path: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) ctx.addIssue({ code: "custom", path: [path, i, "id"], message: `"${item.id}" is already the id of ${path}[${first}]` });
    else seen.set(item.id, i);
  });
}
