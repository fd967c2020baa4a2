import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { databaseConfig } from "../../src/config.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";
import { migrationsDir } from "../../src/db/schema-source.ts";
import type { Provider } from "../../src/db/schema-source.ts";

/**
 * A database with every migration applied, made once and copied for each test file: running the
 * WebAssembly schema engine in every file cost more than the copy. Which template a run uses is
 * decided by global-setup.ts and handed to the test files (vitest's provide/inject).
 */
export type MigratedTemplate = { provider: "sqlite"; file: string } | { provider: "postgresql"; database: string };

/** Where SQLite templates are kept between runs (one small file per migrations hash). */
export const SQLITE_TEMPLATE_DIR = path.join(tmpdir(), "carebot-test-templates");

/**
 * Names the migrated schema: the provider's migration files (names and contents) and the schema
 * engine's version, which writes the history table. Any change to either makes a new template.
 */
export function migrationsHash(provider: Provider, base = migrationsDir(provider)): string {
  const hash = createHash("sha256").update(`${provider}\n${schemaEngineVersion()}\n`);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(`${path.relative(base, full)}\n`).update(readFileSync(full)).update("\n");
    }
  };
  if (existsSync(base)) walk(base);
  return hash.digest("hex").slice(0, 16);
}

function schemaEngineVersion(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** The template for this run's database, built if no run has built it for these migrations yet. */
export async function ensureTemplate(adminUrl: string | undefined): Promise<{ template: MigratedTemplate; built: boolean }> {
  if (!adminUrl) return ensureSqliteTemplate(migrationsHash("sqlite"));
  return ensurePostgresTemplate(adminUrl, migrationsHash("postgresql"));
}

async function ensureSqliteTemplate(hash: string): Promise<{ template: MigratedTemplate; built: boolean }> {
  const file = path.join(SQLITE_TEMPLATE_DIR, `sqlite-${hash}.db`);
  if (existsSync(file)) return { template: { provider: "sqlite", file }, built: false };
  mkdirSync(SQLITE_TEMPLATE_DIR, { recursive: true });
  // Built aside and renamed into place, so a run never copies a half-made template (another run may build it too).
  const work = mkdtempSync(path.join(SQLITE_TEMPLATE_DIR, "building-"));
  try {
    const building = path.join(work, "carebot.db");
    await applyMigrations(databaseConfig(`file:${building}`));
    // The migrated file is in WAL mode: fold the log into it and close, so the one file is the whole database.
    const connection = new Sqlite(building);
    connection.pragma("wal_checkpoint(TRUNCATE)");
    connection.close();
    for (const suffix of ["-wal", "-shm", "-journal"]) {
      if (existsSync(building + suffix)) throw new Error(`the template ${building} still has a ${suffix} file after closing`);
    }
    renameSync(building, file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { template: { provider: "sqlite", file }, built: true };
}

async function ensurePostgresTemplate(adminUrl: string, hash: string): Promise<{ template: MigratedTemplate; built: boolean }> {
  const database = `carebot_tpl_${hash}`;
  const exists = async () =>
    withAdmin(adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1);
  if (await exists()) return { template: { provider: "postgresql", database }, built: false };
  const building = `carebot_tplb_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${building}"`));
  try {
    await applyMigrations(databaseConfig(databaseUrl(adminUrl, building)));
    // No connections to a template: CREATE DATABASE … TEMPLATE refuses to copy one that has any.
    await withAdmin(adminUrl, async (c) => {
      await c.query(`ALTER DATABASE "${building}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${database}"`);
    });
  } catch (error) {
    await dropTemplate(adminUrl, building);
    // Another run built the same template meanwhile: use theirs.
    if (await exists()) return { template: { provider: "postgresql", database }, built: false };
    throw error;
  }
  return { template: { provider: "postgresql", database }, built: true };
}

async function dropTemplate(adminUrl: string, database: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`ALTER DATABASE "${database}" WITH IS_TEMPLATE false`).catch(() => {});
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });
}

/** The admin URL pointed at another database on the same server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
