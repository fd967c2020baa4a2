// The rows of a batch of visits and what became of each (record-batch.ts).
import type { StaleKind } from "./care-messages.ts";
import type { VisitInput } from "./record-visit.ts";

export interface BatchRow {
  /** The row's place in the caller's list (index in the body, line of the file). */
  at: number;
  input: VisitInput;
}

export type BatchOutcome =
  | { at: number; externalId: string; outcome: "created" | "updated" | "unchanged" | "outdated"; id: number; accrued: number; skippedTooOld: StaleKind[] }
  | { at: number; externalId: string; outcome: "refused"; field: string; error: string };
