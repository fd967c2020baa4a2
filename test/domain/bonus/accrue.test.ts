import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accrueForVisit, ensureAccount } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { DAY, NOW, expectConsistent, ledgerOf, openLedger, withRetry } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

describe(`accrual on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger({ bonus: { categoryPercent: { hygiene: 10 } } });
  });
  afterAll(() => l.t.dispose());

  const accrue = (patientId: number, visit: Awaited<ReturnType<LedgerTest["visit"]>>, rules = l.rules) =>
    l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId, visit, rules }));

  it("accrues 5% of the paid amount, rounded down, plus the welcome bonus on the first visit", async () => {
    const p = await l.patient();
    const visit = await l.visit(p, { amount: 250_099 }); // 2 500,99 ₽ → 125,0495 → 125
    expect(await accrue(p, visit)).toEqual({ accrued: 125, welcome: 300, alreadyBooked: false });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(balance).toBe(425);
    const expiresAt = new Date("2027-05-22T09:00:00Z"); // completion + 6 months
    expect(entries).toMatchObject([
      { kind: "accrual", amount: 125, remaining: 125, sourceKey: `visit:${visit.externalId}`, visitId: visit.id, expiresAt, createdAt: NOW },
      { kind: "welcome", amount: 300, remaining: 300, sourceKey: `welcome:${p}`, visitId: visit.id, expiresAt },
    ]);
  });

  it("uses a category's own percentage and gives nothing for excluded diagnostics", async () => {
    const p = await l.patient();
    expect(await accrue(p, await l.visit(p, { amount: 199_999, category: "hygiene" }))).toMatchObject({ accrued: 199, welcome: 300 });
    expect(await accrue(p, await l.visit(p, { amount: 500_000, category: "diagnostics" }))).toEqual({ accrued: 0, welcome: 0, alreadyBooked: false });
    expect(await accrue(p, await l.visit(p, { amount: 100_000, category: null }))).toEqual({ accrued: 50, welcome: 0, alreadyBooked: false });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([["accrual", 199], ["welcome", 300], ["accrual", 50]]);
    expect(balance).toBe(549);
  });

  it("gives the welcome bonus once, even when the first visit earns nothing itself", async () => {
    const p = await l.patient();
    const first = await l.visit(p, { category: "diagnostics" });
    expect(await accrue(p, first)).toEqual({ accrued: 0, welcome: 300, alreadyBooked: false });
    expect(await accrue(p, first)).toEqual({ accrued: 0, welcome: 300, alreadyBooked: true });
    expect(await accrue(p, await l.visit(p, { completedAt: new Date(NOW.getTime() + DAY) }))).toEqual({ accrued: 125, welcome: 0, alreadyBooked: false });
    expect((await ledgerOf(l.db, p)).entries.filter((e) => e.kind === "welcome")).toHaveLength(1);
  });

  it("books no welcome bonus when the clinic gives none", async () => {
    const p = await l.patient();
    expect(await accrue(p, await l.visit(p), { ...l.rules, welcomeBonus: 0 })).toEqual({ accrued: 125, welcome: 0, alreadyBooked: false });
  });

  it("answers a replayed visit with what was booked, booking nothing", async () => {
    const p = await l.patient();
    const visit = await l.visit(p, { amount: 1_000_000 });
    await accrue(p, visit);
    const before = await ledgerOf(l.db, p);
    // Replayed with other rules (the clinic changed them meanwhile): the booking stands.
    expect(await accrue(p, visit, { ...l.rules, accrualPercent: 50 })).toEqual({ accrued: 500, welcome: 300, alreadyBooked: true });
    expect(await ledgerOf(l.db, p)).toEqual(before);
    await expectConsistent(l.db);
  });

  it("creates the account on first use and refuses another clinic's patient", async () => {
    const patient = await l.db.patient.create({ data: { clinicId: l.clinicId, externalId: "NO-ACCOUNT", fullName: "Без Счёта", referralCode: "NOACC1" } });
    // Two transactions at once: one creates it, the other gets the same account, no P2002.
    const [a, b] = await Promise.all([l.tx((tx) => ensureAccount(tx, l.clinicId, patient.id)), l.tx((tx) => ensureAccount(tx, l.clinicId, patient.id))]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ balance: 0 });
    const other = await l.db.clinic.create({ data: { slug: "other", name: "Другая", timezone: "Europe/Moscow", settings: {} } });
    await expect(l.tx((tx) => ensureAccount(tx, other.id, patient.id))).rejects.toThrow(/not in clinic/);
  });

  // Two deliveries of the same "visit completed" event handled at once by two workers.
  for (const isolationLevel of [undefined, "Serializable"] as const) {
    it(`books a visit once when two transactions accrue it at the same time (${isolationLevel ?? "default isolation"})`, async () => {
      const patient = await l.db.patient.create({
        data: { clinicId: l.clinicId, externalId: `RACE-${isolationLevel ?? "default"}`, fullName: "Гонка", referralCode: `RACE${isolationLevel ? "S" : "D"}` },
      });
      const visit = await l.visit(patient.id, { amount: 300_000 });
      const retries: unknown[] = [];
      const run = () =>
        withRetry(
          () => l.db.$transaction((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId: patient.id, visit, rules: l.rules }), isolationLevel ? { isolationLevel } : {}),
          { onRetry: (error) => retries.push(error) },
        );
      const results = await Promise.all([run(), run()]);
      // At the default level the account lock makes the second wait and then find the entry:
      // nothing to retry. Serializable PostgreSQL may refuse the second once (P2034); retried, it finds it.
      if (!isolationLevel) expect(retries).toEqual([]);
      expect(results.map((r) => r.alreadyBooked).sort()).toEqual([false, true]);
      for (const r of results) expect(r).toMatchObject({ accrued: 150, welcome: 300 });
      const { balance, entries } = await ledgerOf(l.db, patient.id);
      expect(entries.map((e) => e.sourceKey)).toEqual([`visit:${visit.externalId}`, `welcome:${patient.id}`]);
      expect(balance).toBe(450);
      await expectConsistent(l.db);
    });
  }
});
