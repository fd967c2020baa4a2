// Reminders and other messages CareBot sent on its own initiative, per kind, over the last 30
// days: one GROUP BY over the outbox by key prefix. A "start-flow" row sent means the
// conversation began in the patient's chat; failures are counted over the row and the messages
// its flow queued. Replies in conversations the patient started (keys "msg:…") are not reminders.
import type { Database } from "../../db/client.ts";
import { TOO_OLD } from "../../domain/visits/care-outbox.ts";
import { SqlStatement, toNumber } from "../../db/sql-statement.ts";
import type { DashboardPeriods } from "./periods.ts";
import { isReminderKind, keyPrefixSql, REMINDER_KINDS } from "./reminder-kinds.ts";
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

export async function reminderFigures(db: Database, clinicId: number, periods: DashboardPeriods): Promise<ReminderFigures> {
  const s = new SqlStatement(db.provider);
  const from = s.time(periods.recentFrom);
  const now = s.time(periods.now);
  const recently = (column: string) => `o."${column}" >= ${from} AND o."${column}" <= ${now}`;
  const START = `o."kind" = 'start-flow'`;
  const SENT = `o."status" = 'sent' AND ${START} AND ${recently("sentAt")}`;
  const STALE = `o."lastError" IS NOT NULL AND o."lastError" LIKE ${s.text(`${TOO_OLD}%`)}`;
  const SKIPPED = `o."status" = 'skipped' AND ${START} AND ${recently("updatedAt")}`;
  const RETRYING = `o."status" = 'pending' AND o."attempts" > 0 AND o."lastError" IS NOT NULL`;
  const DEAD = `o."status" = 'dead' AND ${recently("updatedAt")}`;
  const rows = await s.run<Record<"prefix" | "start" | "sent" | "skipped" | "tooOld" | "retrying" | "dead", unknown>[]>(
    db,
    `SELECT ${keyPrefixSql(s.pg, `o."idempotencyKey"`)} AS "prefix", CASE WHEN ${START} THEN 1 ELSE 0 END AS "start",
            SUM(CASE WHEN ${SENT} THEN 1 ELSE 0 END) AS "sent", SUM(CASE WHEN ${SKIPPED} AND NOT (${STALE}) THEN 1 ELSE 0 END) AS "skipped",
            SUM(CASE WHEN ${SKIPPED} AND ${STALE} THEN 1 ELSE 0 END) AS "tooOld",
            SUM(CASE WHEN ${RETRYING} THEN 1 ELSE 0 END) AS "retrying", SUM(CASE WHEN ${DEAD} THEN 1 ELSE 0 END) AS "dead"
     FROM "Outbox" o
     WHERE o."clinicId" = ${s.value(clinicId)} AND ((${SENT}) OR (${SKIPPED}) OR (${RETRYING}) OR (${DEAD}))
     GROUP BY 1, 2`,
  );
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
