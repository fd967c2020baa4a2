// Using a promo code: through the MIS API (at a visit) or in the chat (the patient types it).
// Idempotent by the caller's key; the code's row is written first, so two uses of one code wait
// for each other and its limits hold under concurrency.
import type { Tx } from "../../../db/client.ts";
import { grantPromoPoints } from "../../bonus/ledger.ts";
import type { BonusRules } from "../../bonus/ledger.ts";
import type { PromoRewardKind } from "./definition.ts";
import { normalizePromoCode } from "./definition.ts";
import { servicesOf } from "./manage.ts";
import { PromoRefused } from "./refusals.ts";

export interface PromoUse {
  code: string;
  reward: PromoRewardKind;
  value: number;
  description: string;
  services: string[];
  /** points: credited to the patient's account. */
  points: number;
  /** discount: percent off the bill the MIS applies. */
  discountPercent: number;
  /** partial: kopecks of the bill the clinic pays. */
  amountOff: number;
  /** The key had been used before: this is the first use's answer. */
  replayed: boolean;
  /** A code the patient had claimed in the chat, now applied to this visit. */
  claimedInChat: boolean;
}

export interface RedeemPromoInput {
  clinicId: number;
  patientId: number;
  code: string;
  key: string;
  via: "api" | "chat";
  visitExternalId?: string;
  serviceCategory?: string;
  rules: BonusRules;
  now: Date;
}

function useOf(promo: Parameters<typeof servicesOf>[0] & { code: string; reward: PromoRewardKind; value: number; description: string }, replayed: boolean, claimedInChat: boolean): PromoUse {
  return {
    code: promo.code,
    reward: promo.reward,
    value: promo.value,
    description: promo.description,
    services: servicesOf(promo),
    points: promo.reward === "points" ? promo.value : 0,
    discountPercent: promo.reward === "discount" ? promo.value : 0,
    amountOff: promo.reward === "partial" ? promo.value * 100 : 0,
    replayed,
    claimedInChat,
  };
}

/** Uses the code for the patient, or throws PromoRefused saying why not. */
export async function redeemPromo(tx: Tx, input: RedeemPromoInput): Promise<PromoUse> {
  const { clinicId, patientId, now } = input;
  if (input.key.trim() === "") throw new Error("a promo code's use needs a non-empty idempotency key");
  const sourceKey = `${input.via}:${input.key}`;
  const done = await tx.promoRedemption.findUnique({ where: { clinicId_sourceKey: { clinicId, sourceKey } } });
  if (done) {
    if (done.patientId !== patientId) throw new Error(`promo key "${input.key}" is already used for another patient`);
    const promo = await tx.promoCode.findUniqueOrThrow({ where: { id: done.promoCodeId } });
    return useOf(promo, true, false);
  }
  const code = normalizePromoCode(input.code);
  const found = await tx.promoCode.findUnique({ where: { clinicId_code: { clinicId, code } } });
  if (!found) throw new PromoRefused("unknown");
  // The write that serializes every use of this code (a row lock on PostgreSQL).
  const promo = await tx.promoCode.update({ where: { id: found.id }, data: { updatedAt: now } });
  if (!promo.active) throw new PromoRefused("inactive");
  if (promo.startsAt && now < promo.startsAt) throw new PromoRefused("not_started");
  if (promo.endsAt && now >= promo.endsAt) throw new PromoRefused("ended");
  const services = servicesOf(promo);
  if (services.length > 0 && input.serviceCategory !== undefined && !services.includes(input.serviceCategory)) throw new PromoRefused("wrong_service");

  const own = await tx.promoRedemption.findMany({ where: { promoCodeId: promo.id, patientId }, orderBy: { id: "asc" } });
  // Claimed in the chat and not yet applied: the visit that applies it is that use, not another.
  const claimed = input.via === "api" && input.visitExternalId ? own.find((r) => r.via === "chat" && r.visitExternalId === null) : undefined;
  if (claimed) {
    await tx.promoRedemption.update({ where: { id: claimed.id }, data: { visitExternalId: input.visitExternalId! } });
    return useOf(promo, false, true);
  }
  if (own.length >= promo.perPatient) throw new PromoRefused("already_used");
  if (promo.totalLimit !== null && (await tx.promoRedemption.count({ where: { promoCodeId: promo.id } })) >= promo.totalLimit) throw new PromoRefused("used_up");

  await tx.promoRedemption.create({
    data: { clinicId, promoCodeId: promo.id, patientId, sourceKey, via: input.via, visitExternalId: input.visitExternalId ?? null, createdAt: now },
  });
  if (promo.reward === "points") {
    await grantPromoPoints(tx, { clinicId, patientId, points: promo.value, redemptionKey: sourceKey, code: promo.code, rules: input.rules, now });
  }
  return useOf(promo, false, false);
}
