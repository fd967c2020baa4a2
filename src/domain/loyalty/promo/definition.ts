// A promo code as the clinic defines it (MIS API, console): what it gives and its limits.
import { z } from "zod";
import { saysParams } from "../../../i18n/zod.ts";

/** Codes are compared in upper case without spaces: «leto 2027» is LETO2027. */
export function normalizePromoCode(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

export const PROMO_REWARDS = ["discount", "points", "partial"] as const;
export type PromoRewardKind = (typeof PROMO_REWARDS)[number];

export const promoCodeInputSchema = z
  .object({
    code: z
      .string()
      .transform(normalizePromoCode)
      .pipe(z.string().refine((code) => /^[A-ZА-ЯЁ0-9_-]{3,32}$/u.test(code), { message: "must be 3–32 letters, digits, - or _", params: saysParams("promoCode") })),
    /** discount: percent off the visit; points: points credited; partial: roubles of the bill the clinic pays. */
    reward: z.enum(PROMO_REWARDS, { message: "must be discount, points or partial" }),
    value: z.number().int("must be a whole number").min(1, "must be at least 1"),
    /** Uses per patient (usually 1). */
    perPatient: z.number().int("must be a whole number").min(1, "must be at least 1").default(1),
    /** Uses in all; none: no limit. */
    totalLimit: z.number().int("must be a whole number").min(1, "must be at least 1").nullable().default(null),
    startsAt: z.iso.datetime({ offset: true, message: "must be an ISO date-time" }).nullable().default(null),
    endsAt: z.iso.datetime({ offset: true, message: "must be an ISO date-time" }).nullable().default(null),
    /** Service categories it applies to; empty: any service. */
    services: z.array(z.string().trim().min(1)).default([]),
    /** What the patient reads in the chat («−15 % на первую гигиену»). */
    description: z.string().trim().max(300).default(""),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.reward !== "discount" || p.value <= 100, { message: "a discount is a percent from 1 to 100", path: ["value"], params: saysParams("discountPercent") })
  .refine((p) => !p.startsAt || !p.endsAt || Date.parse(p.startsAt) < Date.parse(p.endsAt), { message: "must be after startsAt", path: ["endsAt"], params: saysParams("endsAfterStart") });
export type PromoCodeInput = z.output<typeof promoCodeInputSchema>;

/** What a promo code looks like to its callers (the API, the console, the chat). */
export interface PromoCodeView {
  code: string;
  reward: PromoRewardKind;
  value: number;
  perPatient: number;
  totalLimit: number | null;
  startsAt: string | null;
  endsAt: string | null;
  services: string[];
  description: string;
  active: boolean;
  used: number;
}
