// NPS answers counted per month, doctor, score and category in one grouped statement: it reads
// the answers once and returns at most months × doctors × scores counts, which the dashboard
// sums into its three views (src/operators/dashboard/nps-figures.ts).
import type { Database } from "../../client.ts";
import type { Expression } from "kysely";
import { asText, bucketBefore, firstColumns, time, toNumber, typedSql } from "../../kysely/index.ts";
import type { Provider } from "../../kysely/index.ts";
import { visitsOfBranch } from "./branch-filter.ts";
import type { FigureWindow } from "./window.ts";

export interface NpsCount {
  /** The index of the answer's month in `monthStarts`. */
  month: number;
  doctor: string | null;
  score: number;
  category: string;
  n: number;
}

/** The month of an answer, found by comparing with the months' starts: the clinic's calendar, DST included. */
function monthIndex(provider: Provider, createdAt: Expression<Date>, monthStarts: readonly Date[]) {
  return bucketBefore(createdAt, monthStarts.slice(1).map((start) => time(provider, start)));
}

/**
 * The answers from the first of `monthStarts` to `until` (the window's `from` is the first month's
 * start); `branchId`: only the answers about visits at that branch.
 */
export async function npsCounts(db: Database, window: Omit<FigureWindow, "from"> & { monthStarts: readonly Date[] }): Promise<NpsCount[]> {
  const q = typedSql(db);
  const { clinicId, branchId, monthStarts } = window;
  const rows = await q
    .selectFrom("NpsResponse as r")
    .select((eb) => [
      monthIndex(q.provider, eb.ref("r.createdAt"), monthStarts).as("month"),
      "r.doctor",
      "r.score",
      asText(eb.ref("r.category")).as("category"),
      eb.fn.countAll().as("n"),
    ])
    .where("r.clinicId", "=", clinicId)
    .where("r.createdAt", ">=", monthStarts[0]!)
    .where("r.createdAt", "<=", window.until)
    .$if(branchId !== undefined, (qb) => qb.where("r.visitId", "in", visitsOfBranch(q, branchId!)))
    .groupBy(firstColumns(4))
    .execute();
  return rows.map((r) => ({ month: toNumber(r.month), doctor: r.doctor, score: toNumber(r.score), category: r.category, n: toNumber(r.n) }));
}
