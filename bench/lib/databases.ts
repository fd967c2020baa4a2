// Fresh, migrated databases for a benchmark run: a SQLite file in a temporary folder, or a new
// database on a throwaway PostgreSQL server that this module starts (.ci/postgres.sh) and stops.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseConfig } from "../../src/config.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";
import { ROOT } from "./report.ts";

export type Provider = DatabaseConfig["provider"];

export interface BenchDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A PostgreSQL server for the run: BENCH_DATABASE_URL if given, else a throwaway one. */
export interface PostgresServer {
  adminUrl: string;
  stop(): void;
}

export function startPostgres(): PostgresServer {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { adminUrl: given, stop: () => {} };
  const out = execFileSync(path.join(ROOT, ".ci/postgres.sh"), ["start"], { encoding: "utf8" });
  const url = /TEST_DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`.ci/postgres.sh start printed no URL: ${out}`);
  return { adminUrl: url, stop: () => execFileSync(path.join(ROOT, ".ci/postgres.sh"), ["stop", dir]) };
}

export async function createBenchDatabase(provider: Provider, server?: PostgresServer): Promise<BenchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-bench-"));
    const config = databaseConfig(`file:${path.join(dir, "carebot.db")}`);
    await applyMigrations(config);
    return { config, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!server) throw new Error("a PostgreSQL benchmark needs a server");
  const name = `carebot_bench_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await withAdmin(server.adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  const config = databaseConfig(url.toString());
  await applyMigrations(config);
  return { config, drop: () => withAdmin(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}) };
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
