import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { databaseConfig } from "../../src/config.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import type { Database } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate/index.ts";
import { databaseUrl, withAdmin } from "./template-database.ts";
import type { MigratedTemplate } from "./template-database.ts";

/**
 * Integration tests run on the database CI chose for this run: real PostgreSQL when
 * TEST_DATABASE_URL is set, a real SQLite file otherwise. Each call makes a fresh database.
 */
export const TEST_PROVIDER: DatabaseConfig["provider"] = process.env.TEST_DATABASE_URL ? "postgresql" : "sqlite";

export interface TestDatabase {
  config: DatabaseConfig;
  /** Drops the database (PostgreSQL) or deletes its folder (SQLite). */
  drop(): Promise<void>;
}

/** A fresh database with no tables: for tests of migrating and of a first start. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase(undefined);
}

/**
 * A fresh database as made from `template` (a file copy on SQLite, CREATE DATABASE … TEMPLATE
 * on PostgreSQL), or empty without one.
 */
async function createDatabase(template: MigratedTemplate | undefined): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), "carebot-test-"));
    const file = path.join(dir, "carebot.db");
    if (template?.provider === "sqlite") copyFileSync(template.file, file);
    return {
      config: databaseConfig(`file:${file}`),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `carebot_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const from = template?.provider === "postgresql" ? ` TEMPLATE "${template.database}"` : "";
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"${from}`));
  return {
    config: databaseConfig(databaseUrl(adminUrl, name)),
    drop: async () => {
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export interface MigratedDatabase extends TestDatabase {
  db: Database;
  /** Closes the client and drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh database with every migration applied and a client open on it: a copy of the run's
 * migrated template (test/support/global-setup.ts), or migrated here when there is none.
 */
export async function createMigratedDatabase(): Promise<MigratedDatabase> {
  const database = await createMigratedTarget();
  const db = openDatabase(database.config);
  return {
    ...database,
    db,
    dispose: async () => {
      await db.close();
      await database.drop();
    },
  };
}

/** A fresh migrated database without a client: for tests that start CareBot on it themselves. */
export async function createMigratedTarget(): Promise<TestDatabase> {
  const template = migratedTemplate();
  if (template) return createDatabase(template);
  const empty = await createEmptyDatabase();
  await applyMigrations(empty.config);
  return empty;
}

/** The template global-setup.ts made for this run's provider; none outside vitest's workers. */
function migratedTemplate(): MigratedTemplate | undefined {
  const template = inject("migratedTemplate");
  return template?.provider === TEST_PROVIDER ? template : undefined;
}

declare module "vitest" {
  export interface ProvidedContext {
    migratedTemplate: MigratedTemplate | null;
  }
}
