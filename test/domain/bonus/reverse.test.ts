import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accrueForVisit, redeem, reverseVisit } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { NOW, days, expectConsistent, ledgerOf, openLedger } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

describe(`reversal on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger();
  });
  afterAll(() => l.t.dispose());

  const accrue = async (patientId: number, amount: number, completedAt = NOW) => {
    const visit = await l.visit(patientId, { amount, completedAt });
    await l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId, visit, rules: l.rules }));
    return visit;
  };
  const reverse = (patientId: number, visitExternalId: string, now = days(1)) =>
    l.tx((tx) => reverseVisit(tx, { clinicId: l.clinicId, patientId, visitExternalId, now }));

  it("takes back a refunded first visit's accrual and welcome bonus, once", async () => {
    const p = await l.patient();
    const visit = await accrue(p, 250_000); // 125 + 300
    expect(await reverse(p, visit.externalId)).toEqual({ reversed: 425, shortfall: 0 });
    expect(await reverse(p, visit.externalId, days(2))).toEqual({ reversed: 425, shortfall: 0 });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount, e.remaining])).toEqual([["accrual", 125, 0], ["welcome", 300, 0], ["reversal", -425, null]]);
    expect(entries[2]).toMatchObject({ sourceKey: `reversal:visit:${visit.externalId}`, visitId: visit.id, createdAt: days(1) });
    expect(balance).toBe(0);
    // The visit reported completed again does not earn again.
    expect(await l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId: p, visit, rules: l.rules }))).toMatchObject({ alreadyBooked: true });
    expect((await ledgerOf(l.db, p)).balance).toBe(0);
    // The welcome bonus was given once, even if taken back: the next visit earns only its own points.
    const next = await l.visit(p, { completedAt: days(5) });
    expect(await l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId: p, visit: next, rules: l.rules }))).toEqual({ accrued: 125, welcome: 0, alreadyBooked: false });
  });

  it("takes back what is left after the patient spent some, and records the shortfall", async () => {
    const p = await l.patient();
    const visit = await accrue(p, 250_000); // 125 + 300
    await l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId: p, points: 350, key: `spent-${p}`, now: NOW }));
    expect(await reverse(p, visit.externalId)).toEqual({ reversed: 75, shortfall: 350 });
    expect(await reverse(p, visit.externalId)).toEqual({ reversed: 75, shortfall: 350 });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.at(-1)).toMatchObject({ kind: "reversal", amount: -75, note: `visit ${visit.externalId}: shortfall 350 (earned 425, already spent or expired)` });
    expect(balance).toBe(0);
    await expectConsistent(l.db);
  });

  it("books the reversal even when everything was spent, and leaves other visits' points alone", async () => {
    const p = await l.patient();
    const first = await accrue(p, 100_000); // 50 + 300
    const second = await accrue(p, 400_000, days(1)); // 200, expires a day later than the first
    await l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId: p, points: 350, key: `all-first-${p}`, now: days(1) }));
    expect(await reverse(p, first.externalId, days(2))).toEqual({ reversed: 0, shortfall: 350 });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.at(-1)).toMatchObject({ kind: "reversal", amount: 0, note: expect.stringContaining("shortfall 350") });
    expect(entries.find((e) => e.sourceKey === `visit:${second.externalId}`)?.remaining).toBe(200);
    expect(balance).toBe(200);
    // The second visit is not the welcome visit: only its own accrual goes.
    expect(await reverse(p, second.externalId, days(3))).toEqual({ reversed: 200, shortfall: 0 });
    expect((await ledgerOf(l.db, p)).balance).toBe(0);
    await expectConsistent(l.db);
  });

  it("books nothing for a visit that earned nothing or is unknown", async () => {
    const p = await l.patient();
    const visit = await l.visit(p, { category: "diagnostics" });
    await l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId: p, visit, rules: { ...l.rules, welcomeBonus: 0 } }));
    expect(await reverse(p, visit.externalId)).toEqual({ reversed: 0, shortfall: 0 });
    expect(await reverse(p, "NO-SUCH-VISIT")).toEqual({ reversed: 0, shortfall: 0 });
    expect((await ledgerOf(l.db, p)).entries).toEqual([]);
  });
});
