// Runs the real planners (the same runPlanner `carebot jobs run` calls) at the moment their cron
// schedule fires, twice: the first run queues, the second must queue nothing (idempotent keys).
import type { Database } from "../../src/db/client.ts";
import type { PlannerKind } from "../../src/scheduler/kinds.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";

/**
 * When each measured planner runs, on the clinic's default schedules (Moscow, UTC+3):
 * - balance: "0 11 1 * *", 11:00 on 1 December;
 * - birthday: "0 10 * * *", 10:00 on 28 February 2027 (not a leap year, so 29 Feb birthdays are
 *   greeted that day too; the default window also catches up the 7 days before);
 * - expiry: "0 12 * * *", 12:00 on 1 December: credits expiring on 15 December are announced;
 * - reminder: "*\/5 * * * *", 12:00 on 1 December: the day-before reminders of 2 December's visits.
 */
export const PLANNER_MOMENTS: readonly (readonly [PlannerKind, string])[] = [
  ["balance", "2026-12-01T08:00:00Z"],
  ["birthday", "2027-02-28T07:00:00Z"],
  ["expiry", "2026-12-01T09:00:00Z"],
  ["reminder", "2026-12-01T09:00:00Z"],
];

export interface PlannerRunFigures {
  planned: number;
  alreadyQueued: number;
  skipped: number;
  candidates: number;
  /** SQL statements the planner issued (runPlanner's own clinic read and BEGIN/COMMIT aside). */
  statements: number;
  ms: number;
}

export interface PlannerFigures {
  kind: PlannerKind;
  at: string;
  first: PlannerRunFigures;
  second: PlannerRunFigures;
}

async function timedRun(db: Database, kind: PlannerKind, clinicId: number, clock: FixedClock): Promise<PlannerRunFigures> {
  let statements = 0;
  const started = performance.now();
  const run = await runPlanner(db, kind, { clinicId, now: clock.now(), onStatement: () => statements++ });
  const ms = performance.now() - started;
  return { planned: run.planned, alreadyQueued: run.alreadyQueued, skipped: run.skipped, candidates: run.counts.candidates ?? 0, statements, ms };
}

export async function measurePlanners(db: Database, clinicId: number, only?: readonly PlannerKind[]): Promise<PlannerFigures[]> {
  const clock = new FixedClock(PLANNER_MOMENTS[0]![1]);
  const figures: PlannerFigures[] = [];
  for (const [kind, at] of PLANNER_MOMENTS) {
    if (only && !only.includes(kind)) continue;
    clock.set(at);
    const first = await timedRun(db, kind, clinicId, clock);
    const second = await timedRun(db, kind, clinicId, clock);
    if (second.planned !== 0 || second.alreadyQueued !== first.planned) {
      throw new Error(`${kind}: the second run queued ${second.planned} rows and found ${second.alreadyQueued} already queued (expected 0 and ${first.planned})`);
    }
    figures.push({ kind, at, first, second });
  }
  // What the runs said they queued is what the outbox holds.
  const queued = await db.prisma.outbox.count({ where: { clinicId } });
  const said = figures.reduce((sum, f) => sum + f.first.planned, 0);
  if (queued !== said) throw new Error(`the outbox holds ${queued} rows, the planners reported ${said}`);
  return figures;
}
