// A segment as a typed query: its conditions on the patient `p` and their bonus account `b` (LEFT
// JOIN: one row per patient, an account or none), with the rules every segment obeys. The segment's
// definition and its calendar arithmetic are the domain's (src/domain/segments/compile.ts turns a
// segment into the plain criteria below); this is the SQL. One statement per question, no loop
// over patients. The domain calls this layer, never the other way round.
import { expressionBuilder } from "kysely";
import type { Expression, SqlBool } from "kysely";
import type { Database } from "../client.ts";
import { typedSql } from "../kysely/index.ts";
import type { TypedSql } from "../kysely/index.ts";
import { jsonTextElementIn, text, toNumber } from "../kysely/differences.ts";
import { mayBeWritten, optedOut, reachable } from "./patient-rules.ts";

/** A segment on a given day, as conditions with every date already on the clinic's calendar. */
export interface SegmentCriteria {
  clinicId: number;
  /** An age condition: only patients with a birth date, within these bounds ("YYYY-MM-DD", inclusive). */
  age?: { bornOnOrBefore?: string; bornOnOrAfter?: string };
  tagsAny?: string[];
  sourceIn?: string[];
  /** Last completed visit before this instant. */
  lastVisitBefore?: Date;
  serviceCategoryAny?: string[];
  openFollowUp?: boolean;
  /** Birthday within a window: Patient.birthMonthDay ranges, or "any" for a whole year. */
  birthdayIn?: [number, number][] | "any";
  balanceAtLeast?: number;
}

/** The clinic's patients with their bonus account, before any condition. */
function segmentFrom(q: TypedSql) {
  return q.selectFrom("Patient as p").leftJoin("BonusAccount as b", "b.patientId", "p.id");
}

export interface SegmentQuery {
  /** The segment: its conditions and the rules (not opted out, a reachable chat). */
  members: ReturnType<typeof segmentFrom>;
  /** The patients matching the conditions alone, without the rules: for a preview's "why not more". */
  matching: ReturnType<typeof segmentFrom>;
}

/** The segment's conditions, ANDed, on `p` and `b`. */
function segmentConditions(q: TypedSql, segment: SegmentCriteria): Expression<SqlBool> {
  const eb = expressionBuilder(segmentFrom(q));
  const conditions: Expression<SqlBool>[] = [eb("p.clinicId", "=", segment.clinicId)];

  if (segment.age) {
    const { bornOnOrBefore, bornOnOrAfter } = segment.age;
    // Dates as "YYYY-MM-DD" text compare as dates do; a patient without one has no age.
    conditions.push(eb("p.birthDate", "is not", null));
    if (bornOnOrBefore) conditions.push(eb("p.birthDate", "<=", bornOnOrBefore));
    if (bornOnOrAfter) conditions.push(eb("p.birthDate", ">=", bornOnOrAfter));
  }
  if (segment.tagsAny) conditions.push(jsonTextElementIn(q.provider, eb.ref("p.tags"), segment.tagsAny));
  if (segment.sourceIn) conditions.push(eb("p.source", "in", segment.sourceIn));
  const cutoff = segment.lastVisitBefore;
  if (cutoff) conditions.push(eb.and([eb("p.lastCompletedVisitAt", "is not", null), eb("p.lastCompletedVisitAt", "<", cutoff)]));
  if (segment.serviceCategoryAny) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("Visit as v")
          .select(eb.lit(1).as("one"))
          .whereRef("v.patientId", "=", "p.id")
          .where("v.status", "=", "completed")
          .where("v.serviceCategory", "in", segment.serviceCategoryAny),
      ),
    );
  }
  if (segment.openFollowUp !== undefined) {
    const open = eb.exists(eb.selectFrom("FollowUp as f").select(eb.lit(1).as("one")).whereRef("f.patientId", "=", "p.id").where("f.status", "=", "open"));
    conditions.push(segment.openFollowUp ? open : eb.not(open));
  }
  if (segment.birthdayIn !== undefined) {
    const ranges = segment.birthdayIn;
    conditions.push(
      ranges === "any"
        ? eb("p.birthMonthDay", "is not", null)
        : eb.or(ranges.map(([from, to]) => eb.between("p.birthMonthDay", from, to))),
    );
  }
  if (segment.balanceAtLeast !== undefined) conditions.push(eb(eb.fn.coalesce("b.balance", eb.lit(0)), ">=", segment.balanceAtLeast));
  return eb.and(conditions);
}

