// A segment's calendar: ages, birthdays and "before a date" on the clinic's calendar. The SQL
// built from them is src/db/queries/segments.ts.
import { DateTime } from "luxon";
import type { SegmentCriteria } from "../../db/queries/segments.ts";
import type { Segment } from "./schema.ts";

/** Where and when a segment is built: the clinic's patients, on the clinic's calendar. */
export interface SegmentScope {
  clinicId: number;
  /** The clinic's IANA zone: "today", ages, birthdays and "before a date" are on its calendar. */
  timezone: string;
  now: Date;
}

/** The birth-date bounds ("YYYY-MM-DD", inclusive) for an age range on `today`. */
export function birthDateBounds(today: DateTime, ageMin?: number, ageMax?: number): { bornOnOrBefore?: string; bornOnOrAfter?: string } {
  const day = today.startOf("day");
  return {
    // `ageMin` years old today: born on or before today's date `ageMin` years ago. Luxon moves
    // 29 February to the 28th in other years, so such a patient comes of age on 1 March there.
    ...(ageMin !== undefined ? { bornOnOrBefore: day.minus({ years: ageMin }).toISODate()! } : {}),
    // At most `ageMax`: not yet `ageMax + 1`, so born after that day.
    ...(ageMax !== undefined ? { bornOnOrAfter: day.minus({ years: ageMax + 1 }).plus({ days: 1 }).toISODate()! } : {}),
  };
}

/**
 * Patient.birthMonthDay values (month * 100 + day) from today to `days` ahead, as inclusive ranges
 * (two when the window crosses the year's end), or null for the whole year. 29 February birthdays
 * count on 28 February in years without one, as the birthday greeting does.
 */
export function birthdayRanges(today: DateTime, days: number): [number, number][] | null {
  const start = today.startOf("day");
  const end = start.plus({ days });
  if (days >= 365) return null;
  const md = (d: DateTime) => d.month * 100 + d.day;
  let to = md(end);
  if (to === 228 && !end.isInLeapYear) to = 229;
  const from = md(start);
  return from <= to ? [[from, to]] : [[from, 1231], [101, to]];
}

/** The last-visit cut-off: the earlier of the two conditions, as an instant (null: no condition). */
export function lastVisitCutoff(today: DateTime, segment: Pick<Segment, "lastVisitBefore" | "lastVisitOlderThanMonths">): Date | null {
  const cutoffs: DateTime[] = [];
  if (segment.lastVisitBefore) cutoffs.push(DateTime.fromISO(segment.lastVisitBefore, { zone: today.zone }).startOf("day"));
  if (segment.lastVisitOlderThanMonths !== undefined) cutoffs.push(today.startOf("day").minus({ months: segment.lastVisitOlderThanMonths }));
  if (cutoffs.length === 0) return null;
  return DateTime.min(...cutoffs)!.toJSDate();
}

/** The segment on the scope's day, as the plain criteria its SQL takes (src/db/queries/segments.ts). */
export function segmentCriteria(segment: Segment, scope: SegmentScope): SegmentCriteria {
  const today = DateTime.fromJSDate(scope.now, { zone: scope.timezone });
  if (!today.isValid) throw new Error(`the clinic's time zone "${scope.timezone}" is not a valid IANA zone`);
  const criteria: SegmentCriteria = { clinicId: scope.clinicId };
  if (segment.ageMin !== undefined || segment.ageMax !== undefined) criteria.age = birthDateBounds(today, segment.ageMin, segment.ageMax);
  if (segment.tagsAny) criteria.tagsAny = segment.tagsAny;
  if (segment.sourceIn) criteria.sourceIn = segment.sourceIn;
  const cutoff = lastVisitCutoff(today, segment);
  if (cutoff) criteria.lastVisitBefore = cutoff;
  if (segment.serviceCategoryAny) criteria.serviceCategoryAny = segment.serviceCategoryAny;
  if (segment.openFollowUp !== undefined) criteria.openFollowUp = segment.openFollowUp;
  if (segment.birthdayWithinDays !== undefined) criteria.birthdayIn = birthdayRanges(today, segment.birthdayWithinDays) ?? "any";
  if (segment.balanceAtLeast !== undefined) criteria.balanceAtLeast = segment.balanceAtLeast;
  return criteria;
}
