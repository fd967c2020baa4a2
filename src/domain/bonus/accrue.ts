import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { accrualPoints } from "./accrual.ts";
import { bookCredit, findBooked } from "./entries.ts";
import { expireAccountDue } from "./expire.ts";
import { creditExpiresAt } from "./expiry-dates.ts";
import { sourceKeys } from "./keys.ts";
import type { BonusRules, VisitForAccrual } from "./types.ts";

export interface AccrualResult {
  accrued: number;
  welcome: number;
  alreadyBooked: boolean;
}

/**
 * Books the points a completed visit earns (`visit:<externalId>`), dated at its completion, and
 * the welcome bonus if the patient has never had one (`welcome:<patientId>`, tied to this visit
 * so a refund takes it back). A visit that earns nothing (diagnostics, a free visit) books no
 * accrual entry. Replaying the visit books nothing and answers with what was booked. With `now`,
 * points already past their expiry (a visit from long ago) are expired at once, dated at their
 * expiry, so the ledger shows them earned and lost as they would have been.
 */
export async function accrueForVisit(
  tx: Tx,
  input: { clinicId: number; patientId: number; visit: VisitForAccrual; rules: BonusRules; now?: Date },
): Promise<AccrualResult> {
  const { clinicId, patientId, visit, rules } = input;
  const account = await lockAccount(tx, clinicId, patientId);
  const visitKey = sourceKeys.visit(visit.externalId);
  const welcomeKey = sourceKeys.welcome(patientId);
  const accrual = await findBooked(tx, clinicId, patientId, visitKey);
  const welcomeEntry = await findBooked(tx, clinicId, patientId, welcomeKey);
  const welcomeHere = welcomeEntry !== null && welcomeEntry.visitId === visit.id;
  if (accrual || welcomeHere) {
    return { accrued: accrual?.amount ?? 0, welcome: welcomeHere ? welcomeEntry.amount : 0, alreadyBooked: true };
  }

  const accrued = accrualPoints(visit.amount, visit.serviceCategory, rules);
  const welcome = welcomeEntry ? 0 : rules.welcomeBonus;
  const credit = { clinicId, accountId: account.id, patientId, at: visit.completedAt, expiresAt: creditExpiresAt(visit.completedAt, rules), visitId: visit.id };
  // Accrual first: with equal expiry, FIFO by id spends it before the welcome bonus.
  if (accrued > 0) await bookCredit(tx, { ...credit, kind: "accrual", amount: accrued, sourceKey: visitKey });
  if (welcome > 0) await bookCredit(tx, { ...credit, kind: "welcome", amount: welcome, sourceKey: welcomeKey });
  if (input.now && accrued + welcome > 0 && credit.expiresAt <= input.now) await expireAccountDue(tx, clinicId, account.id, input.now);
  return { accrued, welcome, alreadyBooked: false };
}
