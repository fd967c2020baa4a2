import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance } from "fastify";
import { z } from "zod";
import type { CareBot } from "../../core.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { settingsPage } from "./page.ts";
import { loadSettings, saveSettings } from "./store.ts";

/** The settings' guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const SETTINGS_ROUTES = [
  { method: "GET", url: "/console/settings" },
  { method: "GET", url: "/console/api/settings" },
  { method: "PUT", url: "/console/api/settings" },
] as const;

const saveBody = z
  .object({
    version: z.string({ message: "version: must be the version GET /console/api/settings gave" }).min(1, "version: must not be empty"),
    settings: z.unknown().refine((v) => v !== undefined, "settings: the whole settings document is required"),
  })
  .strict();

/** Admins read and save the clinic's settings document: the page, and its JSON API. */
export function registerSettingsRoutes(app: FastifyInstance, carebot: CareBot): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(carebot));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send({ error: `body: ${error.message}` });
      request.log.error({ err: error }, "settings request failed");
      return reply.code(500).send({ error: "internal error; see the service log" });
    });

    scope.get("/console/settings", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      const html = settingsPage({ nonce, csrfToken, lang: consoleLang(request), clinicName: carebot.clinic.name, timezone: carebot.clinic.timezone, operatorName: operator.displayName });
      return reply.headers(pageHeaders(nonce)).send(html);
    });

    scope.get("/console/api/settings", async (request) => {
      return loadSettings(carebot.db, sessionOf(request).operator.clinicId);
    });

    scope.put("/console/api/settings", async (request, reply) => {
      const { operator } = sessionOf(request);
      const body = saveBody.safeParse(request.body ?? {});
      if (!body.success) {
        const issue = body.error.issues[0]!;
        const message = issue.code === "unrecognized_keys" ? `body: only "version" and "settings" are expected, not ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
        return reply.code(400).send({ error: message });
      }
      const result = await saveSettings(carebot.db, {
        clinicId: operator.clinicId,
        version: body.data.version,
        document: body.data.settings,
        by: { operatorId: operator.id, via: "console" },
        now: carebot.clock.now(),
      });
      if (result.status === "invalid") {
        return reply.code(422).send({ error: `the settings have ${result.problems.length} problem(s); nothing was saved`, errors: result.problems });
      }
      if (result.status === "stale") {
        return reply.code(409).send({
          error: "someone saved the settings after you opened them; reload to see their version (your changes were not saved)",
          version: result.version,
        });
      }
      return { version: result.version, settings: result.settings, sections: result.sections };
    });
  });
}
