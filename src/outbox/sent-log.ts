// Marks outbox rows sent. A batch's messages are sent in parallel and their answers arrive
// together; one statement for all rows answered in the same turn of the event loop costs one
// commit instead of one each (on SQLite a commit is most of a row's cost: bench/results/profile.md).
// The rows wait at most that one turn, so what a crash can repeat does not grow.
import type { Database } from "../db/client.ts";
import { SqlStatement } from "../db/sql-statement.ts";

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
  const s = new SqlStatement(db.provider);
  // VALUES names its columns column1, column2 … on both databases; the casts give PostgreSQL their types.
  const values = rows.map((r) => `(${s.int(r.id)}, ${s.time(r.sentAt)}, ${r.sentVia === null ? s.nullOf("INTEGER") : s.int(r.sentVia)}, ${r.externalMessageId === null ? s.nullOf("TEXT") : s.text(r.externalMessageId)})`);
  await s.execute(
    db,
    `UPDATE "Outbox" SET "status" = ${s.enumValue("OutboxStatus", "sent")}, "sentAt" = v.column2, "sentVia" = v.column3, "externalMessageId" = v.column4,
       "leaseUntil" = NULL, "lastError" = NULL, "updatedAt" = v.column2
     FROM (VALUES ${values.join(", ")}) AS v
     WHERE "Outbox"."id" = v.column1`,
  );
}
