import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../src/db/client.ts";
import { TransactionTimeoutError } from "../../src/db/own-transactions.ts";
import { isConnectionFailure } from "../../src/db/errors.ts";
import { sqlRunner } from "../../src/db/sql-statement.ts";
import { createClinic } from "../support/fixtures.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// db.transaction's `timeout` used to be ignored once Prisma had connected: a step that hung kept
// its transaction open for good, and on SQLite that is the only connection's lock. It is now
// enforced as Prisma enforces its own (5 s unless the caller says otherwise).
describe(`db.transaction's timeout (on ${TEST_PROVIDER})`, () => {
  let t: MigratedDatabase;
  let clinicId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
    await t.db.prisma.$queryRawUnsafe("SELECT 1"); // connected: db.transaction runs its own transactions
  });
  afterAll(() => t.dispose());

  const addRaw = (tx: Tx, key: string) =>
    sqlRunner(tx, t.db.provider).execute(`INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "kind", "category", "payload", "dueAt", "status", "attempts", "createdAt", "updatedAt") VALUES ($1, $2, 'test', 'reply', ${t.db.provider === "postgresql" ? "CAST($3 AS JSONB)" : "$3"}, $4, 'pending', 0, $4, $4)`, [
      clinicId,
      key,
      "{}",
      new Date(),
    ]);
  const addModel = (tx: Tx, key: string) => tx.outbox.create({ data: { clinicId, idempotencyKey: key, kind: "test", category: "reply", payload: {}, dueAt: new Date() } });
  const keys = async (prefix: string) => (await t.db.prisma.outbox.findMany({ where: { idempotencyKey: { startsWith: prefix } }, orderBy: { idempotencyKey: "asc" } })).map((r) => r.idempotencyKey);

  it("rolls back a hung step, says why, frees the connection, and lets nothing the late step writes through", async () => {
    let resume!: () => void;
    const hung = new Promise<void>((resolve) => (resume = resolve));
    let late!: Promise<PromiseSettledResult<unknown>[]>;
    let finished!: () => void;
    const workEnded = new Promise<void>((resolve) => (finished = resolve));
    const hanging = t.db.transaction(
      async (tx) => {
        await addRaw(tx, "hung:before");
        await hung;
        late = Promise.allSettled([addRaw(tx, "hung:late-raw"), addModel(tx, "hung:late-model")]);
        await late;
        finished();
      },
      { timeout: 300 },
    );
    // Waits for the connection while the hung step holds it (on SQLite), then commits.
    const queued = t.db.transaction((tx) => addRaw(tx, "hung:queued"));

    const error = await hanging.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionTimeoutError);
    expect((error as Error).message).toBe("the transaction ran longer than its timeout of 300 ms and was rolled back");
    // The router lets the channel deliver the update again, as after Prisma's own timeout (P2028).
    expect(isConnectionFailure(error)).toBe(true);

    await queued;
    await t.db.transaction((tx) => addRaw(tx, "hung:after"));
    await t.db.prisma.outbox.create({ data: { clinicId, idempotencyKey: "hung:outside", kind: "test", category: "reply", payload: {}, dueAt: new Date() } });

    resume();
    await workEnded;
    for (const outcome of await late) {
      expect(outcome.status).toBe("rejected");
      expect(String((outcome as PromiseRejectedResult).reason)).toContain("used after the transaction ended");
    }
    expect(await keys("hung:")).toEqual(["hung:after", "hung:outside", "hung:queued"]);
  });

  it("gives a transaction 5 seconds when the caller names no timeout, as Prisma does", async () => {
    const error = await t.db
      .transaction(async (tx) => {
        await addModel(tx, "default:before");
        await new Promise(() => {});
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionTimeoutError);
    expect((error as TransactionTimeoutError).timeoutMs).toBe(5000);
    expect(await keys("default:")).toEqual([]);
    await t.db.transaction((tx) => addModel(tx, "default:after"));
    expect(await keys("default:")).toEqual(["default:after"]);
  }, 20_000);

  it("leaves work that ends in time alone, with the caller's longer timeout", async () => {
    const result = await t.db.transaction(
      async (tx) => {
        await addRaw(tx, "in-time:a");
        await new Promise((resolve) => setTimeout(resolve, 50));
        await addModel(tx, "in-time:b");
        return "done";
      },
      { timeout: 20_000 },
    );
    expect(result).toBe("done");
    expect(await keys("in-time:")).toEqual(["in-time:a", "in-time:b"]);
  });
});
