import type { ClinicSettings } from "../clinic/settings.ts";

/** A clinic's bonus rules, as validated (with defaults) by the clinic settings schema. */
export type BonusRules = ClinicSettings["bonus"];

/** What the ledger needs of a completed visit. `amount` is what the patient paid, in kopecks. */
export interface VisitForAccrual {
  id: number;
  externalId: string;
  amount: number;
  serviceCategory: string | null;
  completedAt: Date;
}

/** Entry kinds that add points (and carry `remaining` and `expiresAt`). */
export type CreditKind = "accrual" | "welcome" | "birthday" | "referral" | "adjustment" | "promo";
/** Entry kinds that take points away. */
export type DebitKind = "redemption" | "expiry" | "reversal" | "adjustment";
