// A transaction on SQLite without Prisma's interactive-transaction machinery, which cost more
// per inbound message than all of its statements once those ran directly (bench/results/
// profile.md). It takes the same lock Prisma's adapter takes for its own transactions (so the
// two never overlap on the one connection), sends BEGIN and COMMIT itself, and hands the work a
// Prisma client whose statements run on that connection, inside the transaction. Work that
// Prisma itself wraps in a transaction (nested writes) becomes a savepoint in it.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import type { Db, Tx } from "./client.ts";
import { attachDirectSqlite } from "./direct-sqlite.ts";
import type { DirectSqlite } from "./direct-sqlite.ts";

export class SqliteTransactions {
  #client: Db | null = null;

  constructor(private readonly direct: DirectSqlite) {}

  /** False until Prisma has connected (the first query does): callers use `$transaction` then. */
  get ready(): boolean {
    return this.direct.adapter !== null;
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const adapter = this.direct.adapter;
    if (!adapter) throw new Error("the SQLite connection is not open");
    // Prisma's adapter: waits for its lock, then BEGIN; its commit() and rollback() only unlock.
    const lock = await adapter.startTransaction();
    this.direct.onTransaction?.();
    let result: T;
    try {
      result = await work(this.#inTransactionClient());
      this.direct.execute("COMMIT", []);
    } catch (error) {
      // A failed step, or a failed COMMIT (a full disk), leaves the transaction to undo; SQLite
      // may have ended it already, and that must not hide the error itself.
      try {
        this.direct.execute("ROLLBACK", []);
      } catch {
        // No transaction was active any more.
      }
      await lock.rollback();
      throw error;
    }
    await lock.commit();
    return result;
  }

  async close(): Promise<void> {
    await this.#client?.$disconnect();
    this.#client = null;
  }

  /** One client for all transactions: only one runs at a time, under the adapter's lock. */
  #inTransactionClient(): Db {
    if (!this.#client) {
      this.#client = new SqliteClient({ adapter: inTransactionFactory(this.direct) });
      attachDirectSqlite(this.#client, this.direct);
    }
    return this.#client;
  }
}

/** An adapter over the connection as it is (inside the transaction); Prisma's own transactions become savepoints. */
function inTransactionFactory(direct: DirectSqlite): SqlDriverAdapterFactory {
  const adapter = (): SqlDriverAdapter => {
    const current = direct.adapter;
    if (!current) throw new Error("the SQLite connection is not open");
    return current;
  };
  const queryable = {
    provider: "sqlite" as const,
    adapterName: "carebot-sqlite-in-transaction",
    queryRaw: (query: SqlQuery) => {
      direct.onStatement?.(query.sql);
      return adapter().queryRaw(query);
    },
    executeRaw: (query: SqlQuery) => {
      direct.onStatement?.(query.sql);
      return adapter().executeRaw(query);
    },
  };
  let savepoints = 0;
  const statement = (sql: string) => queryable.executeRaw({ sql, args: [], argTypes: [] });
  const connection: SqlDriverAdapter = {
    ...queryable,
    executeScript: (script) => adapter().executeScript(script),
    startTransaction: async (): Promise<Transaction> => {
      const name = `carebot_nested_${++savepoints}`;
      await statement(`SAVEPOINT ${name}`);
      return {
        ...queryable,
        // Prisma then sends no BEGIN/COMMIT of its own: commit() and rollback() do the work.
        options: { usePhantomQuery: true },
        commit: async () => void (await statement(`RELEASE ${name}`)),
        rollback: async () => {
          await statement(`ROLLBACK TO ${name}`);
          await statement(`RELEASE ${name}`);
        },
      };
    },
    // The connection belongs to the service's own client, which closes it.
    dispose: async () => {},
  };
  return { provider: "sqlite", adapterName: queryable.adapterName, connect: async () => connection };
}
