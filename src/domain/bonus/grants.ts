import type { Tx } from "../../db/client.ts";
import { lockAccount } from "./account.ts";
import { bookCredit, findBooked } from "./entries.ts";
import { birthdayGiftExpiresAt, creditExpiresAt } from "./expiry-dates.ts";
import { sourceKeys } from "./keys.ts";
import type { BonusRules } from "./types.ts";

/** The flow that greets a patient on their birthday and gives the gift. */
export const BIRTHDAY_FLOW = "birthday";

/** The clinic's birthday gift, once per patient and year, valid `birthdayGiftValidDays` days. */
export async function grantBirthdayGift(
  tx: Tx,
  input: { clinicId: number; patientId: number; year: number; rules: BonusRules; now: Date },
): Promise<{ granted: number; alreadyBooked: boolean; expiresAt: Date }> {
  const { clinicId, patientId, rules, now } = input;
  const account = await lockAccount(tx, clinicId, patientId);
  const sourceKey = sourceKeys.birthday(input.year, patientId);
  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return { granted: done.amount, alreadyBooked: true, expiresAt: done.expiresAt! };
  const expiresAt = birthdayGiftExpiresAt(now, rules);
  if (rules.birthdayGift > 0) {
    await bookCredit(tx, { clinicId, accountId: account.id, patientId, kind: "birthday", amount: rules.birthdayGift, sourceKey, at: now, expiresAt });
  }
  return { granted: rules.birthdayGift, alreadyBooked: false, expiresAt };
}

/**
 * A referral reward for one side of a referral (`referral:<id>:referrer|referee`). The caller
 * picks the amount (usually `referrerReward` or `refereeReward`); it expires like any credit.
 */
export async function grantReferralReward(
  tx: Tx,
  input: { clinicId: number; patientId: number; referralId: number; side: "referrer" | "referee"; amount: number; rules: BonusRules; now: Date },
): Promise<{ granted: number; alreadyBooked: boolean }> {
  const { clinicId, patientId, amount, rules, now } = input;
  if (!Number.isInteger(amount) || amount < 0) throw new Error(`a referral reward is a whole non-negative number of points, not ${amount}`);
  const account = await lockAccount(tx, clinicId, patientId);
  const sourceKey = sourceKeys.referral(input.referralId, input.side);
  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return { granted: done.amount, alreadyBooked: true };
  if (amount > 0) {
    await bookCredit(tx, {
      clinicId,
      accountId: account.id,
      patientId,
      kind: "referral",
      amount,
      sourceKey,
      at: now,
      expiresAt: creditExpiresAt(now, rules),
      note: `referral ${input.referralId} (${input.side})`,
    });
  }
  return { granted: amount, alreadyBooked: false };
}

/**
 * A campaign's gift of points (`campaign:<id>:<patient>`), once per patient and campaign, booked
 * when the patient is actually written to — never for a patient the message did not reach.
 * Valid `validDays` days when the campaign says so, else as long as any credit.
 */
export async function grantCampaignBonus(
  tx: Tx,
  input: { clinicId: number; patientId: number; campaignId: string; points: number; validDays: number | null; rules: BonusRules; now: Date },
): Promise<{ granted: number; alreadyBooked: boolean; expiresAt: Date }> {
  const { clinicId, patientId, points, rules, now } = input;
  if (!Number.isInteger(points) || points <= 0) throw new Error(`a campaign gift is a whole positive number of points, not ${points}`);
  const account = await lockAccount(tx, clinicId, patientId);
  const sourceKey = sourceKeys.campaign(input.campaignId, patientId);
  const done = await findBooked(tx, clinicId, patientId, sourceKey);
  if (done) return { granted: done.amount, alreadyBooked: true, expiresAt: done.expiresAt! };
  const expiresAt = input.validDays ? new Date(now.getTime() + input.validDays * 86_400_000) : creditExpiresAt(now, rules);
  await bookCredit(tx, { clinicId, accountId: account.id, patientId, kind: "adjustment", amount: points, sourceKey, at: now, expiresAt, note: `campaign ${input.campaignId}` });
  return { granted: points, alreadyBooked: false, expiresAt };
}
