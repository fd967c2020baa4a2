import { z } from "zod";
import { optIn, optOut } from "../../../domain/patients/consent.ts";
import { defineAction } from "../types.ts";

export const optOutAction = defineAction({
  description: "Records that the patient wants no more messages (after they confirmed).",
  params: z.object({}).strict(),
  run: async (ctx) => {
    if (ctx.scope.patientId !== null) await optOut(ctx.tx, ctx.scope.patientId, "chat", ctx.clock.now());
  },
});

export const optInAction = defineAction({
  description: "Records that the patient wants messages again.",
  params: z.object({}).strict(),
  run: async (ctx) => {
    if (ctx.scope.patientId !== null) await optIn(ctx.tx, ctx.scope.patientId, "chat", ctx.clock.now());
  },
});
