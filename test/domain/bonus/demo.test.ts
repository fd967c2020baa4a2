import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client.ts";
import { creditExpiresAt } from "../../../src/domain/bonus/expiry-dates.ts";
import { accrualPoints } from "../../../src/domain/bonus/accrual.ts";
import { accrueForVisit, expireDue, redeem } from "../../../src/domain/bonus/ledger.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { seedDemo } from "../../../src/seed/demo.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { createMigratedDatabase } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { expectConsistent } from "./setup.ts";

// The demo clinic writes its ledger rows directly; the ledger's functions must take over from
// them as if they had booked them: same keys, same amounts, same expiry dates, no double booking.
describe(`the demo clinic's ledger on ${TEST_PROVIDER}`, () => {
  const NOW = new Date("2026-11-22T09:00:00Z");
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const rules = parseClinicSettings({}).bonus;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await seedDemo(t.db, new FixedClock(NOW), "Europe/Moscow", { password: "demo-pass" })).clinicId;
  }, 60_000);
  afterAll(() => t.dispose());

  it("seeds credits with the amounts and expiry dates the ledger would give them", async () => {
    await expectConsistent(db);
    const credits = await db.bonusEntry.findMany({ where: { clinicId, amount: { gt: 0 } }, include: { visit: true } });
    expect(credits.length).toBeGreaterThan(50);
    for (const c of credits) {
      expect(c.expiresAt, c.sourceKey).toEqual(creditExpiresAt(c.createdAt, rules));
      if (c.kind === "accrual") expect(c.amount, c.sourceKey).toBe(accrualPoints(c.visit!.amount, c.visit!.serviceCategory, rules));
    }
  });

  it("finds every demo visit already booked when it is replayed", async () => {
    const before = await db.bonusEntry.count();
    const visits = await db.visit.findMany({ where: { clinicId, status: "completed" }, orderBy: { completedAt: "asc" } });
    for (const v of visits) {
      const result = await db.$transaction((tx) =>
        accrueForVisit(tx, { clinicId, patientId: v.patientId, visit: { ...v, completedAt: v.completedAt! }, rules }),
      );
      const expected = accrualPoints(v.amount, v.serviceCategory, rules);
      // A visit that earned nothing and no welcome bonus has nothing booked to find.
      if (expected > 0 || result.welcome > 0) expect(result, v.externalId).toMatchObject({ alreadyBooked: true, accrued: expected });
    }
    expect(await db.bonusEntry.count()).toBe(before);
  });

  it("has nothing due at seeding time, and expires everything a year later", async () => {
    expect(await db.$transaction((tx) => expireDue(tx, { clinicId, now: NOW }))).toEqual({ entries: 0, points: 0 });
    const patient = (await db.bonusAccount.findFirstOrThrow({ where: { clinicId, balance: { gt: 100 } } })).patientId;
    await db.$transaction((tx) => redeem(tx, { clinicId, patientId: patient, points: 100, key: "demo-bill", now: NOW }));
    const later = new Date(NOW.getTime() + 366 * 86_400_000);
    let total = 0;
    for (;;) {
      const run = await db.$transaction((tx) => expireDue(tx, { clinicId, now: later, limit: 40 }));
      total += run.entries;
      if (run.entries < 40) break;
    }
    expect(total).toBeGreaterThan(40);
    expect(await db.bonusAccount.count({ where: { clinicId, balance: { not: 0 } } })).toBe(0);
    await expectConsistent(db);
  });
});
