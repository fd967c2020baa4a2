import { z } from "zod";
import { defineAction } from "../types.ts";

export const endConversation = defineAction({
  description: "Closes the conversation after this step (a final state does the same).",
  params: z.object({}).strict(),
  run: async (ctx) => ctx.end(),
});

export const startFlow = defineAction({
  description: "Starts another flow after this step; the current conversation closes.",
  params: z.object({ flow: z.string().min(1), payload: z.string().optional() }).strict(),
  flows: (p) => [p.flow],
  run: async (ctx, p) => ctx.startFlow(p.flow, p.payload),
});
