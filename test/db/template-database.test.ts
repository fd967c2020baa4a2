// The suite copies one migrated template per test file (test/support/template-database.ts): a
// copy must be what migrating would have made, each copy its own, and the template remade when
// a migration changes.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrationStatus } from "../../src/db/migrate/index.ts";
import { migrationsDir } from "../../src/db/schema-source.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { migrationsHash } from "../support/template-database.ts";

describe(`the migrated template on ${TEST_PROVIDER}`, () => {
  let a: MigratedDatabase;
  let b: MigratedDatabase;
  beforeAll(async () => {
    [a, b] = [await createMigratedDatabase(), await createMigratedDatabase()];
  });
  afterAll(async () => {
    await a.dispose();
    await b.dispose();
  });

  it("gives a database with every migration applied, as the engine reports it, and no data", async () => {
    expect(await migrationStatus(a.config)).toMatchObject({ upToDate: true, pending: [], edited: [], failed: [], unknown: [] });
    const names = await a.db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    const folders = readdirSync(migrationsDir(TEST_PROVIDER), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(names.map((row) => row.migration_name)).toEqual(folders);
    expect(await a.db.prisma.clinic.count()).toBe(0);
  });

  it("gives each test its own copy: what one writes, another never sees", async () => {
    await createClinic(a.db.prisma);
    expect(await a.db.prisma.clinic.count()).toBe(1);
    expect(await b.db.prisma.clinic.count()).toBe(0);
  });

  it("is made by the run's global setup, so test files copy it rather than migrate", () => {
    expect(inject("migratedTemplate")).toMatchObject({ provider: TEST_PROVIDER });
  });
});

describe("the template's key", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "carebot-migrations-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("changes when a migration is edited or added, and only then", () => {
    cpSync(migrationsDir("sqlite"), dir, { recursive: true });
    const original = migrationsHash("sqlite", dir);
    expect(migrationsHash("sqlite", dir)).toBe(original);
    expect(migrationsHash("sqlite")).toBe(original);
    const first = readdirSync(dir).filter((name) => name !== "migration_lock.toml").sort()[0]!;
    writeFileSync(path.join(dir, first, "migration.sql"), "-- edited\n", { flag: "a" });
    const edited = migrationsHash("sqlite", dir);
    expect(edited).not.toBe(original);
    writeFileSync(path.join(dir, "migration_lock.toml"), "\n", { flag: "a" });
    expect(migrationsHash("sqlite", dir)).not.toBe(edited);
    expect(migrationsHash("postgresql")).not.toBe(original);
  });
});
