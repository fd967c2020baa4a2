import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { bookDebit, findBooked } from "./entries.ts";
import { sourceKeys } from "./keys.ts";

export interface ReversalResult {
  /** Points taken back. */
  reversed: number;
  /** Points the visit earned that were already spent or expired: they cannot be taken back. */
  shortfall: number;
}

/**
 * A refunded or cancelled visit gives back what it earned: its accrual and, if this visit
 * earned it, the welcome bonus. Only what is still unspent of those credits is debited (the
 * balance never goes below zero); the rest is the shortfall, written in the entry's note for
 * the clinic to settle with the patient. One reversal per visit (`reversal:visit:<externalId>`);
 * a visit that earned nothing books nothing.
 */
export async function reverseVisit(
  tx: Tx,
  input: { clinicId: number; patientId: number; visitExternalId: string; now: Date },
): Promise<ReversalResult> {
  const { clinicId, patientId, visitExternalId, now } = input;
  const account = await lockAccount(tx, clinicId, patientId);
  const visit = await tx.visit.findUnique({ where: { clinicId_externalId: { clinicId, externalId: visitExternalId } }, select: { id: true } });
  const credits = await tx.bonusEntry.findMany({
    where: {
      clinicId,
      patientId,
      OR: [{ sourceKey: sourceKeys.visit(visitExternalId) }, ...(visit ? [{ kind: "welcome" as const, visitId: visit.id }] : [])],
    },
    select: { id: true, amount: true, remaining: true },
  });
  const earned = credits.reduce((sum, c) => sum + c.amount, 0);

  const key = sourceKeys.reversal(visitExternalId);
  const done = await findBooked(tx, clinicId, patientId, key);
  if (done) return { reversed: -done.amount, shortfall: earned + done.amount };
  if (credits.length === 0) return { reversed: 0, shortfall: 0 };

  const reversed = credits.reduce((sum, c) => sum + (c.remaining ?? 0), 0);
  const shortfall = earned - reversed;
  await tx.bonusEntry.updateMany({ where: { id: { in: credits.map((c) => c.id) } }, data: { remaining: 0 } });
  // Booked even when nothing is left to take: it records the shortfall and makes replays no-ops.
  await bookDebit(tx, {
    clinicId,
    accountId: account.id,
    patientId,
    kind: "reversal",
    points: reversed,
    sourceKey: key,
    at: now,
    ...(visit ? { visitId: visit.id } : {}),
    note: shortfall > 0 ? `visit ${visitExternalId}: shortfall ${shortfall} (earned ${earned}, already spent or expired)` : `visit ${visitExternalId}`,
  });
  return { reversed, shortfall };
}
