import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionLock } from "../../src/db/connection-lock.ts";
import { sqliteConnectionOf } from "../../src/db/prisma-internals.ts";
import { guardSqliteAdapter } from "../../src/db/sqlite-connection-guard.ts";
import { TEST_PROVIDER } from "../support/db.ts";

// The guarded adapter begins transactions itself (a kept BEGIN behind CareBot's lock) instead of
// through the adapter's startTransaction: what it hands Prisma must behave as the adapter's own.
const statement = (sql: string) => ({ sql, args: [], argTypes: [] });

describe.runIf(TEST_PROVIDER === "sqlite")("SQLite's guarded adapter", () => {
  let dir: string;
  let inner: SqlDriverAdapter;
  let guarded: SqlDriverAdapter;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "carebot-guard-"));
    inner = await new PrismaBetterSqlite3({ url: `file:${path.join(dir, "g.db")}` }).connect();
    guarded = guardSqliteAdapter(inner, new ConnectionLock(), sqliteConnectionOf(inner));
    await guarded.executeScript(`CREATE TABLE "t" ("v" TEXT)`);
  });
  afterAll(async () => {
    await guarded.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = async () => (await guarded.queryRaw(statement(`SELECT "v" FROM "t" ORDER BY "v"`))).rows.map((r) => r[0]);

  it("begins a transaction the caller commits, as the adapter's own (usePhantomQuery false); a statement outside waits for its end", async () => {
    const tx = await guarded.startTransaction();
    expect(tx.options.usePhantomQuery).toBe(false);
    await tx.executeRaw(statement(`INSERT INTO "t" VALUES ('a')`));
    const outside = guarded.executeRaw(statement(`INSERT INTO "t" VALUES ('b')`));
    expect((await tx.queryRaw(statement(`SELECT COUNT(*) FROM "t"`))).rows[0]![0]).toBe(1);
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    await outside;
    expect(await values()).toEqual(["a", "b"]);
  });

  it("rolls back to a savepoint with the adapter's SQL, and a rollback undoes the rest", async () => {
    const tx = await guarded.startTransaction();
    await tx.executeRaw(statement(`INSERT INTO "t" VALUES ('c')`));
    await tx.createSavepoint!("s1");
    await tx.executeRaw(statement(`INSERT INTO "t" VALUES ('d')`));
    await tx.rollbackToSavepoint!("s1");
    await tx.releaseSavepoint!("s1");
    expect((await tx.queryRaw(statement(`SELECT "v" FROM "t" WHERE "v" IN ('c', 'd')`))).rows).toEqual([["c"]]);
    await tx.executeRaw(statement("ROLLBACK"));
    await tx.rollback();
    expect(await values()).toEqual(["a", "b"]);
  });

  it("lets one transaction at a time begin, and fails a refused one as the adapter does, freeing the lock", async () => {
    const first = await guarded.startTransaction();
    let secondBegan = false;
    const second = guarded.startTransaction().then((tx) => {
      secondBegan = true;
      return tx;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondBegan).toBe(false);
    await first.executeRaw(statement("COMMIT"));
    await first.commit();
    const tx = await second;
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    const refused = await guarded.startTransaction("READ COMMITTED").catch((e: unknown) => e);
    expect((refused as { cause?: { kind?: string } }).cause?.kind).toBe("InvalidIsolationLevel");
    const after = await guarded.startTransaction();
    await after.executeRaw(statement("COMMIT"));
    await after.commit();
  });
});
