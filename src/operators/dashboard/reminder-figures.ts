// Reminders and other messages CareBot sent on its own initiative, per kind, over the last 30
// days: one GROUP BY over the outbox by key prefix. A "start-flow" row sent means the
// conversation began in the patient's chat; failures are counted over the row and the messages
// its flow queued. Replies in conversations the patient started (keys "msg:…") are not reminders.
import type { Database } from "../../db/client.ts";
import { TOO_OLD } from "../../domain/visits/care-outbox.ts";
import type { ExpressionBuilder } from "kysely";
import type { DB, Outbox } from "../../db/kysely/index.ts";
import { countWhere, enumValue, firstColumns, flag, keyPrefix, text, toNumber, typedSql } from "../../db/kysely/index.ts";
import type { DashboardPeriods } from "./periods.ts";
import { patientsOfBranch } from "./branch-filter.ts";
import { isReminderKind, REMINDER_KINDS } from "./reminder-kinds.ts";
import type { ReminderKind } from "./reminder-kinds.ts";

export interface ReminderRow {
  kind: ReminderKind;
  /** Reminders that went out (the flow started in the patient's chat) in the last 30 days. */
  sent: number;
  /** Reminders withdrawn by rule in the last 30 days: opted out, no reachable chat, visit refunded. */
  skipped: number;
  /** Reminders not sent because their visit or follow-up was too old to speak of (late syncs, old visits). */
  tooOld: number;
  /** Rows waiting for another try after a failed send (network, messenger 5xx). */
  retrying: number;
  /** Rows given up for good in the last 30 days (blocked bot, too many failures). */
  dead: number;
}

export interface ReminderFigures {
  kinds: ReminderRow[];
  total: Omit<ReminderRow, "kind">;
}

/** `branchId`: only the messages to that branch's patients (their last visit's branch). */
export async function reminderFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<ReminderFigures> {
  const q = typedSql(db);
  const p = q.provider;
  const status = (value: "sent" | "skipped" | "pending" | "dead") => enumValue(p, "OutboxStatus", value);
  // What each row counts as, over the last 30 days (retries wait whenever they failed).
  const outcomes = (eb: ExpressionBuilder<DB & { o: Outbox }, "o">) => {
    const recently = (column: "o.sentAt" | "o.updatedAt") => eb.and([eb(column, ">=", periods.recentFrom), eb(column, "<=", periods.now)]);
    const start = eb("o.kind", "=", "start-flow");
    return {
      start,
      sent: eb.and([eb("o.status", "=", status("sent")), start, recently("o.sentAt")]),
      stale: eb.and([eb("o.lastError", "is not", null), eb("o.lastError", "like", text(`${TOO_OLD}%`))]),
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
  const kinds: ReminderRow[] = [...REMINDER_KINDS, "other" as const].map((kind) => ({ kind, sent: 0, skipped: 0, tooOld: 0, retrying: 0, dead: 0 }));
  for (const r of rows) {
    const prefix = String(r.prefix ?? "");
    // An unknown prefix on a start-flow row is a reminder we cannot name ("other"); on a message, a reply.
    const kind: ReminderKind | null = isReminderKind(prefix) ? prefix : toNumber(r.start) === 1 ? "other" : null;
    const row = kinds.find((k) => k.kind === kind);
    if (!row) continue;
    row.sent += toNumber(r.sent);
    row.skipped += toNumber(r.skipped);
    row.tooOld += toNumber(r.tooOld);
    row.retrying += toNumber(r.retrying);
    row.dead += toNumber(r.dead);
  }
  const total = kinds.reduce(
    (sum, k) => ({ sent: sum.sent + k.sent, skipped: sum.skipped + k.skipped, tooOld: sum.tooOld + k.tooOld, retrying: sum.retrying + k.retrying, dead: sum.dead + k.dead }),
    {
    sent: 0,
    skipped: 0,
    tooOld: 0,
    retrying: 0,
    dead: 0,
    },
  );
  // "other" is shown only when something fell into it.
  return { kinds: kinds.filter((k) => k.kind !== "other" || k.sent + k.skipped + k.tooOld + k.retrying + k.dead > 0), total };
}
