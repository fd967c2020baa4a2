// Marks outbox rows sent. A batch's messages are sent in parallel and their answers arrive
// together; one statement for all rows answered in the same turn of the event loop costs one
// commit instead of one each (on SQLite a commit is most of a row's cost: bench/results/profile.md).
// The rows wait at most that one turn, so what a crash can repeat does not grow.
import type { Database } from "../db/client.ts";
import { markSent } from "../db/queries/mark-sent.ts";
import type { SentRow } from "../db/queries/mark-sent.ts";

export type { SentRow };

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
