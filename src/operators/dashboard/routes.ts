// The clinic's dashboard, for admins: the page and the same figures as JSON.
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { UnknownBranch } from "../../domain/branches/lookup.ts";
import type { OperatorConsoleDeps } from "../deps.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { dashboardFigures } from "./figures.ts";
import { dashboardPage } from "./page.ts";

/** The dashboard's guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const DASHBOARD_ROUTES = [
  { method: "GET", url: "/console/dashboard" },
  { method: "GET", url: "/console/api/dashboard" },
] as const;

export function registerDashboardRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);

    /** `?branch=<code>`: one branch of the network; an unknown code is a 400 naming it. */
    const figuresFor = async (request: FastifyRequest, reply: FastifyReply) => {
      const { operator } = sessionOf(request);
      const raw = (request.query as { branch?: unknown }).branch;
      const branch = typeof raw === "string" && raw.trim() !== "" ? raw.trim() : undefined;
      try {
        return await dashboardFigures(deps.db, operator.clinicId, deps.clock.now(), branch);
      } catch (error) {
        if (!(error instanceof UnknownBranch)) throw error;
        await reply.code(400).header("cache-control", "no-store").send({ error: consoleLang(request) === "ru" ? `Нет филиала с кодом «${error.code}»` : error.message });
        return null;
      }
    };

    // The operator's own clinic, never the one named in the request: clinics see only their figures.
    scope.get("/console/api/dashboard", async (request, reply) => {
      const figures = await figuresFor(request, reply);
      if (!figures) return reply;
      return reply.header("cache-control", "no-store").send(figures);
    });

    scope.get("/console/dashboard", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const figures = await figuresFor(request, reply);
      if (!figures) return reply;
      const nonce = randomBytes(16).toString("base64");
      return reply.headers(pageHeaders(nonce)).send(dashboardPage({ lang: consoleLang(request), nonce, csrfToken, operatorName: operator.displayName, figures }));
    });
  });
}
