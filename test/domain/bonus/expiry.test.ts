import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bonusSummary } from "../../../src/domain/bonus/summary.ts";
import { expireDue, grantBirthdayGift, grantReferralReward, redeem, InsufficientPointsError } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { DAY, NOW, days, expectConsistent, ledgerOf, openLedger } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

describe(`expiry on ${TEST_PROVIDER}`, () => {
  let root: LedgerTest;
  // Each test in a clinic of its own: expireDue runs over a whole clinic.
  let l: LedgerTest;
  beforeAll(async () => {
    root = await openLedger();
  });
  beforeEach(async () => {
    l = await root.another();
  });
  afterAll(() => root.t.dispose());

  const birthday = (patientId: number, year: number, now: Date) =>
    l.tx((tx) => grantBirthdayGift(tx, { clinicId: l.clinicId, patientId, year, rules: l.rules, now }));
  const referral = (patientId: number, referralId: number, amount: number, now: Date) =>
    l.tx((tx) => grantReferralReward(tx, { clinicId: l.clinicId, patientId, referralId, side: "referrer", amount, rules: l.rules, now }));
  const spend = (patientId: number, points: number, key: string, now: Date) =>
    l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId, points, key, now }));
  const expire = (now: Date, limit?: number) => l.tx((tx) => expireDue(tx, { clinicId: l.clinicId, now, ...(limit ? { limit } : {}) }));

  it("gives a birthday gift valid for birthdayGiftValidDays, once a year", async () => {
    const p = await l.patient();
    expect(await birthday(p, 2026, NOW)).toEqual({ granted: 500, alreadyBooked: false, expiresAt: days(14) });
    expect(await birthday(p, 2026, days(1))).toEqual({ granted: 500, alreadyBooked: true, expiresAt: days(14) });
    expect((await ledgerOf(l.db, p)).balance).toBe(500);
    // Still spendable a moment before the end, gone at it.
    const justBefore = new Date(days(14).getTime() - 1);
    await expect(l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId: p, points: 1, key: `bd-${p}-1`, now: justBefore }))).resolves.toEqual({ redeemed: 1 });
    await expect(spend(p, 1, `bd-${p}-2`, days(14))).rejects.toBeInstanceOf(InsufficientPointsError);
    expect(await birthday(p, 2027, days(365))).toMatchObject({ granted: 500, alreadyBooked: false });
    await expectConsistent(l.db);
  });

  it("spends the credit that expires first, whatever the booking order", async () => {
    const p = await l.patient();
    await referral(p, p, 400, NOW); // expires in 6 months
    await birthday(p, 2026, days(1)); // booked later, expires in 15 days
    await spend(p, 600, `fifo-${p}`, days(2));
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount, e.remaining])).toEqual([
      ["referral", 400, 300],
      ["birthday", 500, 0],
      ["redemption", -600, null],
    ]);
    expect(balance).toBe(300);
  });

  it("expires only what is left of each due credit, once", async () => {
    const p = await l.patient();
    const q = await l.patient();
    await birthday(p, 2026, NOW); // 500, due at +14 days
    await referral(p, 1000 + p, 200, NOW); // 200, due in 6 months
    await birthday(q, 2026, NOW);
    await spend(p, 120, `part-${p}`, days(3)); // from the birthday gift
    await spend(q, 500, `all-${q}`, days(3)); // q's gift is spent whole: nothing will expire

    expect(await expire(days(13))).toEqual({ entries: 0, points: 0 });
    expect(await expire(days(14))).toEqual({ entries: 1, points: 380 });
    expect(await expire(days(20))).toEqual({ entries: 0, points: 0 });

    const { balance, entries } = await ledgerOf(l.db, p);
    const gift = entries.find((e) => e.kind === "birthday")!;
    expect(entries.at(-1)).toMatchObject({ kind: "expiry", amount: -380, sourceKey: `expiry:${gift.id}`, createdAt: days(14), remaining: null });
    expect(gift.remaining).toBe(0);
    expect(balance).toBe(200);
    expect((await ledgerOf(l.db, q)).entries.map((e) => e.kind)).toEqual(["birthday", "redemption"]);
    await expectConsistent(l.db);
  });

  it("works through a backlog in batches of `limit`", async () => {
    const ps = [await l.patient(), await l.patient(), await l.patient()];
    for (const p of ps) await referral(p, 2000 + p, 100, new Date(NOW.getTime() - 200 * DAY));
    const at = days(0);
    expect(await expire(at, 2)).toEqual({ entries: 2, points: 200 });
    expect(await expire(at, 2)).toEqual({ entries: 1, points: 100 });
    expect(await expire(at, 2)).toEqual({ entries: 0, points: 0 });
    for (const p of ps) expect((await ledgerOf(l.db, p)).balance).toBe(0);
    await expectConsistent(l.db);
  });

  it("never lets a patient spend expired points, even before the expiry job runs", async () => {
    const p = await l.patient();
    await birthday(p, 2026, NOW);
    await referral(p, 3000 + p, 100, NOW);
    await expect(spend(p, 101, `late-${p}`, days(15))).rejects.toThrow(/balance is 100/);
    // The refused redemption rolled back with its transaction; a smaller one expires the gift and spends.
    expect((await ledgerOf(l.db, p)).balance).toBe(600);
    await spend(p, 100, `late-${p}`, days(15));
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([["birthday", 500], ["referral", 100], ["expiry", -500], ["redemption", -100]]);
    expect(balance).toBe(0);
  });

  it("keeps bonusSummary's expiring-soon view in step with the ledger", async () => {
    const p = await l.patient();
    await birthday(p, 2026, NOW);
    await referral(p, 4000 + p, 250, NOW);
    await spend(p, 100, `sum-${p}`, NOW);
    expect(await bonusSummary(l.db, p, NOW)).toEqual({
      balance: 650,
      expiringSoon: [{ amount: 400, expiresAt: days(14) }],
      expiringTotal: 400,
      nextExpiry: days(14),
    });
    // Past the gift's expiry the patient sees what they can spend, before and after the job runs.
    expect(await bonusSummary(l.db, p, days(14))).toMatchObject({ balance: 250, expiringTotal: 0, nextExpiry: null });
    await expire(days(14));
    expect(await bonusSummary(l.db, p, days(14))).toMatchObject({ balance: 250, expiringTotal: 0, nextExpiry: null });
  });
});
