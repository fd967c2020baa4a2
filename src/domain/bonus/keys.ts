// Every ledger entry has a source key, unique per clinic: it names the event that caused it, so
// replaying the event finds the entry instead of booking it again. The DB's unique index is the
// last line of defence; the functions look the key up first (a failed insert would abort a
// PostgreSQL transaction).

export const sourceKeys = {
  visit: (visitExternalId: string) => `visit:${visitExternalId}`,
  welcome: (patientId: number) => `welcome:${patientId}`,
  birthday: (year: number, patientId: number) => `birthday:${year}:${patientId}`,
  referral: (referralId: number, side: "referrer" | "referee") => `referral:${referralId}:${side}`,
  campaign: (campaignId: string, patientId: number) => `campaign:${campaignId}:${patientId}`,
  reversal: (visitExternalId: string) => `reversal:visit:${visitExternalId}`,
  redeem: (key: string) => `redeem:${callerKey(key)}`,
  /** A family wallet's draw on another member for the redemption `redeem:<key>` (the member's id first, so keys cannot collide). */
  familyRedeem: (key: string, memberId: number) => `family-redeem:${memberId}:${callerKey(key)}`,
  expiry: (creditEntryId: number) => `expiry:${creditEntryId}`,
  adjust: (key: string) => `adjust:${callerKey(key)}`,
  promo: (redemptionKey: string) => `promo:${callerKey(redemptionKey)}`,
};

/** A key chosen by the caller must say something: an empty one would make every call the same. */
function callerKey(key: string): string {
  if (key.trim() === "") throw new Error("a bonus operation needs a non-empty idempotency key");
  return key;
}
