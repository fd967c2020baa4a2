// Escalations for the dashboard: what waits now (by priority), what broke the SLA, and how fast
// the team takes and resolves them (medians over the last 30 days, computed in the database).
import type { Database } from "../../db/client.ts";
import { SqlStatement, toNumber } from "../../db/sql-statement.ts";
import type { DashboardPeriods } from "./periods.ts";

export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface EscalationFigures {
  /** Unresolved escalations per priority: waiting for someone (open) or in someone's hands (taken). */
  byPriority: { priority: Priority; open: number; taken: number; overdue: number }[];
  /** Open (nobody took them) and past their SLA now, as the queue marks them overdue. */
  overdueNow: number;
  /** Resolved in the last 30 days, and of those resolved after their SLA. */
  resolvedLast30Days: number;
  resolvedLateLast30Days: number;
  /** Median seconds from opening to being taken / resolved, over the last 30 days; null with none. */
  medianTakeSeconds: number | null;
  medianResolveSeconds: number | null;
}

/** Seconds between two DateTime columns (SQLite keeps them as ISO text, PostgreSQL as timestamps). */
function secondsBetween(s: SqlStatement, from: string, to: string): string {
  return s.pg ? `EXTRACT(EPOCH FROM (${to} - ${from}))` : `((julianday(${to}) - julianday(${from})) * 86400.0)`;
}

/** The median of `seconds` over the escalations matching `where`: the middle row(s) by ROW_NUMBER. */
async function medianSeconds(db: Database, clinicId: number, column: "takenAt" | "resolvedAt", periods: DashboardPeriods): Promise<number | null> {
  const s = new SqlStatement(db.provider);
  const [row] = await s.run<{ median: unknown }[]>(
    db,
    `SELECT AVG(d."seconds") AS "median" FROM (
       SELECT x."seconds", ROW_NUMBER() OVER (ORDER BY x."seconds") AS "rn", COUNT(*) OVER () AS "n"
       FROM (SELECT ${secondsBetween(s, `e."createdAt"`, `e."${column}"`)} AS "seconds" FROM "Escalation" e
             WHERE e."clinicId" = ${s.value(clinicId)} AND e."${column}" IS NOT NULL
               AND e."${column}" >= ${s.time(periods.recentFrom)} AND e."${column}" <= ${s.time(periods.now)}) x
     ) d
     WHERE d."rn" IN ((d."n" + 1) / 2, (d."n" + 2) / 2)`,
  );
  return row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median));
}

export async function escalationFigures(db: Database, clinicId: number, periods: DashboardPeriods): Promise<EscalationFigures> {
  const waiting = new SqlStatement(db.provider);
  const resolved = new SqlStatement(db.provider);
  const [rows, [late], medianTakeSeconds, medianResolveSeconds] = await Promise.all([
    waiting.run<{ priority: string; status: string; n: unknown; overdue: unknown }[]>(
      db,
      `SELECT CAST(e."priority" AS TEXT) AS "priority", CAST(e."status" AS TEXT) AS "status", COUNT(*) AS "n",
              COALESCE(SUM(CASE WHEN e."status" = 'open' AND e."slaDueAt" <= ${waiting.time(periods.now)} THEN 1 ELSE 0 END), 0) AS "overdue"
       FROM "Escalation" e
       WHERE e."clinicId" = ${waiting.value(clinicId)} AND e."status" IN ('open', 'taken')
       GROUP BY 1, 2`,
    ),
    resolved.run<{ resolved: unknown; late: unknown }[]>(
      db,
      `SELECT COUNT(*) AS "resolved", COALESCE(SUM(CASE WHEN e."resolvedAt" > e."slaDueAt" THEN 1 ELSE 0 END), 0) AS "late"
       FROM "Escalation" e
       WHERE e."clinicId" = ${resolved.value(clinicId)} AND e."status" = 'resolved'
         AND e."resolvedAt" >= ${resolved.time(periods.recentFrom)} AND e."resolvedAt" <= ${resolved.time(periods.now)}`,
    ),
    medianSeconds(db, clinicId, "takenAt", periods),
    medianSeconds(db, clinicId, "resolvedAt", periods),
  ]);
  const byPriority = PRIORITIES.map((priority) => ({ priority, open: 0, taken: 0, overdue: 0 }));
  for (const r of rows) {
    const p = byPriority.find((b) => b.priority === r.priority);
    if (!p) continue;
    if (r.status === "open") p.open += toNumber(r.n);
    else p.taken += toNumber(r.n);
    p.overdue += toNumber(r.overdue);
  }
  return {
    byPriority,
    overdueNow: byPriority.reduce((sum, p) => sum + p.overdue, 0),
    resolvedLast30Days: toNumber(late?.resolved),
    resolvedLateLast30Days: toNumber(late?.late),
    medianTakeSeconds,
    medianResolveSeconds,
  };
}
