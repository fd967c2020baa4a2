// Outbox rows marked sent, many in one UPDATE (src/outbox/sent-log.ts gathers them).
import type { Database } from "../client.ts";
import { enumValue, int, nullOf, text, time, typedSql, valuesTable } from "../kysely/index.ts";

export interface SentRow {
  id: number;
  sentAt: Date;
  /** The chat it went out through (null for the operators' chat). */
  sentVia: number | null;
  externalMessageId: string | null;
}

/** One UPDATE for all the rows. leaseOwner stays: it says which process sent each. */
export async function markSent(db: Database, rows: readonly SentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = typedSql(db);
  const p = q.provider;
  // Each value typed: PostgreSQL takes a VALUES column's type from its values.
  const values = rows.map((r) => [int(p, r.id), time(p, r.sentAt), r.sentVia === null ? nullOf("INTEGER") : int(p, r.sentVia), r.externalMessageId === null ? nullOf("TEXT") : text(r.externalMessageId)]);
  await q
    .updateTable("Outbox")
    .from(valuesTable<{ column1: number; column2: Date; column3: number | null; column4: string | null }, "v">(values, "v"))
    .set((eb) => ({
      status: enumValue(p, "OutboxStatus", "sent"),
      sentAt: eb.ref("v.column2"),
      sentVia: eb.ref("v.column3"),
      externalMessageId: eb.ref("v.column4"),
      leaseUntil: null,
      lastError: null,
      updatedAt: eb.ref("v.column2"),
    }))
    .whereRef("Outbox.id", "=", "v.column1")
    .execute();
}
