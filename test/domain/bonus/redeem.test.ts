import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adjust, InsufficientPointsError, maxRedeemable, redeem } from "../../../src/domain/bonus/ledger.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { NOW, expectConsistent, ledgerOf, openLedger } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

const rules = parseClinicSettings({}).bonus;

describe("maxRedeemable", () => {
  it("caps points at half the bill in whole roubles, and at the balance", () => {
    expect(maxRedeemable(1_000, 150_000, rules)).toBe(750); // 1 500 ₽ bill → at most 750
    expect(maxRedeemable(300, 150_000, rules)).toBe(300);
    expect(maxRedeemable(1_000, 99_999, rules)).toBe(499); // 999,99 ₽ × 0.5 = 499,995 → 499
  });
  it("follows the clinic's share without float surprises", () => {
    expect(maxRedeemable(10_000, 1_001, { ...rules, maxBillShare: 0.3 })).toBe(3);
    expect(maxRedeemable(10_000, 100_000, { ...rules, maxBillShare: 0.7 })).toBe(700);
    expect(maxRedeemable(10_000, 100_000, { ...rules, maxBillShare: 1 })).toBe(1_000);
    expect(maxRedeemable(10_000, 100_000, { ...rules, maxBillShare: 0 })).toBe(0);
  });
  it("gives nothing for an empty balance or bill", () => {
    expect(maxRedeemable(0, 100_000, rules)).toBe(0);
    expect(maxRedeemable(500, 0, rules)).toBe(0);
    expect(maxRedeemable(-5, 100_000, rules)).toBe(0);
  });
});

describe(`redemption on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger();
  });
  afterAll(() => l.t.dispose());

  const credit = (patientId: number, points: number) =>
    l.tx((tx) => adjust(tx, { clinicId: l.clinicId, patientId, points, key: `seed-${patientId}-${points}`, note: "начальный остаток", rules: l.rules, now: NOW }));
  const spend = (patientId: number, points: number, key: string, note?: string) =>
    l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId, points, key, now: NOW, ...(note ? { note } : {}) }));

  it("spends points once per key and answers a replay with the first result", async () => {
    const p = await l.patient();
    await credit(p, 500);
    expect(await spend(p, 200, `bill-${p}`, "оплата счёта 17")).toEqual({ redeemed: 200 });
    expect(await spend(p, 200, `bill-${p}`)).toEqual({ redeemed: 200 });
    // Even a replay with other points returns the booking, not a new one.
    expect(await spend(p, 50, `bill-${p}`)).toEqual({ redeemed: 200 });
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.filter((e) => e.kind === "redemption")).toMatchObject([{ amount: -200, sourceKey: `redeem:bill-${p}`, note: "оплата счёта 17" }]);
    expect(balance).toBe(300);
  });

  it("refuses more than the balance, zero, negative and fractional points", async () => {
    const p = await l.patient();
    await credit(p, 100);
    const refused = await spend(p, 101, `over-${p}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsufficientPointsError);
    expect(refused).toMatchObject({ requested: 101, balance: 100, message: "cannot take 101 bonus points: the balance is 100" });
    for (const points of [0, -5, 1.5]) await expect(spend(p, points, `bad-${p}-${points}`)).rejects.toThrow(/whole positive number/);
    await expect(spend(p, 10, " ")).rejects.toThrow(/non-empty idempotency key/);
    expect((await ledgerOf(l.db, p)).balance).toBe(100);
    expect(await spend(p, 100, `exact-${p}`)).toEqual({ redeemed: 100 });
  });

  it("refuses a key already booked for another patient", async () => {
    const p = await l.patient();
    const q = await l.patient();
    await credit(p, 100);
    await credit(q, 100);
    await spend(p, 10, `shared-${p}`);
    await expect(spend(q, 10, `shared-${p}`)).rejects.toThrow(/already booked for patient/);
  });

  it("lets only one of two simultaneous redemptions through when both do not fit", async () => {
    const p = await l.patient();
    await credit(p, 500);
    const outcomes = await Promise.allSettled([spend(p, 300, `race-${p}-a`), spend(p, 300, `race-${p}-b`)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const failed = outcomes.find((o) => o.status === "rejected");
    expect(failed?.reason).toBeInstanceOf(InsufficientPointsError);
    expect((await ledgerOf(l.db, p)).balance).toBe(200);
    await expectConsistent(l.db);
  });

  it("corrects a balance by hand, once per key, never below zero", async () => {
    const p = await l.patient();
    const fix = (points: number, key: string, note = "ошибка кассира") =>
      l.tx((tx) => adjust(tx, { clinicId: l.clinicId, patientId: p, points, key, note, rules: l.rules, now: NOW }));
    await fix(250, `fix-${p}-1`);
    await fix(250, `fix-${p}-1`);
    await fix(-100, `fix-${p}-2`);
    await fix(-100, `fix-${p}-2`);
    await expect(fix(-151, `fix-${p}-3`)).rejects.toBeInstanceOf(InsufficientPointsError);
    await expect(fix(0, `fix-${p}-4`)).rejects.toThrow(/non-zero/);
    await expect(fix(10, `fix-${p}-5`, "  ")).rejects.toThrow(/note/);
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount, e.remaining, e.sourceKey])).toEqual([
      ["adjustment", 250, 150, `adjust:fix-${p}-1`],
      ["adjustment", -100, null, `adjust:fix-${p}-2`],
    ]);
    expect(entries[0]!.expiresAt).toEqual(new Date("2027-05-22T09:00:00Z"));
    expect(balance).toBe(150);
    await expectConsistent(l.db);
  });
});
