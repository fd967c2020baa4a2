import { z } from "zod";
import { latestNpsAnswer } from "../../../../db/queries/nps-answers.ts";
import { inviteToReview } from "../../../../domain/reviews/invites.ts";
import { reviewSitesFor } from "../../../../domain/reviews/sites.ts";
import { defineAction } from "../../types.ts";
import { optionSchema, sayTemplates, templateKey } from "../say.ts";

/**
 * Thanks a promoter and offers the review sites of the visit (its doctor's own, else its branch's,
 * else the clinic's) as link buttons through CareBot's counting redirect (/r/<token>).
 * result.reviews.sites: how many were offered (0: the text says nothing of reviews).
 */
export const sayWithReviewLinks = defineAction({
  description: "Sends a message with the review sites of the visit in context.visitId as link buttons that count clicks (result.reviews.sites).",
  params: z.object({ template: templateKey, options: z.array(optionSchema).max(6).optional() }).strict(),
  templates: sayTemplates,
  sampleResult: { reviews: { sites: 2 } },
  run: async (ctx, p) => {
    const links: { label: string; url: string }[] = [];
    const patientId = ctx.scope.patientId;
    if (patientId !== null) {
      const visitId = typeof ctx.context.visitId === "number" ? ctx.context.visitId : null;
      // The answer this step recorded (recordNps): the visit's, else the patient's latest.
      const answer = await latestNpsAnswer(ctx.sql, { clinicId: ctx.scope.clinicId, patientId, visitId });
      if (answer) {
        const branch = await ctx.branch({ visitId });
        const branchId = branch?.id ?? null;
        const sites = reviewSitesFor(ctx.scope.clinic.settings, branch, answer.doctor);
        const invited = await inviteToReview(ctx.tx, { clinicId: ctx.scope.clinicId, patientId, npsResponseId: answer.id, branchId, sites, now: ctx.clock.now() });
        for (const i of invited) links.push({ label: i.label, url: `${ctx.publicUrl}/r/${i.token}` });
      }
    }
    ctx.result.reviews = { sites: links.length };
    await ctx.say({ template: p.template, options: p.options, links });
  },
});
