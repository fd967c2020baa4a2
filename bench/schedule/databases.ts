// Fresh, migrated databases for the benchmark: a SQLite file in a temporary folder, or a new
// database on a PostgreSQL server (a throwaway one started by .ci/postgres.sh unless
// BENCH_DATABASE_URL names a server to use).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseConfig } from "../../src/config.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";
import type { DbName } from "./options.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const PG_SCRIPT = path.join(REPO, ".ci/postgres.sh");

export interface BenchDatabase {
  name: DbName;
  config: DatabaseConfig;
  db: Database;
  /** Closes the client and deletes the database. */
  dispose(): Promise<void>;
}

/** A PostgreSQL server the benchmark can create databases on. */
export interface PostgresServer {
  adminUrl: string;
  /** Stops the server if the benchmark started it. */
  stop(): void;
}

/** Starts a throwaway server, or uses BENCH_DATABASE_URL (a superuser URL) as it is. */
export function startPostgres(): PostgresServer {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { adminUrl: given, stop: () => {} };
  const out = execFileSync(PG_SCRIPT, ["start"], { cwd: REPO, encoding: "utf8" });
  const url = /TEST_DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`.ci/postgres.sh start printed no URL: ${out}`);
  let stopped = false;
  return {
    adminUrl: url,
    stop: () => {
      if (stopped) return;
      stopped = true;
      execFileSync(PG_SCRIPT, ["stop", dir], { cwd: REPO, stdio: "ignore" });
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

let counter = 0;

/** A new database with every migration applied (the project's own migrator) and a client on it. */
export async function createBenchDatabase(name: DbName, server: PostgresServer | null): Promise<BenchDatabase> {
  if (name === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-bench-schedule-"));
    const config = databaseConfig(`file:${path.join(dir, "carebot.db")}`);
    await applyMigrations(config);
    const db = openDatabase(config);
    return { name, config, db, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  if (!server) throw new Error("a PostgreSQL database needs a server");
  const dbName = `carebot_bench_${process.pid}_${++counter}`;
  await withAdmin(server.adminUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${dbName}`;
  const config = databaseConfig(url.toString());
  await applyMigrations(config);
  const db = openDatabase(config);
  return {
    name,
    config,
    db,
    dispose: async () => {
      await db.close();
      await withAdmin(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    },
  };
}