/** The segment as queries over `p` and `b`, for callers that select their own columns. */
export function segmentQuery(q: TypedSql, segment: SegmentCriteria): SegmentQuery {
  const matching = segmentFrom(q).where(segmentConditions(q, segment));
  return { matching, members: matching.where(mayBeWritten) };
}

/** How many patients are in the segment: one statement. */
export async function countSegment(db: Database, segment: SegmentCriteria): Promise<number> {
  const row = await segmentQuery(typedSql(db), segment)
    .members.select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return toNumber(row?.n);
}

/** The patients matching the conditions, and why those left out of the segment are. */
export interface SegmentBreakdown {
  /** Patients matching the segment's conditions. */
  matching: number;
  /** Of those, opted out of messages. */
  optedOut: number;
  /** Of those (not opted out), without a chat CareBot can write to. */
  noReachableChat: number;
  /** The segment: matching, minus the two above. */
  size: number;
}

/** The segment's size and what the rules left out, in one statement. */
export async function segmentBreakdown(db: Database, segment: SegmentCriteria): Promise<SegmentBreakdown> {
  const q = typedSql(db);
  const outcomes = segmentQuery(q, segment).matching.select((eb) =>
    eb.case().when(optedOut).then(text("optedOut")).when(eb.not(reachable)).then(text("noReachableChat")).else(text("size")).end().as("outcome"),
  );
  const rows = await q
    .selectFrom(outcomes.as("t"))
    .select((eb) => ["t.outcome", eb.fn.countAll().as("n")])
    .groupBy("t.outcome")
    .execute();
  const result: SegmentBreakdown = { matching: 0, optedOut: 0, noReachableChat: 0, size: 0 };
  for (const r of rows) {
    const n = toNumber(r.n);
    result[r.outcome as "optedOut" | "noReachableChat" | "size"] = n;
    result.matching += n;
  }
  return result;
}

export interface SegmentPatient {
  id: number;
  externalId: string;
  fullName: string;
  /** E.164, or null when the clinic does not have it. */
  phone: string | null;
  lastCompletedVisitAt: Date | null;
  /** Bonus points (0 without an account). */
  balance: number;
}

/** Up to `limit` patients of the segment, the longest-absent first (never visited last), in one statement. */
export async function sampleSegment(db: Database, segment: SegmentCriteria, limit: number): Promise<SegmentPatient[]> {
  const rows = await segmentQuery(typedSql(db), segment)
    .members.select((eb) => [
      "p.id",
      "p.externalId",
      "p.fullName",
      "p.phone",
      "p.lastCompletedVisitAt",
      eb.fn.coalesce("b.balance", eb.lit(0)).as("balance"),
    ])
    .orderBy((eb) => eb.case().when("p.lastCompletedVisitAt", "is", null).then(eb.lit(1)).else(eb.lit(0)).end())
    .orderBy("p.lastCompletedVisitAt")
    .orderBy("p.id")
    .limit(Math.max(0, Math.floor(limit)))
    .execute();
  return rows.map((r) => ({
    id: toNumber(r.id),
    externalId: r.externalId,
    fullName: r.fullName,
    phone: r.phone ?? null,
    lastCompletedVisitAt: toDate(r.lastCompletedVisitAt),
    balance: toNumber(r.balance),
  }));
}

/** A DateTime column as the rows bring it: a Date, or ISO text where the type is not declared. */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}
