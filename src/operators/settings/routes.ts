import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance } from "fastify";
import { z } from "zod";
import type { CareBot } from "../../core.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import { plural } from "../../i18n/plural.ts";
import { API_TEXT } from "./api-text.ts";
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
    version: z.string().min(1),
    settings: z.unknown().refine((v) => v !== undefined),
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
      const t = textsOf(API_TEXT, consoleLang(request));
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send({ error: fill(t.badBody, { reason: error.message }) });
      request.log.error({ err: error }, "settings request failed");
      return reply.code(500).send({ error: t.internal });
    });

    scope.get("/console/settings", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      const html = settingsPage({ nonce, csrfToken, lang: consoleLang(request), clinicName: carebot.clinic.name, timezone: carebot.clinic.timezone, operatorName: operator.displayName });
      return reply.headers(pageHeaders(nonce)).send(html);
    });

    scope.get("/console/api/settings", async (request) => {
      return loadSettings(carebot.db, sessionOf(request).operator.clinicId, consoleLang(request));
    });

    scope.put("/console/api/settings", async (request, reply) => {
      const { operator } = sessionOf(request);
      const lang = consoleLang(request);
      const t = textsOf(API_TEXT, lang);
      const body = saveBody.safeParse(request.body ?? {});
      if (!body.success) {
        const issue = body.error.issues[0]!;
        const message = issue.code === "unrecognized_keys" ? fill(t.onlyTheseKeys, { keys: issue.keys.map((k) => `"${k}"`).join(", ") }) : issue.path[0] === "version" ? t.version : t.settingsMissing;
        return reply.code(400).send({ error: message });
      }
      const result = await saveSettings(carebot.db, {
        clinicId: operator.clinicId,
        version: body.data.version,
        document: body.data.settings,
        by: { operatorId: operator.id, via: "console" },
        now: carebot.clock.now(),
        lang,
      });
      if (result.status === "invalid") {
        const n = result.problems.length;
        const problems = lang === "ru" ? `${n} ${plural(n, ["ошибка", "ошибки", "ошибок"])}` : `${n} problem${n === 1 ? "" : "s"}`;
        return reply.code(422).send({ error: fill(t.invalid, { problems }), errors: result.problems });
      }
      if (result.status === "stale") {
        return reply.code(409).send({
          error: t.stale,
          version: result.version,
        });
      }
      return { version: result.version, settings: result.settings, sections: result.sections };
    });
  });
}
