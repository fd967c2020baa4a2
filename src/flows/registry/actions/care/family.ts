// A guardian's «мои баллы»: the points of each person they look after (src/domain/families).
import { z } from "zod";
import { familyBalance } from "../../../../domain/families/family-balance.ts";
import { familyWalletBalance } from "../../../../domain/families/family-wallet.ts";
import { defineAction } from "../../types.ts";

export const familyBonus = defineAction({
  description:
    "For a patient who looks after others (a child, an elderly parent): result.family.wards (name, balance of each), result.family.total (with the patient's own; with the wallet on, what the family can spend, as the front desk's redemption counts it) and result.family.wallet (the clinic pools a family's points: bonus.familyWallet). Empty wards for anyone else.",
  params: z.object({}).strict(),
  sampleResult: { family: { wards: [{ name: "Миша", balance: 700 }], total: 2200, wallet: false } },
  run: async (ctx) => {
    // In a conversation about a ward (their reminder) the family is the guardian's, not the ward's.
    const guardianId = ctx.scope.guardianId ?? ctx.scope.patientId;
    const family = guardianId === null ? { wards: [], total: 0 } : await familyBalance(ctx.tx, guardianId);
    const wallet = ctx.scope.clinic.settings.bonus.familyWallet;
    // With the wallet on, the total is what a visit can really draw on (overdue points left out).
    if (wallet && guardianId !== null && family.wards.length > 0) family.total = (await familyWalletBalance(ctx.tx, guardianId, ctx.clock.now())).balance;
    ctx.result.family = { ...family, wallet };
  },
});
