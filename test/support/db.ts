import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseConfig } from "../../src/config.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";

/**
 * Integration tests run on the database CI chose for this run: real PostgreSQL when
 * TEST_DATABASE_URL is set, a real SQLite file otherwise. Each call makes a fresh, empty database.
 */
export const TEST_PROVIDER: DatabaseConfig["provider"] = process.env.TEST_DATABASE_URL ? "postgresql" : "sqlite";

export interface TestDatabase {
  config: DatabaseConfig;
  /** Drops the database (PostgreSQL) or deletes its folder (SQLite). */
  drop(): Promise<void>;
}

export async function createEmptyDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-test-"));
    return {
      config: databaseConfig(`file:${path.join(dir, "carebot.db")}`),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `carebot_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: databaseConfig(url.toString()),
    drop: async () => {
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface MigratedDatabase extends TestDatabase {
  db: Database;
  /** Closes the client and drops the database. */
  dispose(): Promise<void>;
}

/** A fresh database with every migration applied and a client open on it. */
export async function createMigratedDatabase(): Promise<MigratedDatabase> {
  const empty = await createEmptyDatabase();
  await applyMigrations(empty.config);
  const db = openDatabase(empty.config);
  return {
    ...empty,
    db,
    dispose: async () => {
      await db.close();
      await empty.drop();
    },
  };
}
