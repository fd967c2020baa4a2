import type { DatabaseConfig } from "../../config.ts";
import { createAdapterFactory } from "../adapters.ts";
import type { TrackedAdapterFactory } from "../adapters.ts";
import { deriveSchema, derivedSchemaPath, migrationsDir } from "../schema-source.ts";
import type { Provider } from "../schema-source.ts";
import { historyMatches } from "./history-check.ts";
import { readMigrationsList } from "./migrations-list.ts";
import { NO_FILTERS, openSchemaEngine } from "./wasm-engine.ts";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

export interface MigrationStatus {
  /** In the folder, not yet in the database. */
  pending: string[];
  /** Applied, but their migration.sql changed since. */
  edited: string[];
  /** Started and failed: the database needs a person's look. */
  failed: string[];
  /** In the database, not in the folder (written by a newer CareBot?). */
  unknown: string[];
  upToDate: boolean;
}

/**
 * Runs `fn` with the WebAssembly schema engine on the configured database, then closes the engine
 * and every connection it opened (a leftover SQLite connection would keep the file busy).
 */
async function withEngine<T>(db: DatabaseConfig, fn: (engine: SchemaEngine, provider: Provider) => Promise<T>): Promise<T> {
  const provider = db.provider;
  const adapter: TrackedAdapterFactory = createAdapterFactory(db, { poolSize: 1, backgroundCheckpoint: false });
  const schema = { path: derivedSchemaPath(provider), content: deriveSchema(provider) };
  const engine = await openSchemaEngine(schema, adapter);
  try {
    return await fn(engine, provider);
  } finally {
    engine.free();
    await adapter.disposeAll();
  }
}

/**
 * Applies every pending migration of the database's provider; returns the names applied. A
 * shorter `migrationsList` (the folder's first few) leaves a database as an older CareBot made it.
 */
export async function applyMigrations(
  db: DatabaseConfig,
  migrationsList: MigrationList = readMigrationsList(migrationsDir(db.provider)),
): Promise<string[]> {
  if (await historyMatches(db, migrationsList)) return [];
  return withEngine(db, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

export async function migrationStatus(db: DatabaseConfig): Promise<MigrationStatus> {
  return withEngine(db, async (engine, provider) => {
    const list = readMigrationsList(migrationsDir(provider));
    const all = list.migrationDirectories.map((d) => d.path);
    let out;
    try {
      out = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS });
    } catch (error) {
      // A database never migrated has no history table; the engine says so by failing.
      if (/_prisma_migrations` does not exist/.test(String((error as Error).message))) {
        return { pending: all, edited: [], failed: [], unknown: [], upToDate: all.length === 0 };
      }
      throw error;
    }
    const history = out.history;
    const pending = !out.hasMigrationsTable
      ? all
      : history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge"
        ? history.unappliedMigrationNames
        : [];
    const unknown =
      history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge"
        ? history.unpersistedMigrationNames
        : [];
    const status = { pending, edited: out.editedMigrationNames, failed: out.failedMigrationNames, unknown };
    return { ...status, upToDate: Object.values(status).every((names) => names.length === 0) };
  });
}
