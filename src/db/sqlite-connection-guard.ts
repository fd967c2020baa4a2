// Prisma's SQLite adapter locks its one connection for transactions only; a statement sent to the
// adapter outside a transaction ran at once, inside whatever transaction was open, and was lost
// when that transaction rolled back (src/db/prisma-internals.ts, point 2). The adapter returned
// here takes CareBot's connection lock for both: a transaction holds it from BEGIN to COMMIT or
// ROLLBACK, a statement outside one while it runs. The direct path takes the same lock
// (direct-sqlite.ts), so every way onto the connection waits its turn.
//
// A transaction begins with a BEGIN statement kept prepared on the connection: the adapter's own
// startTransaction prepares BEGIN afresh and takes a mutex of its own (redundant behind this lock)
// on every transaction, which cost more client CPU than the BEGIN itself. Its transaction is
// nothing more than the adapter's statements on the same connection (prisma-internals.ts, point 2).
import type Sqlite from "better-sqlite3";
import type { SqlDriverAdapter, SqlQuery, SqlResultSet, Transaction, TransactionOptions } from "@prisma/driver-adapter-utils";
import type { ConnectionLock } from "./connection-lock.ts";

/** `connection`: the adapter's own (sqliteConnectionOf); without it transactions begin through the adapter. */
export function guardSqliteAdapter(adapter: SqlDriverAdapter, lock: ConnectionLock, connection?: Sqlite.Database): SqlDriverAdapter {
  let begin: Sqlite.Statement | undefined;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query) => lock.run(() => adapter.executeRaw(query)),
    executeScript: (script) => lock.run(() => adapter.executeScript(script)),
    startTransaction: async (isolationLevel) => {
      await lock.acquire();
      try {
        if (connection?.open && (isolationLevel === undefined || isolationLevel === "SERIALIZABLE")) {
          try {
            (begin ??= connection.prepare("BEGIN")).run();
            return new BegunTransaction(adapter, lock);
          } catch {
            // Left to the adapter below, which fails the same way and reports it as Prisma expects.
          }
        }
        return lockedTransaction(await adapter.startTransaction(isolationLevel), lock);
      } catch (error) {
        lock.release();
        throw error;
      }
    },
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

/**
 * A transaction begun with the kept BEGIN: the adapter's statements, as its own transaction runs
 * them, and the connection lock given back at its end. COMMIT and ROLLBACK are the caller's to send
 * (`usePhantomQuery: false`, as the adapter's transaction says).
 */
class BegunTransaction implements Transaction {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly options: TransactionOptions = { usePhantomQuery: false };
  #held = true;

  constructor(
    private readonly adapter: SqlDriverAdapter,
    private readonly lock: ConnectionLock,
  ) {
    this.provider = adapter.provider;
    this.adapterName = adapter.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.adapter.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.adapter.executeRaw(query);
  }

  commit(): Promise<void> {
    this.#release();
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.#release();
    return Promise.resolve();
  }

  // The adapter's transaction writes its savepoints with the same SQL.
  async createSavepoint(name: string): Promise<void> {
    await this.adapter.executeRaw(statement(`SAVEPOINT ${name}`));
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.adapter.executeRaw(statement(`ROLLBACK TO ${name}`));
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.adapter.executeRaw(statement(`RELEASE SAVEPOINT ${name}`));
  }

  #release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.lock.release();
  }
}

function statement(sql: string): SqlQuery {
  return { sql, args: [], argTypes: [] };
}

/** The adapter's transaction, giving the connection lock back when it commits or rolls back. */
function lockedTransaction(transaction: Transaction, lock: ConnectionLock): Transaction {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    lock.release();
  };
  const savepoints: Partial<Transaction> = {};
  if (transaction.createSavepoint) savepoints.createSavepoint = (name) => transaction.createSavepoint!(name);
  if (transaction.rollbackToSavepoint) savepoints.rollbackToSavepoint = (name) => transaction.rollbackToSavepoint!(name);
  if (transaction.releaseSavepoint) savepoints.releaseSavepoint = (name) => transaction.releaseSavepoint!(name);
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query) => transaction.queryRaw(query),
    executeRaw: (query) => transaction.executeRaw(query),
    commit: () => transaction.commit().finally(release),
    rollback: () => transaction.rollback().finally(release),
    ...savepoints,
  };
}
