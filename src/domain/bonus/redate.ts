import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { expireAccountDue } from "./expire.ts";
import { creditExpiresAt } from "./expiry-dates.ts";
import type { BonusRules } from "./types.ts";

/**
 * The MIS corrected when a completed visit happened: the credits the visit booked (its accrual
 * and the welcome bonus tied to it) take the new date and the expiry that follows from it, as
 * long as none of them has been spent or expired yet (a ledger line that moved money is history
 * and stays as it is); whatever the new date puts past its expiry expires now.
 */
export async function redateVisitCredits(
  tx: Tx,
  input: { clinicId: number; patientId: number; visitId: number; at: Date; rules: BonusRules; now: Date },
): Promise<boolean> {
  const { clinicId, patientId, visitId, at, rules, now } = input;
  const account = await lockAccount(tx, clinicId, patientId);
  const credits = await tx.bonusEntry.findMany({ where: { clinicId, visitId, kind: { in: ["accrual", "welcome"] } }, select: { id: true, amount: true, remaining: true } });
  if (credits.length === 0 || credits.some((c) => c.remaining !== c.amount)) return false;
  await tx.bonusEntry.updateMany({ where: { id: { in: credits.map((c) => c.id) } }, data: { createdAt: at, expiresAt: creditExpiresAt(at, rules) } });
  await expireAccountDue(tx, clinicId, account.id, now);
  return true;
}
