import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directSqliteOf } from "../../src/db/direct-sqlite.ts";
import { isInteractiveTransactionClient, sqliteConnectionOf } from "../../src/db/prisma-internals.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// src/db/prisma-internals.ts lists what CareBot assumes about Prisma beyond the adapters' typed
// interface. Each point is checked here against the installed Prisma, on the adapter itself
// (not CareBot's guarded one), so an upgrade that changes one fails here first, by name.
const statement = (sql: string) => ({ sql, args: [], argTypes: [] });

describe.runIf(TEST_PROVIDER === "sqlite")("Prisma's SQLite adapter, as CareBot assumes it is", () => {
  let dir: string;
  let adapter: SqlDriverAdapter;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "carebot-internals-"));
    adapter = await new PrismaBetterSqlite3({ url: `file:${path.join(dir, "a.db")}` }).connect();
    await adapter.executeScript(`CREATE TABLE "t" ("v" TEXT)`);
  });
  afterAll(async () => {
    await adapter.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = async () => (await adapter.queryRaw(statement(`SELECT "v" FROM "t" ORDER BY "v"`))).rows.map((r) => r[0]);

  it("(1) keeps its better-sqlite3 connection in `client` (else the direct path is off)", () => {
    const connection = sqliteConnectionOf(adapter);
    expect(connection).toBeInstanceOf(Sqlite);
    expect(connection!.open).toBe(true);
  });

  it("(2) lets a statement sent to the adapter itself run inside an open transaction, lost with its rollback (why sqlite-connection-guard.ts exists)", async () => {
    const transaction: Transaction = await adapter.startTransaction();
    expect(transaction.options.usePhantomQuery).toBe(false);
    await transaction.executeRaw(statement(`INSERT INTO "t" VALUES ('in the transaction')`));
    await adapter.executeRaw(statement(`INSERT INTO "t" VALUES ('outside, meant to stay')`));
    await transaction.executeRaw(statement("ROLLBACK"));
    await transaction.rollback();
    expect(await values()).toEqual([]);
  });

  it("(2) locks its connection in startTransaction only: the next one waits for the first to end", async () => {
    const order: string[] = [];
    const first = await adapter.startTransaction();
    const second = adapter.startTransaction().then((tx) => {
      order.push("second began");
      return tx;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push("first ends");
    await first.executeRaw(statement("COMMIT"));
    await first.commit();
    const tx = await second;
    await tx.executeRaw(statement("COMMIT"));
    await tx.commit();
    expect(order).toEqual(["first ends", "second began"]);
  });
});

describe(`Prisma's interactive-transaction client (on ${TEST_PROVIDER})`, () => {
  let t: MigratedDatabase;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    await t.db.prisma.$queryRawUnsafe("SELECT 1");
  });
  afterAll(() => t.dispose());

  it("(3) is a proxy of its client: another object, without $connect, reading the client's own properties", async () => {
    expect(isInteractiveTransactionClient(t.db.prisma)).toBe(false);
    await t.db.prisma.$transaction(async (tx) => {
      expect(tx).not.toBe(t.db.prisma);
      expect(isInteractiveTransactionClient(tx)).toBe(true);
      expect(directSqliteOf(tx)).toBe(directSqliteOf(t.db.prisma));
    });
    if (TEST_PROVIDER === "sqlite") expect(directSqliteOf(t.db.prisma)).toBeDefined();
  });
});
