// Promo codes: the public API for the MIS API, flows and the console.
export { normalizePromoCode, promoCodeInputSchema, PROMO_REWARDS } from "./definition.ts";
export type { PromoCodeInput, PromoCodeView, PromoRewardKind } from "./definition.ts";
export { createPromoCode, listPromoCodes, promoCodesUsedBy, savePromoCode, setPromoCodeActive, updatePromoCodeTerms } from "./manage.ts";
export type { PromoTermsNotice } from "./manage.ts";
export { redeemPromo } from "./redeem.ts";
export type { PromoUse, RedeemPromoInput } from "./redeem.ts";
export { PromoRefused, PROMO_REFUSALS } from "./refusals.ts";
export type { PromoRefusal } from "./refusals.ts";
