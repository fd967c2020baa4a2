// Many visits in one transaction (POST /api/visits/batch, `carebot import visits`), each with its
// own outcome. Rows that change nothing are answered without writing (batch-replays.ts); a
// history import records the visits CareBot has never seen together (batch-history.ts); every
// other row (a live posting, a known visit, the same visit twice, an unknown patient) goes
// through recordVisit, one by one.
import type { Database, Tx } from "../../db/client.ts";
import { recordNewHistory } from "./batch-history.ts";
import { answerReplays } from "./batch-replays.ts";
import type { BatchOutcome, BatchRow } from "./batch-types.ts";
import type { StaleKind } from "./care-messages.ts";
import { recordVisit, VisitRefused } from "./record-visit.ts";
import type { RecordScope } from "./record-visit.ts";

export type { BatchOutcome, BatchRow } from "./batch-types.ts";

/** Records the rows in order (a history import: new visits together, first); one outcome per row, in the rows' order. */
export async function recordVisitBatch(tx: Tx, scope: RecordScope & { provider: Database["provider"] }, rows: BatchRow[]): Promise<BatchOutcome[]> {
  const outcomes = new Map<BatchRow, BatchOutcome>();
  const changing = await answerReplays(tx, scope, rows, outcomes);
  const rest = scope.history ? await recordNewHistory(tx, scope, changing, outcomes) : changing;
  for (const row of rest) outcomes.set(row, await recordOne(tx, scope, row));
  return rows.map((row) => outcomes.get(row)!);
}

async function recordOne(tx: Tx, scope: RecordScope, row: BatchRow): Promise<BatchOutcome> {
  const externalId = row.input.externalId;
  try {
    const r = await recordVisit(tx, scope, row.input);
    const outcome = r.outdated ? "outdated" : r.created ? "created" : r.changed ? "updated" : "unchanged";
    return { at: row.at, externalId, outcome, id: r.id, accrued: r.accrued, skippedTooOld: r.skippedTooOld };
  } catch (error) {
    if (error instanceof VisitRefused) return { at: row.at, externalId, outcome: "refused", field: error.field, error: error.message };
    throw error;
  }
}

export interface BatchSummary {
  created: number;
  updated: number;
  unchanged: number;
  outdated: number;
  refused: number;
  /** Conversations skipped as too old, by kind (live postings only: history starts none). */
  skippedTooOld: Record<StaleKind, number>;
}

export function emptyBatchSummary(): BatchSummary {
  return { created: 0, updated: 0, unchanged: 0, outdated: 0, refused: 0, skippedTooOld: { nps: 0, checkin: 0, followup: 0 } };
}

/** Adds outcomes to a running summary (an import sums its batches). */
export function addToSummary(summary: BatchSummary, outcomes: readonly BatchOutcome[]): BatchSummary {
  for (const o of outcomes) {
    summary[o.outcome]++;
    if (o.outcome !== "refused") for (const kind of o.skippedTooOld) summary.skippedTooOld[kind]++;
  }
  return summary;
}
