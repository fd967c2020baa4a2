import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import { plural } from "../../i18n/plural.ts";
import { API_TEXT } from "./api-text.ts";
import { pageHeaders } from "../page-headers.ts";
import { campaignDryRun } from "../../campaigns/dry-run.ts";
import { dotted } from "../../domain/clinic/settings-document.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import { segmentSchema, settingsId } from "../../domain/segments/schema.ts";
import { doctorNames } from "../../domain/visits/doctor-names.ts";
import { settingsPage } from "./page.ts";
import { previewSegment } from "./segment-preview.ts";
import { loadSettings, saveSettings } from "./store.ts";

/** The settings' guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const SETTINGS_ROUTES = [
  { method: "GET", url: "/console/settings" },
  { method: "GET", url: "/console/api/settings" },
  { method: "PUT", url: "/console/api/settings" },
  { method: "GET", url: "/console/api/settings/export" },
  { method: "POST", url: "/console/api/settings/check" },
  { method: "POST", url: "/console/api/settings/segment-preview" },
  { method: "POST", url: "/console/api/settings/campaign-dry-run" },
] as const;

const saveBody = z
  .object({
    version: z.string().min(1),
    settings: z.unknown().refine((v) => v !== undefined),
  })
  .strict();

const checkBody = z.object({ settings: z.unknown().refine((v) => v !== undefined, "settings: the whole settings document is required") }).strict();
const previewBody = z.object({ segment: z.unknown() }).strict();
const dryRunBody = z.object({ campaignId: settingsId(), segment: z.unknown() }).strict();

/** The first problem of a request body, as one line. */
function bodyError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") return `body: unexpected ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  return `${dotted(issue.path) || "body"}: ${issue.message}`;
}

/** Admins read and save the clinic's settings document: the page, and its JSON API. */
export function registerSettingsRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
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
      const doctors = await doctorNames(deps.db.prisma, operator.clinicId);
      const html = await settingsPage({ nonce, csrfToken, lang: consoleLang(request), clinicName: deps.clinic.name, timezone: deps.clinic.timezone, operatorName: operator.displayName, doctorNames: doctors });
      return reply.headers(pageHeaders(nonce)).send(html);
    });

    scope.get("/console/api/settings", async (request) => {
      return loadSettings(deps.db, sessionOf(request).operator.clinicId, consoleLang(request));
    });

    // The whole document as a file, for a copy or another clinic; import goes through check then save.
    scope.get("/console/api/settings/export", async (request, reply) => {
      const { operator } = sessionOf(request);
      const clinic = await deps.db.prisma.clinic.findUniqueOrThrow({ where: { id: operator.clinicId }, select: { slug: true } });
      const stored = await loadSettings(deps.db, operator.clinicId);
      return reply
        .header("content-type", "application/json; charset=utf-8")
        .header("content-disposition", `attachment; filename="carebot-settings-${clinic.slug.replace(/[^a-z0-9_-]/gi, "")}.json"`)
        .send(`${JSON.stringify(stored.settings, null, 2)}\n`);
    });

    // An imported document, checked as a save would check it; nothing is written.
    scope.post("/console/api/settings/check", async (request, reply) => {
      const { operator } = sessionOf(request);
      const body = checkBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: bodyError(body.error) });
      const result = await saveSettings(deps.db, {
        clinicId: operator.clinicId,
        version: null,
        document: body.data.settings,
        by: { operatorId: operator.id, via: "console" },
        now: deps.clock.now(),
        dryRun: true,
      });
      if (result.status === "invalid") return reply.code(422).send({ error: `the settings have ${result.problems.length} problem(s)`, errors: result.problems });
      if (result.status === "stale") return reply.code(409).send({ error: "the settings changed meanwhile", version: result.version });
      return { settings: result.settings, sections: result.sections };
    });

    const scopeOf = async (clinicId: number) => {
      const clinic = await deps.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { timezone: true } });
      return { clinicId, timezone: clinic.timezone, now: deps.clock.now() };
    };
    const segmentOf = (raw: unknown) => {
      const segment = segmentSchema.safeParse(raw);
      return segment.success
        ? { ok: true as const, segment: segment.data }
        : { ok: false as const, errors: segment.error.issues.map((i) => ({ path: dotted(["segment", ...i.path]), message: i.message })) };
    };

    // The segment builder's live count and sample, for the segment as it stands in the form.
    scope.post("/console/api/settings/segment-preview", async (request, reply) => {
      const body = previewBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: bodyError(body.error) });
      const segment = segmentOf(body.data.segment);
      if (!segment.ok) return reply.code(422).send({ error: "the segment is not complete", errors: segment.errors });
      const scope = await scopeOf(sessionOf(request).operator.clinicId);
      return previewSegment(deps.db, segment.segment, scope);
    });

    // The campaign builder's dry run: who would get it now, and who not, and why.
    scope.post("/console/api/settings/campaign-dry-run", async (request, reply) => {
      const body = dryRunBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: bodyError(body.error) });
      const segment = segmentOf(body.data.segment);
      if (!segment.ok) return reply.code(422).send({ error: "the segment is not complete", errors: segment.errors });
      const scope = await scopeOf(sessionOf(request).operator.clinicId);
      // The saved rules are the ones the dispatcher applies (a stored document that no longer validates: the defaults).
      const stored = await loadSettings(deps.db, scope.clinicId);
      const settings = stored.problems.length === 0 ? (stored.settings as ClinicSettings) : parseClinicSettings({});
      return campaignDryRun(deps.db, { campaignId: body.data.campaignId, segment: segment.segment, scope, settings });
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
      const result = await saveSettings(deps.db, {
        clinicId: operator.clinicId,
        version: body.data.version,
        document: body.data.settings,
        by: { operatorId: operator.id, via: "console" },
        now: deps.clock.now(),
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
