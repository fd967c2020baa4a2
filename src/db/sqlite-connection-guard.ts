// Prisma's SQLite adapter locks its one connection for transactions only; a statement sent to the
// adapter outside a transaction ran at once, inside whatever transaction was open, and was lost
// when that transaction rolled back (src/db/prisma-internals.ts, point 2). The adapter returned
// here takes CareBot's connection lock for both: a transaction holds it from BEGIN to COMMIT or
// ROLLBACK, a statement outside one while it runs. The direct path takes the same lock
// (direct-sqlite.ts), so every way onto the connection waits its turn.
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import type { ConnectionLock } from "./connection-lock.ts";

export function guardSqliteAdapter(adapter: SqlDriverAdapter, lock: ConnectionLock): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query) => lock.run(() => adapter.executeRaw(query)),
    executeScript: (script) => lock.run(() => adapter.executeScript(script)),
    startTransaction: async (isolationLevel) => {
      await lock.acquire();
      try {
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
