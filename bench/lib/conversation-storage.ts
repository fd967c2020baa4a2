// A small key-value storage adapter for grammY (sessions, and @grammyjs/conversations' `storage`)
// over the same drivers CareBot uses: pg and better-sqlite3. It stands in for
// @grammyjs/storage-psql, which is not installed here, and does what that adapter does: one
// table of (key, value as JSON text); read is a SELECT by key, write an upsert, delete a DELETE —
// each its own autocommit statement. The SQLite side is the same table with prepared statements.
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";

export interface KeyValueStorage<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /** Statements run so far (the benchmark counts them per message). */
  readonly statements: number;
  close(): Promise<void>;
}

const TABLE = "grammy_sessions";

export async function openKeyValueStorage<T>(config: DatabaseConfig): Promise<KeyValueStorage<T>> {
  return config.provider === "sqlite" ? sqliteStorage<T>(config.file!) : postgresStorage<T>(config.url);
}

function sqliteStorage<T>(file: string): KeyValueStorage<T> {
  const db = new Sqlite(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL)`);
  const read = db.prepare<[string], { value: string }>(`SELECT "value" FROM "${TABLE}" WHERE "key" = ?`);
  const write = db.prepare(`INSERT INTO "${TABLE}" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"`);
  const remove = db.prepare(`DELETE FROM "${TABLE}" WHERE "key" = ?`);
  let statements = 0;
  return {
    get statements() {
      return statements;
    },
    read: async (key) => {
      statements++;
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    write: async (key, value) => {
      statements++;
      write.run(key, JSON.stringify(value));
    },
    delete: async (key) => {
      statements++;
      remove.run(key);
    },
    close: async () => void db.close(),
  };
}

async function postgresStorage<T>(url: string): Promise<KeyValueStorage<T>> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS "${TABLE}" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL)`);
  let statements = 0;
  const query = (text: string, values: unknown[]) => {
    statements++;
    return pool.query<{ value: string }>({ text, values });
  };
  return {
    get statements() {
      return statements;
    },
    read: async (key) => {
      const { rows } = await query(`SELECT "value" FROM "${TABLE}" WHERE "key" = $1`, [key]);
      return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
    },
    write: async (key, value) => {
      await query(`INSERT INTO "${TABLE}" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`, [key, JSON.stringify(value)]);
    },
    delete: async (key) => {
      await query(`DELETE FROM "${TABLE}" WHERE "key" = $1`, [key]);
    },
    close: () => pool.end(),
  };
}
