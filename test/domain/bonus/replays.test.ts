import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../../src/db/client.ts";
import { accrueForVisit, adjust, expireDue, grantBirthdayGift, grantReferralReward, redeem, reverseVisit } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { days, expectConsistent, ledgerOf, openLedger } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

// A job retried after a crash, a webhook delivered twice: each operation, run twice with the
// same key, leaves one entry and the balance of one run.
describe(`replays on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger();
  });
  afterAll(() => l.t.dispose());

  it("books every operation once", async () => {
    const p = await l.patient();
    const visit = await l.visit(p, { amount: 500_000 });
    const refunded = await l.visit(p, { amount: 100_000, completedAt: days(1) });
    const c = { clinicId: l.clinicId, patientId: p };
    const steps: [string, (tx: Tx) => Promise<unknown>][] = [
      ["accrual", (tx) => accrueForVisit(tx, { ...c, visit, rules: l.rules })],
      ["accrual of the refunded visit", (tx) => accrueForVisit(tx, { ...c, visit: refunded, rules: l.rules })],
      ["birthday", (tx) => grantBirthdayGift(tx, { ...c, year: 2026, rules: l.rules, now: days(2) })],
      ["referrer", (tx) => grantReferralReward(tx, { ...c, referralId: 9, side: "referrer", amount: 500, rules: l.rules, now: days(2) })],
      ["referee", (tx) => grantReferralReward(tx, { ...c, referralId: 9, side: "referee", amount: 300, rules: l.rules, now: days(2) })],
      ["redemption", (tx) => redeem(tx, { ...c, points: 400, key: "bill-1", now: days(3) })],
      ["reversal", (tx) => reverseVisit(tx, { ...c, visitExternalId: refunded.externalId, now: days(4) })],
      ["adjustment +", (tx) => adjust(tx, { ...c, points: 40, key: "goodwill-1", note: "извинение за ожидание", rules: l.rules, now: days(5) })],
      ["adjustment −", (tx) => adjust(tx, { ...c, points: -15, key: "typo-1", note: "ошибка ввода", rules: l.rules, now: days(5) })],
      ["expiry", (tx) => expireDue(tx, { clinicId: l.clinicId, now: days(30) })],
    ];
    for (const [name, step] of steps) {
      const first = await l.tx(step);
      const once = await ledgerOf(l.db, p);
      const second = await l.tx(step);
      const twice = await ledgerOf(l.db, p);
      expect(twice.entries, name).toEqual(once.entries);
      expect(twice.balance, name).toBe(once.balance);
      if (name === "expiry") expect(second, name).toEqual({ entries: 0, points: 0 });
      else expect({ ...(second as object), alreadyBooked: undefined }, name).toEqual({ ...(first as object), alreadyBooked: undefined });
    }
    const { balance, entries } = await ledgerOf(l.db, p);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["accrual", 250],
      ["welcome", 300],
      ["accrual", 50],
      ["birthday", 500],
      ["referral", 500],
      ["referral", 300],
      ["redemption", -400],
      ["reversal", -50],
      ["adjustment", 40],
      ["adjustment", -15],
      // What was left of the birthday gift: it expires first, so the redemption (400) and the
      // negative adjustment (15) were taken from it.
      ["expiry", -85],
    ]);
    expect(balance).toBe(1390);
    await expectConsistent(l.db);
  });
});
