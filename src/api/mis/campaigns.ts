import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { findCampaign, InvalidSettings, UnknownCampaign } from "../../campaigns/find.ts";
import { campaignResults } from "../../campaigns/results.ts";
import type { MisApiDeps } from "./deps.ts";
import { SETTINGS_ID } from "../../domain/segments/schema.ts";
import { ApiProblem, notFound, parseOr422 } from "./problems.ts";

const params = z.object({ id: z.string().regex(SETTINGS_ID, "must be a campaign id (lowercase letters, digits, - or _)") });

/**
 * GET /api/campaigns/:id/results: what a campaign achieved — patients reached, who replied, booked
 * and came back within the campaign's window, and the revenue of those visits (minor units).
 */
export function registerCampaignRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "db">): void {
  scope.get("/campaigns/:id/results", async (request) => {
    const { id } = parseOr422(params, request.params);
    try {
      const { campaign } = await findCampaign(deps.db.prisma, deps.clinic.id, id);
      return await campaignResults(deps.db, deps.clinic.id, campaign);
    } catch (error) {
      if (error instanceof UnknownCampaign) throw notFound(error.message);
      if (error instanceof InvalidSettings) throw new ApiProblem(500, error.message);
      throw error;
    }
  });
}
