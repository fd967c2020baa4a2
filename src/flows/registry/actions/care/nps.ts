import { z } from "zod";
import { npsAnswerRow } from "../../../../domain/nps/record.ts";
import { insertNpsAnswer } from "../../../../db/queries/nps-answers.ts";
import { npsCategory } from "../../../../domain/nps/category.ts";
import { defineAction } from "../../types.ts";

/** Saves the NPS answer the flow collected in context.score (and context.comment, context.visitId). */
export const recordNps = defineAction({
  description: "Records the NPS answer in context.score / context.comment for the visit in context.visitId.",
  params: z.object({}).strict(),
  sampleResult: { nps: { category: "promoter" } },
  run: async (ctx) => {
    const score = Number(ctx.context.score);
    if (ctx.scope.patientId === null || !Number.isInteger(score)) throw new Error("recordNps needs a linked patient and a score in context.score");
    const visitId = typeof ctx.context.visitId === "number" ? ctx.context.visitId : null;
    const comment = typeof ctx.context.comment === "string" ? ctx.context.comment : null;
    await insertNpsAnswer(ctx.sql, npsAnswerRow({ clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, score, comment, visitId, now: ctx.clock.now() }));
    ctx.result.nps = { category: npsCategory(score) };
  },
});
