import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations, migrationStatus } from "../../src/db/migrate/index.ts";
import { historyMatches } from "../../src/db/migrate/history-check.ts";
import { readMigrationsList } from "../../src/db/migrate/migrations-list.ts";
import { migrationsDir, PROVIDERS, SOURCE_SCHEMA } from "../../src/db/schema-source.ts";
import type { Provider } from "../../src/db/schema-source.ts";
import { pendingSchemaChange } from "../../scripts/db/schema-diff.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

describe(`migrations on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createEmptyDatabase();
  });
  afterAll(() => target.drop());

  it("reports every migration pending on an empty database, applies them, then nothing", async () => {
    const before = await migrationStatus(target.config);
    expect(before.upToDate).toBe(false);
    expect(before.pending.length).toBeGreaterThan(0);

    const applied = await applyMigrations(target.config);
    expect(applied).toEqual(before.pending);
    expect(await applyMigrations(target.config)).toEqual([]);
    expect(await migrationStatus(target.config)).toMatchObject({ upToDate: true, pending: [], edited: [], failed: [] });
  });

  it("leaves a database the application can use at once, with prisma's own history table", async () => {
    const db = openDatabase(target.config);
    try {
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(await db.prisma.clinic.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("notices a migration edited after it was applied", async () => {
    const db = openDatabase(target.config);
    try {
      await db.prisma.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET checksum = 'x'`);
    } finally {
      await db.close();
    }
    const status = await migrationStatus(target.config);
    expect(status.upToDate).toBe(false);
    expect(status.edited.length).toBeGreaterThan(0);
  });
});

describe(`the history check that spares the schema engine on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createEmptyDatabase();
  });
  afterAll(() => target.drop());

  it("finds nothing to apply only when every migration of the folder is applied, finished and unedited", async () => {
    const list = readMigrationsList(migrationsDir(TEST_PROVIDER));
    const dirs = list.migrationDirectories;
    expect(await historyMatches(target.config, list)).toBe(false); // no history table yet
    await applyMigrations(target.config);
    expect(await historyMatches(target.config, list)).toBe(true);
    expect(await applyMigrations(target.config)).toEqual([]);

    const pending = { path: "29991231000000_next", migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: "SELECT 1;" } } };
    expect(await historyMatches(target.config, { ...list, migrationDirectories: [...dirs, pending] })).toBe(false);
    expect(await historyMatches(target.config, { ...list, migrationDirectories: dirs.slice(0, -1) })).toBe(false);
    const first = dirs[0]!;
    const edited = { ...first, migrationFile: { ...first.migrationFile, content: { tag: "ok" as const, value: `${String(first.migrationFile.content.value)}\n-- edited` } } };
    expect(await historyMatches(target.config, { ...list, migrationDirectories: [edited, ...dirs.slice(1)] })).toBe(false);

    const db = openDatabase(target.config);
    try {
      await db.prisma.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = '${first.path}'`);
    } finally {
      await db.close();
    }
    expect(await historyMatches(target.config, list)).toBe(false); // a failed migration is the engine's to report
  });
});

describe("both migration histories follow prisma/schema.prisma", () => {
  // One in-process PostgreSQL for both questions: booting PGlite is most of their cost.
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite.close());
  const scratch = (provider: Provider) => (provider === "postgresql" ? pglite : undefined);

  it.each(PROVIDERS)("%s history has no pending change", async (provider) => {
    expect(await pendingSchemaChange(provider, undefined, scratch(provider))).toBeNull();
  });

  it.each(PROVIDERS)("%s history would need a migration for a new field", async (provider) => {
    const source = readFileSync(SOURCE_SCHEMA, "utf8").replace("model Clinic {", "model Clinic {\n  motto String?");
    const sql = await pendingSchemaChange(provider, source, scratch(provider));
    expect(sql).toMatch(/motto/);
  });
});
