import { DateTime } from "luxon";
import { z } from "zod";
import { grantBirthdayGift } from "../../../../domain/bonus/ledger.ts";
import { defineAction } from "../../types.ts";

/** The clinic's birthday gift in points, once a year; result.gift has the points and their expiry. */
export const giveBirthdayGift = defineAction({
  description: "Grants the birthday gift of context.birthdayYear (else this year), once; result.gift.points and result.gift.expiresAt.",
  params: z.object({}).strict(),
  sampleResult: { gift: { points: 500, expiresAt: new Date("2026-12-06T21:00:00.000Z") } },
  run: async (ctx) => {
    if (ctx.scope.patientId === null) throw new Error("giveBirthdayGift needs a linked patient");
    const now = ctx.clock.now();
    // The planner passes the birthday's year; a flow started another way gives this year's gift.
    const planned = ctx.context.birthdayYear;
    const year = typeof planned === "number" && Number.isInteger(planned) ? planned : DateTime.fromJSDate(now, { zone: ctx.view().timezone }).year;
    const gift = await grantBirthdayGift(ctx.tx, { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, year, rules: ctx.scope.clinic.settings.bonus, now });
    ctx.result.gift = { points: gift.granted, expiresAt: gift.expiresAt };
  },
});
