// Escalations for the dashboard: what waits now (by priority), what broke the SLA, and how fast
// the team takes and resolves them (medians over the last 30 days, computed in the database).
import type { Database } from "../../db/client.ts";
import { asText, countWhere, enumValue, firstColumns, middleRanks, rankOf, secondsBetween, toNumber, typedSql } from "../../db/kysely/index.ts";
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

/** The median seconds from opening to `column` over the last 30 days: the middle row(s) by ROW_NUMBER. */
async function medianSeconds(db: Database, clinicId: number, column: "takenAt" | "resolvedAt", periods: DashboardPeriods, branchId?: number): Promise<number | null> {
  const q = typedSql(db);
  const spans = q
    .selectFrom("Escalation as e")
    .select((eb) => secondsBetween(q.provider, eb.ref("e.createdAt"), eb.ref(`e.${column}`)).as("seconds"))
    .where("e.clinicId", "=", clinicId)
    .where(`e.${column}`, "is not", null)
    .where(`e.${column}`, ">=", periods.recentFrom)
    .where(`e.${column}`, "<=", periods.now)
    .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!));
  const ranked = q
    .selectFrom(spans.as("x"))
    .select((eb) => {
      const { rank, rows } = rankOf(eb.ref("x.seconds"));
      return ["x.seconds", rank.as("rn"), rows.as("n")];
    });
  const row = await q
    .selectFrom(ranked.as("d"))
    .select((eb) => eb.fn.avg("d.seconds").as("median"))
    .where((eb) => eb("d.rn", "in", middleRanks(eb.ref("d.n"))))
    .executeTakeFirst();
  return row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median));
}

/** `branchId`: only that branch's escalations. */
export async function escalationFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<EscalationFigures> {
  const q = typedSql(db);
  const status = (value: "open" | "taken" | "resolved") => enumValue(q.provider, "EscalationStatus", value);
  const [rows, late, medianTakeSeconds, medianResolveSeconds] = await Promise.all([
    q
      .selectFrom("Escalation as e")
      .select((eb) => [
        asText(eb.ref("e.priority")).as("priority"),
        asText(eb.ref("e.status")).as("status"),
        eb.fn.countAll().as("n"),
        countWhere(eb.and([eb("e.status", "=", status("open")), eb("e.slaDueAt", "<=", periods.now)])).as("overdue"),
      ])
      .where("e.clinicId", "=", clinicId)
      .where("e.status", "in", [status("open"), status("taken")])
      .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!))
      .groupBy(firstColumns(2))
      .execute(),
    q
      .selectFrom("Escalation as e")
      .select((eb) => [eb.fn.countAll().as("resolved"), countWhere(eb("e.resolvedAt", ">", eb.ref("e.slaDueAt"))).as("late")])
      .where("e.clinicId", "=", clinicId)
      .where("e.status", "=", status("resolved"))
      .where("e.resolvedAt", ">=", periods.recentFrom)
      .where("e.resolvedAt", "<=", periods.now)
      .$if(branchId !== undefined, (qb) => qb.where("e.branchId", "=", branchId!))
      .executeTakeFirst(),
    medianSeconds(db, clinicId, "takenAt", periods, branchId),
    medianSeconds(db, clinicId, "resolvedAt", periods, branchId),
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
