// Reminders and other messages CareBot sent on its own initiative, per kind, over the last 30
// days, counted over the outbox by key prefix (src/db/queries/dashboard/reminders.ts). A
// "start-flow" row sent means the conversation began in the patient's chat; failures are counted
// over the row and the messages its flow queued. Replies in conversations the patient started
// (keys "msg:…") are not reminders.
import type { Database } from "../../db/client.ts";
import { outcomeCounts } from "../../db/queries/dashboard/reminders.ts";
import { TOO_OLD } from "../../domain/visits/care-outbox.ts";
import type { DashboardPeriods } from "./periods.ts";
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
  const rows = await outcomeCounts(db, { clinicId, from: periods.recentFrom, until: periods.now, branchId, tooOldMark: TOO_OLD });
  const kinds: ReminderRow[] = [...REMINDER_KINDS, "other" as const].map((kind) => ({ kind, sent: 0, skipped: 0, tooOld: 0, retrying: 0, dead: 0 }));
  for (const r of rows) {
    // An unknown prefix on a start-flow row is a reminder we cannot name ("other"); on a message, a reply.
    const kind: ReminderKind | null = isReminderKind(r.prefix) ? r.prefix : r.start ? "other" : null;
    const row = kinds.find((k) => k.kind === kind);
    if (!row) continue;
    row.sent += r.sent;
    row.skipped += r.skipped;
    row.tooOld += r.tooOld;
    row.retrying += r.retrying;
    row.dead += r.dead;
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
