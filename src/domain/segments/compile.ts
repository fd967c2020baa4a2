import { DateTime } from "luxon";
import type { Segment } from "./schema.ts";
import type { SqlStatement as SqlParams } from "../../db/sql-statement.ts";
import { jsonTextElements } from "../../db/sql-statement.ts";

/** Where and when a segment is built: the clinic's patients, on the clinic's calendar. */
export interface SegmentScope {
  clinicId: number;
  /** The clinic's IANA zone: "today", ages, birthdays and "before a date" are on its calendar. */
  timezone: string;
  now: Date;
}

/**
 * A segment as SQL: `FROM <from> WHERE <where>`, the patient aliased `p` and their bonus account
 * `b` (LEFT JOIN: one row per patient, an account or none). No loop over patients.
 */
export interface CompiledSegment {
  from: string;
  /** The segment: its conditions and the rules (not opted out, a reachable chat). */
  where: string;
  /** The segment's conditions alone, without the rules: for a preview's "why not more". */
  conditions: string;
}

export const SEGMENT_FROM = `"Patient" p LEFT JOIN "BonusAccount" b ON b."patientId" = p."id"`;

/** The rules every segment obeys: the patient may be written to, through a chat that still takes messages. */
export const NOT_OPTED_OUT = `p."optedOutAt" IS NULL`;
// The web preview is not a channel CareBot writes to first.
export const REACHABLE = `EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."patientId" = p."id" AND i."unreachableAt" IS NULL AND i."channel" <> 'web')`;

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

/** Compiles a segment into one WHERE clause over `SEGMENT_FROM`, its values added to `params`. */
export function compileSegment(segment: Segment, scope: SegmentScope, params: SqlParams): CompiledSegment {
  const today = DateTime.fromJSDate(scope.now, { zone: scope.timezone });
  if (!today.isValid) throw new Error(`the clinic's time zone "${scope.timezone}" is not a valid IANA zone`);
  const conditions: string[] = [`p."clinicId" = ${params.value(scope.clinicId)}`];

  if (segment.ageMin !== undefined || segment.ageMax !== undefined) {
    const { bornOnOrBefore, bornOnOrAfter } = birthDateBounds(today, segment.ageMin, segment.ageMax);
    // Dates as "YYYY-MM-DD" text compare as dates do; a patient without one has no age.
    conditions.push(`p."birthDate" IS NOT NULL`);
    if (bornOnOrBefore) conditions.push(`p."birthDate" <= ${params.value(bornOnOrBefore)}`);
    if (bornOnOrAfter) conditions.push(`p."birthDate" >= ${params.value(bornOnOrAfter)}`);
  }
  if (segment.tagsAny) {
    conditions.push(`EXISTS (SELECT 1 FROM ${jsonTextElements(params.provider, `p."tags"`)} WHERE t.v IN (${params.list(segment.tagsAny)}))`);
  }
  if (segment.sourceIn) conditions.push(`p."source" IN (${params.list(segment.sourceIn)})`);
  const cutoff = lastVisitCutoff(today, segment);
  if (cutoff) conditions.push(`p."lastCompletedVisitAt" IS NOT NULL AND p."lastCompletedVisitAt" < ${params.time(cutoff)}`);
  if (segment.serviceCategoryAny) {
    conditions.push(
      `EXISTS (SELECT 1 FROM "Visit" v WHERE v."patientId" = p."id" AND v."status" = 'completed' AND v."serviceCategory" IN (${params.list(segment.serviceCategoryAny)}))`,
    );
  }
  if (segment.openFollowUp !== undefined) {
    conditions.push(`${segment.openFollowUp ? "" : "NOT "}EXISTS (SELECT 1 FROM "FollowUp" f WHERE f."patientId" = p."id" AND f."status" = 'open')`);
  }
  if (segment.birthdayWithinDays !== undefined) {
    const ranges = birthdayRanges(today, segment.birthdayWithinDays);
    conditions.push(
      ranges === null
        ? `p."birthMonthDay" IS NOT NULL`
        : `(${ranges.map(([from, to]) => `p."birthMonthDay" BETWEEN ${params.value(from)} AND ${params.value(to)}`).join(" OR ")})`,
    );
  }
  if (segment.balanceAtLeast !== undefined) conditions.push(`COALESCE(b."balance", 0) >= ${params.value(segment.balanceAtLeast)}`);

  const where = conditions.map((c) => `(${c})`).join(" AND ");
  return { from: SEGMENT_FROM, conditions: where, where: `${where} AND ${NOT_OPTED_OUT} AND ${REACHABLE}` };
}
