import { z } from "zod";
import type { Prisma } from "../../../db/client.ts";
import { ESCALATION_REASONS } from "../../../domain/escalations/open.ts";
import { noteForStaff } from "../../../domain/escalations/note.ts";
import { EXPECTATIONS } from "../../../domain/understanding/index.ts";
import { defineAction } from "../types.ts";
import { escalationScope, staffSummary } from "./escalation-scope.ts";
import { clip } from "../../../util/clip.ts";

export const noteToStaff = defineAction({
  description:
    "Passes what the patient wrote (the TEXT, or context[key]) to the clinic's people: a note on the chat's waiting escalation (raised if this priority is higher), or a new one; result.escalation has its due time, result.joined says which.",
  params: z
    .object({
      reason: z.enum(ESCALATION_REASONS).default("patient_message"),
      priority: z.enum(["urgent", "high", "normal", "low"]).default("normal"),
      summary: z.string().max(200).optional(),
      /** Read the note from context[key] instead of the message. */
      key: z.string().min(1).optional(),
      /** How to read the note for the operator's card (what CareBot understood). */
      expect: z.enum(EXPECTATIONS).default("free"),
    })
    .strict(),
  sampleResult: { escalation: { id: 1, dueAt: new Date("2026-11-24T09:00:00.000Z"), priority: "normal" }, joined: true },
  run: async (ctx, p) => {
    const source = p.key ? ctx.context[p.key] : ctx.event?.type === "TEXT" ? ctx.event.text : undefined;
    const text = typeof source === "string" && source.trim() !== "" ? source.trim() : ctx.event?.type === "MEDIA" ? `[${ctx.event.kind}]` : "";
    const reading = text ? ctx.facts.read(text, p.expect) : null;
    const { escalation, joined, answerBy } = await noteForStaff(ctx.tx, {
      ...escalationScope(ctx),
      reason: p.reason,
      priority: p.priority,
      summary: await staffSummary(ctx, p.summary ?? (text ? clip(text, 200) : undefined)),
      details: { flow: ctx.scope.flowId, context: ctx.context } as Prisma.InputJsonValue,
      text,
      ...(reading ? { reading: `${reading.intent} ${reading.confidence}${reading.evidence.length ? `: ${reading.evidence.join(", ")}` : ""}` } : {}),
    });
    ctx.result.escalation = { id: escalation.id, dueAt: answerBy, priority: escalation.priority };
    ctx.result.joined = joined;
  },
});
