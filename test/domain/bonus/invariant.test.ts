import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../../src/db/client.ts";
import {
  accrueForVisit,
  adjust,
  expireDue,
  grantBirthdayGift,
  grantReferralReward,
  InsufficientPointsError,
  redeem,
  reverseVisit,
} from "../../../src/domain/bonus/ledger.ts";
import type { VisitForAccrual } from "../../../src/domain/bonus/ledger.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { DAY, NOW, expectConsistent, openLedger, prng } from "./setup.ts";
import type { LedgerTest } from "./setup.ts";

// Whatever happens, in whatever order, the cached balance is the ledger's sum and what the open
// credits hold. Fifty seeded operations over three patients, replays and refusals included;
// short expiry so credits run out along the way.
describe(`ledger invariants on ${TEST_PROVIDER}`, () => {
  let l: LedgerTest;
  beforeAll(async () => {
    l = await openLedger({ bonus: { expiryMonths: 1, birthdayGiftValidDays: 7, categoryPercent: { hygiene: 10 } } });
  });
  afterAll(() => l.t.dispose());

  it("keeps balance == SUM(amount) after a random sequence of 50 operations", async () => {
    const rnd = prng(4242);
    const patients = [await l.patient(), await l.patient(), await l.patient()];
    const visits = new Map<number, VisitForAccrual[]>(patients.map((p) => [p, []]));
    const keys: string[] = [];
    let now = NOW;
    const counts: Record<string, number> = {};
    const pick = <T>(items: T[]): T => items[rnd.int(items.length)]!;

    for (let step = 0; step < 50; step++) {
      now = new Date(now.getTime() + rnd.int(6) * DAY + rnd.int(DAY));
      const p = pick(patients);
      const c = { clinicId: l.clinicId, patientId: p };
      const balance = (await l.db.bonusAccount.findUniqueOrThrow({ where: { patientId: p } })).balance;
      const roll = rnd.int(100);
      let name: string;
      let op: (tx: Tx) => Promise<unknown>;
      if (roll < 25 || visits.get(p)!.length === 0) {
        name = "accrue";
        const visit = await l.visit(p, { amount: 10_000 + rnd.int(1_000_000), category: pick(["therapy", "hygiene", "diagnostics", null]), completedAt: now });
        visits.get(p)!.push(visit);
        op = (tx) => accrueForVisit(tx, { ...c, visit, rules: l.rules });
      } else if (roll < 32) {
        name = "accrue (replay)";
        const visit = pick(visits.get(p)!);
        op = (tx) => accrueForVisit(tx, { ...c, visit, rules: l.rules });
      } else if (roll < 52) {
        // Mostly within the balance, sometimes over it (refused), sometimes a replayed key.
        name = "redeem";
        const points = Math.max(1, rnd.int(Math.max(1, balance + 60)));
        const key = keys.length > 0 && rnd.int(5) === 0 ? pick(keys) : `r${step}`;
        keys.push(key);
        op = (tx) => redeem(tx, { ...c, points, key, now });
      } else if (roll < 62) {
        name = "reverse";
        op = (tx) => reverseVisit(tx, { ...c, visitExternalId: pick(visits.get(p)!).externalId, now });
      } else if (roll < 70) {
        name = "birthday";
        op = (tx) => grantBirthdayGift(tx, { ...c, year: 2026 + rnd.int(3), rules: l.rules, now });
      } else if (roll < 77) {
        name = "referral";
        op = (tx) => grantReferralReward(tx, { ...c, referralId: rnd.int(4), side: pick(["referrer", "referee"] as const), amount: 300, rules: l.rules, now });
      } else if (roll < 88) {
        name = "adjust";
        const points = rnd.int(2) === 0 ? 1 + rnd.int(200) : -(1 + rnd.int(Math.max(1, balance)));
        op = (tx) => adjust(tx, { ...c, points, key: `a${rnd.int(40)}`, note: "ручная правка", rules: l.rules, now });
      } else {
        name = "expire";
        op = (tx) => expireDue(tx, { clinicId: l.clinicId, now, limit: 1 + rnd.int(5) });
      }
      try {
        await l.tx(op);
        counts[name] = (counts[name] ?? 0) + 1;
      } catch (error) {
        // A refusal is a correct answer (too many points; a key booked for another patient), never a broken ledger.
        if (!(error instanceof InsufficientPointsError) && !/already booked for patient/.test(String(error))) throw error;
        counts[`${name} refused`] = (counts[`${name} refused`] ?? 0) + 1;
      }
      await expectConsistent(l.db);
    }
    // The sequence really exercised the ledger: every kind of operation ran.
    for (const name of ["accrue", "accrue (replay)", "redeem", "redeem refused", "reverse", "birthday", "referral", "adjust", "expire"]) {
      expect(counts[name], name).toBeGreaterThan(0);
    }
    const kinds = await l.db.bonusEntry.groupBy({ by: ["kind"], _count: true });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["accrual", "adjustment", "birthday", "expiry", "redemption", "referral", "reversal", "welcome"]);
  }, 120_000);
});
