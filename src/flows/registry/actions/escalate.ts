import { z } from "zod";
import type { Prisma } from "../../../db/client.ts";
import { ESCALATION_REASONS, openEscalation } from "../../../domain/escalations/open.ts";
import { defineAction } from "../types.ts";
import { escalationScope, staffSummary } from "./escalation-scope.ts";

export const escalate = defineAction({
  description: "Hands the conversation to the clinic's people: opens (or joins) an escalation; result.escalation has its due time.",
  params: z
    .object({
      reason: z.enum(ESCALATION_REASONS),
      priority: z.enum(["urgent", "high", "normal", "low"]).default("normal"),
      /** A short line for the operator's queue. */
      summary: z.string().max(200).optional(),
    })
    .strict(),
  sampleResult: { escalation: { id: 1, dueAt: new Date("2026-11-24T09:00:00.000Z"), priority: "high" } },
  run: async (ctx, p) => {
    const escalation = await openEscalation(ctx.tx, {
      ...escalationScope(ctx),
      reason: p.reason,
      priority: p.priority,
      summary: await staffSummary(ctx, p.summary),
      details: { flow: ctx.scope.flowId, context: ctx.context, event: ctx.event ?? null } as Prisma.InputJsonValue,
    });
    ctx.result.escalation = { id: escalation.id, dueAt: escalation.slaDueAt, priority: escalation.priority };
  },
});
