import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { verifyPassword } from "../../src/operators/password.ts";
import { DEMO_PATIENT_COUNT, seedDemo } from "../../src/seed/demo.ts";
import type { DemoSeedResult } from "../../src/seed/demo.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";

const NOW = "2026-11-22T09:00:00Z"; // 12:00 in Moscow

describe(`demo clinic on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let result: DemoSeedResult;
  const clock = new FixedClock(NOW);
  const now = DateTime.fromISO(NOW).setZone("Europe/Moscow");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    result = await seedDemo(t.db, clock, "Europe/Moscow", { password: "demo-pass" });
  }, 60_000);
  afterAll(() => t.dispose());

  it("creates the clinic, its patients and an operator whose password works", async () => {
    expect(result.patients).toBe(DEMO_PATIENT_COUNT);
    expect(await db.patient.count()).toBe(DEMO_PATIENT_COUNT);
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: result.clinicId } });
    expect(clinic).toMatchObject({ timezone: "Europe/Moscow", locale: "ru" });
    const operator = await db.operator.findUniqueOrThrow({ where: { login: result.operatorLogin } });
    expect(operator.role).toBe("admin");
    expect(await verifyPassword("demo-pass", operator.passwordHash)).toBe(true);
  });

  it("stores phones in E.164 and unique referral codes", async () => {
    const patients = await db.patient.findMany();
    for (const p of patients) expect(p.phone).toMatch(/^\+7999\d{7}$/);
    expect(new Set(patients.map((p) => p.phone)).size).toBe(DEMO_PATIENT_COUNT);
  });

  it("gives every scheduled job someone to write to", async () => {
    const yesterday = { gte: now.minus({ days: 1 }).startOf("day").toJSDate(), lt: now.startOf("day").toJSDate() };
    expect(await db.visit.count({ where: { status: "completed", isProcedure: true, completedAt: yesterday } })).toBeGreaterThanOrEqual(3);
    expect(await db.visit.count({ where: { status: "completed", completedAt: { gte: now.minus({ hours: 4 }).toJSDate() } } })).toBeGreaterThanOrEqual(2);
    expect(await db.patient.count({ where: { birthMonthDay: now.month * 100 + now.day } })).toBeGreaterThanOrEqual(1);
    expect(await db.patient.count({ where: { birthMonthDay: 229 } })).toBeGreaterThanOrEqual(1);
    expect(await db.followUp.count({ where: { status: "open", dueAt: { lt: clock.now() } } })).toBeGreaterThanOrEqual(6);
    expect(await db.followUp.count({ where: { missedAt: { not: null } } })).toBeGreaterThanOrEqual(2);
    expect(await db.bonusAccount.count({ where: { balance: { gt: 0 } } })).toBeGreaterThan(30);
    expect(
      await db.bonusEntry.count({ where: { remaining: { gt: 0 }, expiresAt: { gt: clock.now(), lt: now.plus({ days: 14 }).toJSDate() } } }),
    ).toBeGreaterThanOrEqual(4);
    expect(await db.patient.count({ where: { lastCompletedVisitAt: { lt: now.minus({ months: 6 }).toJSDate() } } })).toBeGreaterThanOrEqual(5);
    expect(await db.patient.count({ where: { optedOutAt: { not: null } } })).toBe(2);
    expect(await db.slot.count({ where: { status: "free", startsAt: { gt: clock.now() } } })).toBeGreaterThan(50);
  });

  it("keeps each account's cached balance equal to its ledger", async () => {
    const sums = await db.bonusEntry.groupBy({ by: ["accountId"], _sum: { amount: true } });
    const accounts = await db.bonusAccount.findMany();
    const byId = new Map(sums.map((s) => [s.accountId, s._sum.amount ?? 0]));
    for (const a of accounts) expect(a.balance).toBe(byId.get(a.id) ?? 0);
  });

  it("refuses to seed the demo clinic twice", async () => {
    await expect(seedDemo(t.db, clock, "Europe/Moscow")).rejects.toThrow(/already exists/);
  });
});
