// Messages CareBot sent on its own initiative, counted in one grouped statement over the outbox by
// key prefix: sent (a start-flow row sent means the flow began in the patient's chat), withdrawn
// by rule, too old to speak of, waiting for a retry, given up. src/operators/dashboard names the
// prefixes.
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../client.ts";
import type { DB, Outbox } from "../../kysely/index.ts";
import { countWhere, enumValue, firstColumns, flag, keyPrefix, text, toNumber, typedSql } from "../../kysely/index.ts";
import { patientsOfBranch } from "./branch-filter.ts";
import type { FigureWindow } from "./window.ts";

export interface OutcomeCount {
  /** The key's text before its first `:` (the whole key without one). */
  prefix: string;
  /** A start-flow row (a conversation begun), not a message of one. */
  start: boolean;
  sent: number;
  skipped: number;
  /** Skipped with a last error starting with `tooOldMark`. */
  tooOld: number;
  retrying: number;
  dead: number;
}

/**
 * Sent, skipped and given up within the window; retries whenever they failed. `branchId`: only
 * the messages to that branch's patients (their last visit's branch).
 */
export async function outcomeCounts(db: Database, window: FigureWindow & { tooOldMark: string }): Promise<OutcomeCount[]> {
  const q = typedSql(db);
  const p = q.provider;
  const { clinicId, branchId } = window;
  const status = (value: "sent" | "skipped" | "pending" | "dead") => enumValue(p, "OutboxStatus", value);
  const outcomes = (eb: ExpressionBuilder<DB & { o: Outbox }, "o">) => {
    const recently = (column: "o.sentAt" | "o.updatedAt") => eb.and([eb(column, ">=", window.from), eb(column, "<=", window.until)]);
    const start = eb("o.kind", "=", "start-flow");
    return {
      start,
      sent: eb.and([eb("o.status", "=", status("sent")), start, recently("o.sentAt")]),
      stale: eb.and([eb("o.lastError", "is not", null), eb("o.lastError", "like", text(`${window.tooOldMark}%`))]),
      skipped: eb.and([eb("o.status", "=", status("skipped")), start, recently("o.updatedAt")]),
      retrying: eb.and([eb("o.status", "=", status("pending")), eb("o.attempts", ">", 0), eb("o.lastError", "is not", null)]),
      dead: eb.and([eb("o.status", "=", status("dead")), recently("o.updatedAt")]),
    };
  };
  const rows = await q
    .selectFrom("Outbox as o")
    .select((eb) => {
      const o = outcomes(eb);
      return [
        keyPrefix(p, eb.ref("o.idempotencyKey")).as("prefix"),
        flag(o.start).as("start"),
        countWhere(o.sent).as("sent"),
        countWhere(eb.and([o.skipped, eb.not(o.stale)])).as("skipped"),
        countWhere(eb.and([o.skipped, o.stale])).as("tooOld"),
        countWhere(o.retrying).as("retrying"),
        countWhere(o.dead).as("dead"),
      ];
    })
    .where("o.clinicId", "=", clinicId)
    .$if(branchId !== undefined, (qb) => qb.where("o.patientId", "in", patientsOfBranch(q, branchId!)))
    .where((eb) => {
      const o = outcomes(eb);
      return eb.or([o.sent, o.skipped, o.retrying, o.dead]);
    })
    .groupBy(firstColumns(2))
    .execute();
  return rows.map((r) => ({
    prefix: String(r.prefix ?? ""),
    start: toNumber(r.start) === 1,
    sent: toNumber(r.sent),
    skipped: toNumber(r.skipped),
    tooOld: toNumber(r.tooOld),
    retrying: toNumber(r.retrying),
    dead: toNumber(r.dead),
  }));
}
