import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdapterFactory } from "../../src/db/adapters.ts";
import { CHECKPOINT_FALLBACK_PAGES } from "../../src/db/sqlite-checkpointer.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// The WAL is copied back into the database file by a worker thread, not inside a patient's commit.
describe.runIf(TEST_PROVIDER === "sqlite")("SQLite checkpoints on a worker thread", () => {
  let t: MigratedDatabase;
  const scratch = mkdtempSync(path.join(tmpdir(), "carebot-checkpoint-"));

  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const pragma = async (name: string) => {
    const rows = await t.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
    return Number(Object.values(rows[0]!)[0]);
  };

  it("leaves the service's connection to checkpoint only as a fallback", async () => {
    expect(await pragma("wal_autocheckpoint")).toBe(CHECKPOINT_FALLBACK_PAGES);
  });

  it("copies committed rows into the database file itself within a few seconds", async () => {
    const clinic = await t.db.prisma.clinic.create({ data: { slug: "wal", name: "WAL", timezone: "Europe/Moscow", settings: {} } });
    await t.db.prisma.patient.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({ clinicId: clinic.id, externalId: `W-${i}`, fullName: `Пациент ${i}`, referralCode: `WAL-${i}` })),
    });
    // The database file alone (no -wal beside it) holds the rows once a checkpoint has run.
    const inFile = () => {
      const copy = path.join(scratch, `copy-${Date.now()}.db`);
      copyFileSync(t.config.file!, copy);
      const db = new Sqlite(copy, { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM "Patient" WHERE "clinicId" = ?`).get(clinic.id) as { n: number }).n;
      } catch {
        return 0; // the copy predates even the table
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 10_000;
    while (inFile() !== 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(inFile()).toBe(300);
  });

  it("stops its thread when the database is closed, and a command can exit while it runs", async () => {
    const config = { ...t.config, url: `file:${path.join(scratch, "own.db")}`, file: path.join(scratch, "own.db") };
    const factory = createAdapterFactory(config);
    const adapter = await factory.connect();
    const checkpointer = factory.checkpointer();
    expect(checkpointer).toBeDefined();
    await adapter.executeScript(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');`);
    await factory.disposeAll();
    expect(factory.checkpointer()).toBeUndefined();
    // Closed cleanly: the last connection folded the WAL back in and removed it.
    expect(() => statSync(`${config.file}-wal`)).toThrow();
    expect(checkpointer!.failure).toBeNull();
  });

  it("is not started when turned off (migrations) or for an in-memory database", async () => {
    const off = createAdapterFactory(t.config, { backgroundCheckpoint: false });
    await off.connect();
    expect(off.checkpointer()).toBeUndefined();
    await off.disposeAll();
    const memory = createAdapterFactory({ ...t.config, url: "file::memory:", file: ":memory:" });
    await memory.connect();
    expect(memory.checkpointer()).toBeUndefined();
    await memory.disposeAll();
  });
});
