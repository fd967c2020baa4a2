// Marks outbox rows sent. A batch's messages are sent in parallel and their answers arrive
// together; one statement for all rows answered in the same turn of the event loop costs one
// commit instead of one each (on SQLite a commit is most of a row's cost: bench/results/profile.md).
// The rows wait at most that one turn, so what a crash can repeat does not grow.
import type { Database } from "../db/client.ts";
import { sql } from "kysely";
import { enumValue, int, nullOf, text, time, typedSql } from "../db/kysely/index.ts";

export interface SentRow {
  id: number;
  sentAt: Date;
  /** The chat it went out through (null for the operators' chat). */
  sentVia: number | null;
  externalMessageId: string | null;
}

/** More rows than this go in several statements (each a distinct text the driver keeps prepared). */
const MAX_ROWS_PER_STATEMENT = 50;

export class SentLog {
  #waiting: { row: SentRow; done: (error?: unknown) => void }[] = [];
  #scheduled = false;

  constructor(private readonly db: Database) {}

  /** Resolves once the row is recorded; rejects with the database's error (the caller retries). */
  record(row: SentRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const waiting = this.#waiting.splice(0);
    for (let i = 0; i < waiting.length; i += MAX_ROWS_PER_STATEMENT) {
      const group = waiting.slice(i, i + MAX_ROWS_PER_STATEMENT);
      try {
        await markSent(this.db, group.map((g) => g.row));
        for (const g of group) g.done();
      } catch (error) {
        for (const g of group) g.done(error);
      }
    }
  }
}

/** One UPDATE for all the rows. leaseOwner stays: it says which process sent each. */
export async function markSent(db: Database, rows: readonly SentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const q = typedSql(db);
  const p = q.provider;
  // VALUES names its columns column1, column2 … on both databases; the casts give PostgreSQL their types.
  const values = rows.map(
    (r) => sql`(${int(p, r.id)}, ${time(p, r.sentAt)}, ${r.sentVia === null ? nullOf("INTEGER") : int(p, r.sentVia)}, ${r.externalMessageId === null ? nullOf("TEXT") : text(r.externalMessageId)})`,
  );
  await q
    .updateTable("Outbox")
    .from(sql<{ column1: number; column2: Date; column3: number | null; column4: string | null }>`(VALUES ${sql.join(values)})`.as("v"))
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
