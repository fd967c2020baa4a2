import Fastify from "fastify";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Database } from "../db/client.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { HealthRegistry, registerHealthRoute } from "./health.ts";
import { registerHomeRoute } from "./home.ts";
import { registerNotFound, requestSerializer } from "./request-log.ts";
import { registerPreviewRoutes } from "../operators/preview/routes.ts";
import type { PreviewSandboxes } from "../operators/preview/sandbox/preview-sandboxes.ts";
import { registerMisRoutes } from "./mis/index.ts";
import { registerReviewRedirect } from "./review-redirect.ts";
import type { MisApiDeps } from "./mis/deps.ts";
import { registerOperatorConsole } from "../operators/index.ts";
import type { OperatorConsoleDeps } from "../operators/deps.ts";
import { registerAssetRoutes } from "../web-assets/routes.ts";

/**
 * What the console, the MIS API and the preview are given: each takes its own interface
 * (OperatorConsoleDeps, MisApiDeps, the preview's PreviewHost); the wiring passes one object
 * holding all the pieces.
 */
export type ServedParts = OperatorConsoleDeps & MisApiDeps & { config: Pick<Config, "trustProxy"> } & Parameters<typeof registerPreviewRoutes>[1];

export interface ServerDeps {
  /** Absent in tests that only need health. */
  carebot?: ServedParts;
  db: Database;
  logger: Logger;
  health: HealthRegistry;
  startedAt?: Date;
  /** The preview's sandboxes; made here when not given. Closed with the server either way. */
  previewSandboxes?: PreviewSandboxes;
}

/** CareBot's HTTP server: health and home now; the API, webhooks, preview and console hang on it. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    // Fastify types its logger narrower than pino's own; the instance is the same pino logger.
    // Requests are logged without their query strings' values (patient searches, chat ids).
    loggerInstance: deps.logger.child({ component: "http" }, { serializers: { req: requestSerializer } }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // request.ip and request.protocol follow X-Forwarded-* only from the proxies TRUST_PROXY names.
    trustProxy: deps.carebot?.config.trustProxy ?? false,
  });
  registerNotFound(app);
  registerHealthRoute(app, deps.db, deps.health, deps.startedAt ?? new Date());
  registerHomeRoute(app, deps.db);
  // The pages' bundled browser code (src/browser), public like any static file.
  registerAssetRoutes(app);
  // The operators' console (/console); the flow preview sits behind its login.
  if (deps.carebot) registerOperatorConsole(app, deps.carebot);
  if (deps.carebot) registerPreviewRoutes(app, deps.carebot, deps.previewSandboxes);
  // The clinic-MIS integration (/api), behind API_TOKEN.
  if (deps.carebot) registerMisRoutes(app, deps.carebot);
  // Promoters' review links (/r/<token>): public, they count a click and redirect.
  if (deps.carebot) registerReviewRedirect(app, deps.carebot);
  return app;
}
