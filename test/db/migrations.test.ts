import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations, migrationStatus } from "../../src/db/migrate/index.ts";
import { PROVIDERS, SOURCE_SCHEMA } from "../../src/db/schema-source.ts";
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

describe("both migration histories follow prisma/schema.prisma", () => {
  it.each(PROVIDERS)("%s history has no pending change", async (provider) => {
    expect(await pendingSchemaChange(provider)).toBeNull();
  });

  it.each(PROVIDERS)("%s history would need a migration for a new field", async (provider) => {
    const source = readFileSync(SOURCE_SCHEMA, "utf8").replace("model Clinic {", "model Clinic {\n  motto String?");
    const sql = await pendingSchemaChange(provider, source);
    expect(sql).toMatch(/motto/);
  });
});
