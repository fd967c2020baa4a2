import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { bookCredit, findBooked } from "./entries.ts";
import { creditExpiresAt } from "./expiry-dates.ts";
import { sourceKeys } from "./keys.ts";
import type { BonusRules } from "./types.ts";

/** Points a promo code gives (`promo:<redemption key>`), expiring like any credit; once per key. */
export async function grantPromoPoints(
  tx: Tx,
  input: { clinicId: number; patientId: number; points: number; redemptionKey: string; code: string; rules: BonusRules; now: Date },
): Promise<{ granted: number; expiresAt: Date }> {
  const { clinicId, patientId, now } = input;
  const account = await lockAccount(tx, clinicId, patientId);
  const sourceKey = sourceKeys.promo(input.redemptionKey);
  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return { granted: done.amount, expiresAt: done.expiresAt! };
  const expiresAt = creditExpiresAt(now, input.rules);
  await bookCredit(tx, { clinicId, accountId: account.id, patientId, kind: "promo", amount: input.points, sourceKey, at: now, expiresAt, note: `промокод ${input.code}` });
  return { granted: input.points, expiresAt };
}
