import type { Database } from "../../db/client.ts";
import { compileSegment, NOT_OPTED_OUT, REACHABLE } from "./compile.ts";
import type { SegmentScope } from "./compile.ts";
import type { Segment } from "./schema.ts";
import { SqlStatement as SqlParams, toNumber } from "../../db/sql-statement.ts";

/** How many patients are in the segment: one statement. */
export async function countSegment(db: Database, segment: Segment, scope: SegmentScope): Promise<number> {
  const params = new SqlParams(db.provider);
  const s = compileSegment(segment, scope, params);
  const rows = await params.run<{ n: unknown }[]>(db, `SELECT COUNT(*) AS "n" FROM ${s.from} WHERE ${s.where}`);
  return toNumber(rows[0]?.n);
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
export async function segmentBreakdown(db: Database, segment: Segment, scope: SegmentScope): Promise<SegmentBreakdown> {
  const params = new SqlParams(db.provider);
  const s = compileSegment(segment, scope, params);
  const rows = await params.run<{ outcome: string; n: unknown }[]>(
    db,
    `SELECT t."outcome" AS "outcome", COUNT(*) AS "n"
     FROM (
       SELECT CASE WHEN NOT (${NOT_OPTED_OUT}) THEN 'optedOut' WHEN NOT ${REACHABLE} THEN 'noReachableChat' ELSE 'size' END AS "outcome"
       FROM ${s.from} WHERE ${s.conditions}
     ) t
     GROUP BY t."outcome"`,
  );
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
export async function sampleSegment(db: Database, segment: Segment, scope: SegmentScope, limit: number): Promise<SegmentPatient[]> {
  const params = new SqlParams(db.provider);
  const s = compileSegment(segment, scope, params);
  const rows = await params.run<{ id: unknown; externalId: string; fullName: string; phone: string | null; lastVisit: unknown; balance: unknown }[]>(
    db,
    `SELECT p."id" AS "id", p."externalId" AS "externalId", p."fullName" AS "fullName", p."phone" AS "phone", p."lastCompletedVisitAt" AS "lastVisit", COALESCE(b."balance", 0) AS "balance"
     FROM ${s.from} WHERE ${s.where}
     ORDER BY CASE WHEN p."lastCompletedVisitAt" IS NULL THEN 1 ELSE 0 END, p."lastCompletedVisitAt", p."id"
     LIMIT ${params.value(Math.max(0, Math.floor(limit)))}`,
  );
  return rows.map((r) => ({
    id: toNumber(r.id),
    externalId: r.externalId,
    fullName: r.fullName,
    phone: r.phone ?? null,
    lastCompletedVisitAt: toDate(r.lastVisit),
    balance: toNumber(r.balance),
  }));
}

/** A DateTime column read through raw SQL: a Date (PostgreSQL) or ISO text (SQLite). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}
