import type { BonusRules } from "./types.ts";

/**
 * The most points a bill can take: the balance, and at most `maxBillShare` of the bill in whole
 * roubles (1 point = 1 rouble). Integer arithmetic: 0.3 of 1 001 kopecks must not become 3.0000001.
 */
export function maxRedeemable(balance: number, billMinor: number, rules: BonusRules): number {
  if (balance <= 0 || billMinor <= 0) return 0;
  const shareBasisPoints = Math.round(rules.maxBillShare * 10_000);
  const capRoubles = Math.floor((billMinor * shareBasisPoints) / (100 * 10_000));
  return Math.min(Math.floor(balance), capRoubles);
}
