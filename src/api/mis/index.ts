// The clinic-MIS integration API under /api: bearer-token JSON for the clinic's own systems.
// Every route is scoped to the clinic this CareBot serves and idempotent by the MIS's ids.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { bearerMatches } from "./auth.ts";
import { registerBonusRedeemRoutes } from "./bonus-redeem.ts";
import { registerCampaignRoutes } from "./campaigns.ts";
import { registerEscalationRoutes } from "./escalations.ts";
import { registerGiftCertificateRoutes } from "./gift-certificates.ts";
import { registerLoyaltyRoutes } from "./loyalty.ts";
import { registerNpsRoutes } from "./nps.ts";
import { registerPatientRoutes } from "./patients.ts";
import { registerPromoCodeRoutes } from "./promo-codes.ts";
import { ApiProblem } from "./problems.ts";
import { registerScheduleRoutes } from "./schedule.ts";
import { registerVisitRoutes } from "./visits.ts";

export const MIS_API_PREFIX = "/api";

/** The onRequest hook of every /api route: 503 while API_TOKEN is unset, 401 without it. */
export function requireApiToken(deps: MisApiDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    const token = deps.config.apiToken;
    if (!token) return reply.code(503).send({ error: "API_TOKEN is not set" });
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="carebot"').send({ error: "a valid API token is required (Authorization: Bearer …)" });
    }
  };
}

export function registerMisRoutes(app: FastifyInstance, deps: MisApiDeps): void {
  app.register(
    async (scope) => {
      scope.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
        if (error instanceof ApiProblem) {
          return reply.code(error.statusCode).send({ error: error.message, ...(error.fields ? { fields: error.fields } : {}), ...error.extra });
        }
        const status = error.statusCode ?? 500;
        // A body that is not JSON, an unsupported content type, a body too large.
        if (status >= 400 && status < 500) return reply.code(status).send({ error: `body: ${error.message}` });
        request.log.error({ err: error }, "MIS API request failed");
        return reply.code(500).send({ error: "internal error; see the service log" });
      });
      scope.addHook("onRequest", requireApiToken(deps));

      registerPatientRoutes(scope, deps);
      registerBonusRedeemRoutes(scope, deps);
      registerVisitRoutes(scope, deps);
      registerScheduleRoutes(scope, deps);
      registerEscalationRoutes(scope, deps);
      registerNpsRoutes(scope, deps);
      registerCampaignRoutes(scope, deps);
      registerLoyaltyRoutes(scope, deps);
      registerPromoCodeRoutes(scope, deps);
      registerGiftCertificateRoutes(scope, deps);
    },
    { prefix: MIS_API_PREFIX },
  );
}
