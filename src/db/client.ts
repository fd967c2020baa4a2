import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import type { DatabaseConfig } from "../config.ts";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { createAdapterFactory } from "./adapters.ts";
import type { AdapterOptions, TrackedAdapterFactory } from "./adapters.ts";
import { OwnTransactions } from "./own-transactions.ts";
import { attachDirectSqlite } from "./direct-sqlite.ts";
import { attachDirectPostgres } from "./direct-postgres.ts";

export * from "./generated/sqlite/enums.ts";
export type { Prisma } from "./generated/sqlite/client.ts";

export type { Db, Tx } from "./client-types.ts";
import type { Db, Tx } from "./client-types.ts";

export interface Database {
  prisma: Db;
  provider: DatabaseConfig["provider"];
  /**
   * Runs `work` in one transaction, begun on Prisma's adapter directly rather than through its
   * interactive transactions (src/db/own-transactions.ts). Work that runs longer than `timeout`
   * (5 s by default, as Prisma's) is rolled back and rejects with TransactionTimeoutError;
   * `maxWait` applies only to the first transactions, run by Prisma before it has connected.
   * Only database work belongs inside: on SQLite every other statement waits for it.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
  close(): Promise<void>;
}

export function openDatabase(config: DatabaseConfig, options: AdapterOptions = {}): Database {
  const adapter = createAdapterFactory(config, options);
  return databaseOn(config.provider, adapter);
}

/**
 * A Database whose client connects through `clientFactory` (by default the tracked factory
 * itself; benchmarks pass one that counts statements).
 */
export function databaseOn(provider: DatabaseConfig["provider"], tracked: TrackedAdapterFactory, clientFactory: SqlDriverAdapterFactory = tracked): Database {
  const prisma = provider === "sqlite" ? new SqliteClient({ adapter: clientFactory }) : (new PostgresClient({ adapter: clientFactory }) as unknown as Db);
  const own = new OwnTransactions({ provider, adapter: tracked.adapter, direct: tracked.direct, hooks: tracked.hooks });
  const direct = tracked.direct;
  // Outside a transaction, a statement on SQLite's one connection waits for its lock.
  if (direct) attachDirectSqlite(prisma, direct, (statement) => direct.outside(statement));
  // PostgreSQL: the service's raw SQL goes to the adapter's pool, past Prisma (direct-postgres.ts).
  if (provider === "postgresql") attachDirectPostgres(prisma, { queryable: tracked.adapter, onStatement: (sql) => tracked.hooks.onStatement?.(sql) });
  return {
    prisma,
    provider,
    transaction: (work, txOptions) => (own.ready ? own.run(work, txOptions) : prisma.$transaction(work, txOptions)),
    close: async () => {
      await own.close();
      await prisma.$disconnect();
      await tracked.disposeAll();
    },
  };
}
