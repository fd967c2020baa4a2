// Escalations for the dashboard: what waits now (by priority), what broke the SLA, and how fast
// the team takes and resolves them (medians over the last 30 days, computed in the database by
// src/db/queries/dashboard/escalations.ts).
import type { Database } from "../../db/client.ts";
import { escalationCounts, medianSecondsTo } from "../../db/queries/dashboard/escalations.ts";
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

/** `branchId`: only that branch's escalations. */
export async function escalationFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<EscalationFigures> {
  const window = { clinicId, from: periods.recentFrom, until: periods.now, branchId };
  const [counts, medianTakeSeconds, medianResolveSeconds] = await Promise.all([
    escalationCounts(db, window),
    medianSecondsTo(db, "takenAt", window),
    medianSecondsTo(db, "resolvedAt", window),
  ]);
  const byPriority = PRIORITIES.map((priority) => ({ priority, open: 0, taken: 0, overdue: 0 }));
  for (const r of counts.unresolved) {
    const p = byPriority.find((b) => b.priority === r.priority);
    if (!p) continue;
    if (r.status === "open") p.open += r.n;
    else p.taken += r.n;
    p.overdue += r.overdue;
  }
  return {
    byPriority,
    overdueNow: byPriority.reduce((sum, p) => sum + p.overdue, 0),
    resolvedLast30Days: counts.resolved,
    resolvedLateLast30Days: counts.resolvedLate,
    medianTakeSeconds,
    medianResolveSeconds,
  };
}
