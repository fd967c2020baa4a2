// The bonus ledger's public API: one import for flows, jobs and the HTTP layer. Each function
// takes the caller's transaction (Tx) and writes its entries and the cached balance together.
export type { BonusRules, VisitForAccrual } from "./types.ts";
export type { BonusEntryKind } from "../../db/client.ts";
export { accrueForVisit } from "./accrue.ts";
export { accrueForNewVisits } from "./accrue-many.ts";
export type { AccrualResult } from "./accrue.ts";
export { reverseVisit } from "./reverse.ts";
export { redateVisitCredits } from "./redate.ts";
export type { ReversalResult } from "./reverse.ts";
export { grantBirthdayGift, grantCampaignBonus, grantReferralReward } from "./grants.ts";
export { redeem } from "./redeem.ts";
export { adjust } from "./adjust.ts";
export { grantPromoPoints } from "./promo-points.ts";
export { expireDue, EXPIRY_BATCH } from "./expire.ts";
export type { ExpiryResult } from "./expire.ts";
export { statement } from "./statement.ts";
export type { StatementLine } from "./statement.ts";
export { maxRedeemable } from "./redeemable.ts";
export { ensureAccount } from "./account.ts";
export { InsufficientPointsError } from "./errors.ts";
export { sourceKeys } from "./keys.ts";
