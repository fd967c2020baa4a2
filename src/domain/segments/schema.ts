import { DateTime } from "luxon";
import { z } from "zod";
import { says, saysParams } from "../../i18n/zod.ts";

// A segment is a named set of the clinic's patients, declared in the clinic's settings and built
// from patient data: every condition given must hold (they are ANDed); a segment with none is
// every patient the clinic may write to. Opted-out patients and patients with no reachable chat
// are never in a segment, whatever its conditions.

/** Segment and campaign ids: short, lowercase, safe inside an idempotency key. */
export const SETTINGS_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const settingsId = () => z.string().regex(SETTINGS_ID, { error: says("settingsId") });

const nonEmptyList = () => z.array(z.string().trim().min(1)).min(1, { error: says("nonEmptyFilter") });

/** A whole number of `unit` from min to max; every way of missing it gets the same message, naming the unit and the range. */
export const wholeNumber = (unit: "years" | "months" | "days" | "hours" | "points", min: number, max: number) => {
  const error = says(unit, { min, max });
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: says("date") })
  .refine((d) => DateTime.fromISO(d).isValid, { error: says("realDate") });

export const segmentSchema = z
  .object({
    id: settingsId(),
    title: z.string().trim().min(1, { error: says("segmentTitle") }),
    /** Age in whole years on the clinic's today, from Patient.birthDate; patients without one are left out. */
    ageMin: wholeNumber("years", 0, 150).optional(),
    ageMax: wholeNumber("years", 0, 150).optional(),
    /** Patients with at least one of these tags. */
    tagsAny: nonEmptyList().optional(),
    /** Patients who came from one of these sources (Patient.source). */
    sourceIn: nonEmptyList().optional(),
    /** The last completed visit was before this date (the clinic's calendar); never-visited patients are left out. */
    lastVisitBefore: calendarDate.optional(),
    /** The last completed visit was more than this many months before today; never-visited patients are left out. */
    lastVisitOlderThanMonths: wholeNumber("months", 1, 240).optional(),
    /** Patients with a completed visit in one of these service categories. */
    serviceCategoryAny: nonEmptyList().optional(),
    /** true: a recommended follow-up is still open (treatment not finished); false: none is. */
    openFollowUp: z.boolean().optional(),
    /** Birthday from today to this many days ahead (0 = today), on the clinic's calendar. */
    birthdayWithinDays: wholeNumber("days", 0, 365).optional(),
    /** At least this many bonus points (a patient without an account has 0). */
    balanceAtLeast: wholeNumber("points", 0, 100_000_000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.ageMin !== undefined && s.ageMax !== undefined && s.ageMin > s.ageMax) {
      ctx.addIssue({ code: "custom", path: ["ageMax"], params: saysParams("ageOrder", { ageMin: s.ageMin }) });
    }
  });

export type Segment = z.infer<typeof segmentSchema>;
export type SegmentInput = z.input<typeof segmentSchema>;

/** Adds an issue for each id used twice in a list of settings entries (segments, campaigns). */
export function refineUniqueIds(items: readonly { id: string }[], path: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) ctx.addIssue({ code: "custom", path: [path, i, "id"], params: saysParams("duplicateId", { id: item.id, n: first + 1 }) });
    else seen.set(item.id, i);
  });
}
