import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accrueForVisit, grantBirthdayGift, grantReferralReward, redeem, statement } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { NOW, days, openLedger } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

describe(`statement on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger();
  });
  afterAll(() => l.t.dispose());

  it("lists the ledger newest first with the balance, and keeps the latest lines under a limit", async () => {
    const p = await l.patient();
    const visit = await l.visit(p, { amount: 200_000, completedAt: NOW });
    await l.tx((tx) => accrueForVisit(tx, { clinicId: l.clinicId, patientId: p, visit, rules: l.rules }));
    await l.tx((tx) => grantBirthdayGift(tx, { clinicId: l.clinicId, patientId: p, year: 2026, rules: l.rules, now: days(2) }));
    await l.tx((tx) => redeem(tx, { clinicId: l.clinicId, patientId: p, points: 150, key: `s-${p}`, note: "счёт 42", now: days(3) }));
    // Booked last, happened earlier: the statement follows when things happened.
    await l.tx((tx) => grantReferralReward(tx, { clinicId: l.clinicId, patientId: p, referralId: 7, side: "referee", amount: 300, rules: l.rules, now: days(1) }));

    const full = await statement(l.db, p);
    expect(full.balance).toBe(100 + 300 + 500 - 150 + 300);
    expect(full.entries).toEqual([
      { at: days(3), kind: "redemption", amount: -150, note: "счёт 42", expiresAt: null },
      { at: days(2), kind: "birthday", amount: 500, note: null, expiresAt: days(16) },
      { at: days(1), kind: "referral", amount: 300, note: "referral 7 (referee)", expiresAt: new Date("2027-05-23T09:00:00Z") },
      // Accrual and welcome share the visit's time: the later booking first.
      { at: NOW, kind: "welcome", amount: 300, note: null, expiresAt: new Date("2027-05-22T09:00:00Z") },
      { at: NOW, kind: "accrual", amount: 100, note: null, expiresAt: new Date("2027-05-22T09:00:00Z") },
    ]);
    expect((await statement(l.db, p, { limit: 2 })).entries.map((e) => e.kind)).toEqual(["redemption", "birthday"]);
  });

  it("shows an empty statement for a patient without an account", async () => {
    const patient = await l.db.patient.create({ data: { clinicId: l.clinicId, externalId: "EMPTY", fullName: "Новый Пациент", referralCode: "EMPTY1" } });
    expect(await statement(l.db, patient.id)).toEqual({ balance: 0, entries: [] });
  });
});
