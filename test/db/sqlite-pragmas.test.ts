import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../src/db/adapters.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// The adapter sets no pragmas of its own; without these SQLite runs a rollback journal with
// synchronous=FULL and no foreign keys.
describe.runIf(TEST_PROVIDER === "sqlite")("SQLite connection settings", () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t.dispose());

  const pragma = async (name: string) => {
    const rows = await t.db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
    return String(Object.values(rows[0]!)[0]);
  };

  it("uses WAL, synchronous NORMAL, foreign keys and a busy timeout", async () => {
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("synchronous")).toBe("1");
    expect(await pragma("foreign_keys")).toBe("1");
    expect(await pragma("busy_timeout")).toBe(String(SQLITE_BUSY_TIMEOUT_MS));
  });
});
