import { z } from "zod";
import { grantCampaignBonus } from "../../../../domain/bonus/ledger.ts";
import { defineAction } from "../../types.ts";

const offer = z.object({
  campaignId: z.string().min(1),
  offerPoints: z.number().int().positive().nullable().optional(),
  offerValidDays: z.number().int().positive().nullable().optional(),
});

/**
 * The campaign's gift of points (context.offerPoints, valid context.offerValidDays days), once per
 * patient and campaign; result.gift is null when the campaign gives none.
 */
export const giveCampaignBonus = defineAction({
  description: "Grants the campaign's offerPoints (once per patient and campaign); result.gift.points and result.gift.expiresAt, or result.gift null.",
  params: z.object({}).strict(),
  sampleResult: { gift: { points: 300, expiresAt: new Date("2026-12-24T09:00:00.000Z") } },
  run: async (ctx) => {
    ctx.result.gift = null;
    const parsed = offer.safeParse(ctx.context);
    if (!parsed.success || !parsed.data.offerPoints) return;
    if (ctx.scope.patientId === null) throw new Error("giveCampaignBonus needs a linked patient");
    const now = ctx.clock.now();
    const gift = await grantCampaignBonus(ctx.tx, {
      clinicId: ctx.scope.clinicId,
      patientId: ctx.scope.patientId,
      campaignId: parsed.data.campaignId,
      points: parsed.data.offerPoints,
      validDays: parsed.data.offerValidDays ?? null,
      rules: ctx.scope.clinic.settings.bonus,
      now,
    });
    ctx.result.gift = { points: gift.granted, expiresAt: gift.expiresAt };
  },
});
