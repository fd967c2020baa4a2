import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { sqlRunner } from "../../src/db/sql-statement.ts";
import type { Tx } from "../../src/db/client.ts";
import { createClinic } from "../support/fixtures.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

// db.transaction begins its transactions on Prisma's adapter directly, not through Prisma's
// interactive transactions (src/db/own-transactions.ts). Callers see a transaction all the same.
describe(`db.transaction (on ${TEST_PROVIDER})`, () => {
  let t: MigratedDatabase;
  let clinicId: number;
  let n = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    clinicId = (await createClinic(t.db.prisma)).id;
  });
  afterAll(() => t.dispose());

  /** A patient with a nested bonus account: Prisma runs that as a transaction of its own. */
  const addPatient = (tx: Tx, name: string) => {
    n++;
    return tx.patient.create({ data: { clinicId, externalId: `TX-${n}`, fullName: name, referralCode: `TX-${n}`, bonusAccount: { create: { clinicId, balance: 100 } } } });
  };
  const addRaw = (tx: Tx, key: string) =>
    sqlRunner(tx, t.db.provider).execute(`INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "kind", "category", "payload", "dueAt", "status", "attempts", "createdAt", "updatedAt") VALUES ($1, $2, 'test', 'reply', ${t.db.provider === "postgresql" ? "CAST($3 AS JSONB)" : "$3"}, $4, 'pending', 0, $4, $4)`, [
      clinicId,
      key,
      "{}",
      new Date(),
    ]);
  const exists = async (name: string, key: string) => ({
    patient: (await t.db.prisma.patient.count({ where: { fullName: name } })) > 0,
    account: (await t.db.prisma.bonusAccount.count({ where: { patient: { fullName: name } } })) > 0,
    outbox: (await t.db.prisma.outbox.count({ where: { idempotencyKey: key } })) > 0,
  });

  it("commits model calls, nested writes and raw SQL together, and returns the work's result", async () => {
    await t.db.prisma.$queryRawUnsafe("SELECT 1"); // connected: from now on its own transactions
    // Prisma's interactive transactions are not what runs it.
    const prisma = t.db.prisma as unknown as { $transaction: unknown };
    const interactive = prisma.$transaction;
    prisma.$transaction = () => Promise.reject(new Error("Prisma's interactive transaction was used"));
    const id = await t.db
      .transaction(async (tx) => {
        const patient = await addPatient(tx, "Сохранённая");
        await addRaw(tx, "tx:kept");
        return patient.id;
      })
      .finally(() => (prisma.$transaction = interactive));
    expect(id).toBeGreaterThan(0);
    expect(await exists("Сохранённая", "tx:kept")).toEqual({ patient: true, account: true, outbox: true });
  });

  it("undoes all of it when the work fails, and the connection is fine afterwards", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await addPatient(tx, "Отменённая");
        await addRaw(tx, "tx:undone");
        throw new Error("step failed");
      }),
    ).rejects.toThrow("step failed");
    expect(await exists("Отменённая", "tx:undone")).toEqual({ patient: false, account: false, outbox: false });
    await t.db.transaction((tx) => addRaw(tx, "tx:after"));
    expect((await exists("-", "tx:after")).outbox).toBe(true);
  });

  it("reports a unique violation as one and rolls back what came before it", async () => {
    const error = await t.db
      .transaction(async (tx) => {
        await addPatient(tx, "Дубликат");
        await addRaw(tx, "tx:kept");
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, "idempotencyKey")).toBe(true);
    expect((await exists("Дубликат", "-")).patient).toBe(false);
  });

  it("runs beside Prisma's own transactions and other db.transaction calls one at a time, losing none", async () => {
    const slow = (name: string) =>
      t.db.transaction(async (tx) => {
        await addPatient(tx, name);
        await new Promise((r) => setTimeout(r, 30));
        await addRaw(tx, `tx:${name}`);
      });
    const prismas = (name: string) =>
      t.db.prisma.$transaction(async (tx) => {
        await addPatient(tx as Tx, name);
        await addRaw(tx as Tx, `tx:${name}`);
      });
    await Promise.all([slow("Первая"), prismas("Вторая"), slow("Третья"), prismas("Четвёртая"), slow("Пятая")]);
    for (const name of ["Первая", "Вторая", "Третья", "Четвёртая", "Пятая"]) {
      expect(await exists(name, `tx:${name}`)).toEqual({ patient: true, account: true, outbox: true });
    }
  });
});
