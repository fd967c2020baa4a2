import type { Tx } from "../../db/client.ts";
import type { ClinicSettings } from "../clinic/settings.ts";
import { grantReferralReward } from "../bonus/ledger.ts";

/**
 * The referee's first completed visit rewards both sides, once: the ledger's source keys make a
 * replay book nothing, and the referral's status records that it is done.
 */
export async function rewardReferral(tx: Tx, input: { clinicId: number; refereeId: number; rules: ClinicSettings["bonus"]; now: Date }) {
  const referral = await tx.referral.findUnique({ where: { refereeId: input.refereeId } });
  if (!referral || referral.status !== "pending" || referral.clinicId !== input.clinicId) return null;
  const common = { clinicId: input.clinicId, referralId: referral.id, rules: input.rules, now: input.now };
  const referrer = await grantReferralReward(tx, { ...common, patientId: referral.referrerId, side: "referrer", amount: input.rules.referrerReward });
  const referee = await grantReferralReward(tx, { ...common, patientId: referral.refereeId, side: "referee", amount: input.rules.refereeReward });
  await tx.referral.update({ where: { id: referral.id }, data: { status: "rewarded", rewardedAt: input.now } });
  return { referralId: referral.id, referrerId: referral.referrerId, referrerPoints: referrer.granted, refereePoints: referee.granted };
}
