import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "../config.ts";
import { DirectSqlite } from "./direct-sqlite.ts";
import { statementName } from "./direct-postgres.ts";
import type { TransactionHooks } from "./transaction-hooks.ts";
import { ConnectionLock } from "./connection-lock.ts";
import { sqliteConnectionOf } from "./prisma-internals.ts";
import { guardSqliteAdapter } from "./sqlite-connection-guard.ts";
import { CHECKPOINT_FALLBACK_PAGES, SqliteCheckpointer } from "./sqlite-checkpointer.ts";

/** SQLite connection settings; busy_timeout is set through better-sqlite3's `timeout` option. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
// WAL lets readers run beside the writer; NORMAL is durable under WAL except against power loss
// of the last commits, the usual trade for an embedded service; foreign keys are off by default.
const SQLITE_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"];

export interface TrackedAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes every connection this factory opened (the schema engine does not close its own). */
  disposeAll(): Promise<void>;
  /** SQLite only: raw SQL on the adapter's own connection, past Prisma (src/db/direct-sqlite.ts). */
  readonly direct?: DirectSqlite;
  /** SQLite file only: the worker thread that checkpoints the WAL, once connected. */
  checkpointer(): SqliteCheckpointer | undefined;
  /** The adapter the service's client connected with (null before and after): db.transaction begins on it. */
  adapter(): SqlDriverAdapter | null;
  /** Observers of db.transaction's statements and transactions (benchmarks count them). */
  readonly hooks: TransactionHooks;
}

export interface AdapterOptions {
  poolSize?: number;
  /** SQLite: checkpoint the WAL on a worker thread (src/db/sqlite-checkpointer.ts); default on. */
  backgroundCheckpoint?: boolean;
}

export function createAdapterFactory(db: DatabaseConfig, options: AdapterOptions = {}): TrackedAdapterFactory {
  const inner: SqlMigrationAwareDriverAdapterFactory =
    db.provider === "sqlite"
      ? new PrismaBetterSqlite3({ url: sqliteFile(db), timeout: SQLITE_BUSY_TIMEOUT_MS })
      : new PrismaPg({ connectionString: db.url, max: options.poolSize ?? 10 }, { statementNameGenerator: statementName });
  const opened: SqlDriverAdapter[] = [];
  const direct = db.provider === "sqlite" ? new DirectSqlite() : undefined;
  const file = db.provider === "sqlite" ? sqliteFile(db) : undefined;
  let checkpointer: SqliteCheckpointer | undefined;
  let mainAdapter: SqlDriverAdapter | null = null;
  const prepare = async (connected: SqlDriverAdapter, main: boolean): Promise<SqlDriverAdapter> => {
    opened.push(connected);
    if (db.provider === "sqlite") {
      for (const sql of SQLITE_PRAGMAS) await connected.queryRaw({ sql, args: [], argTypes: [] });
    }
    if (!main) return connected;
    // SQLite: one connection, one lock for every statement and transaction on it.
    const lock = db.provider === "sqlite" ? new ConnectionLock() : undefined;
    const connection = db.provider === "sqlite" ? sqliteConnectionOf(connected) : undefined;
    const adapter = lock ? guardSqliteAdapter(connected, lock, connection) : connected;
    if (lock) opened[opened.length - 1] = adapter;
    if (direct && connection && lock) direct.attach(connection, lock);
    const background = db.provider === "sqlite" && options.backgroundCheckpoint !== false && file !== ":memory:" && !checkpointer;
    if (background) {
      await adapter.queryRaw({ sql: `PRAGMA wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`, args: [], argTypes: [] });
      checkpointer = new SqliteCheckpointer(file!);
    }
    mainAdapter = adapter;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (mainAdapter === adapter) mainAdapter = null;
      if (connection) direct?.detach(connection);
      if (background) {
        await checkpointer?.stop();
        checkpointer = undefined;
      }
      await dispose();
    };
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    direct,
    checkpointer: () => checkpointer,
    adapter: () => mainAdapter,
    hooks: {},
    connect: async () => prepare(await inner.connect(), true),
    connectToShadowDb: async () => prepare(await inner.connectToShadowDb(), false),
    disposeAll: async () => {
      const all = opened.splice(0);
      await Promise.allSettled(all.map((adapter) => adapter.dispose()));
    },
  };
}

function sqliteFile(db: DatabaseConfig): string {
  const file = db.file ?? db.url.replace(/^file:/, "");
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
