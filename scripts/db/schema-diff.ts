// What SQL would bring a provider's migration history up to prisma/schema.prisma.
// Replays the history on a scratch database (SQLite in memory, PostgreSQL in an in-process
// PGlite) and diffs it against the schema, so no real database is ever touched.
import { PGlite } from "@electric-sql/pglite";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readMigrationsList } from "../../src/db/migrate/migrations-list.ts";
import { NO_FILTERS, openSchemaEngine } from "../../src/db/migrate/wasm-engine.ts";
import { deriveSchema, derivedSchemaPath, migrationsDir } from "../../src/db/schema-source.ts";
import type { Provider } from "../../src/db/schema-source.ts";

/**
 * The SQL of the next migration, or null when the history already matches the schema. `scratch`
 * lends a PGlite for the PostgreSQL history (booting one takes seconds): a caller asking several
 * questions shares one, since replaying a history already applied changes nothing.
 */
export async function pendingSchemaChange(provider: Provider, source?: string, scratch?: PGlite): Promise<string | null> {
  const pglite = provider === "postgresql" ? (scratch ?? new PGlite()) : undefined;
  const adapter: SqlMigrationAwareDriverAdapterFactory = pglite
    ? new PrismaPGlite(pglite)
    : new PrismaBetterSqlite3({ url: ":memory:" });
  const schemaPath = derivedSchemaPath(provider);
  const content = deriveSchema(provider, source);
  const engine = await openSchemaEngine({ path: schemaPath, content }, adapter);
  try {
    await engine.applyMigrations({ migrationsList: readMigrationsList(migrationsDir(provider)), filters: NO_FILTERS });
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: schemaPath, content }], configDir: process.cwd() },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? "") : null;
  } finally {
    engine.free();
    if (pglite !== scratch) await pglite?.close();
  }
}
