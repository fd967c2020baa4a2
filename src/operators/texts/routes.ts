import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { listClinicPatients } from "../../domain/patients/list.ts";
import { TEMPLATE_KEY } from "../../flows/templates/store.ts";
import { TEMPLATE_LOCALES } from "../../flows/templates/view.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang, type ConsoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { textsPage } from "./page.ts";
import { ROUTE_TEXT } from "./page-text.ts";
import { previewText } from "./preview-text.ts";
import { problemLine } from "./problem-text.ts";
import { listTexts } from "./text-list.ts";
import { isKnownText, rollBackText, saveTexts, textDetail } from "./text-versions.ts";
import type { TextProblem } from "../../flows/loader/check-text.ts";

/** The texts' guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const TEXTS_ROUTES = [
  { method: "GET", url: "/console/texts" },
  { method: "GET", url: "/console/api/texts" },
  { method: "GET", url: "/console/api/texts/text" },
  { method: "GET", url: "/console/api/texts/patients" },
  { method: "POST", url: "/console/api/texts/preview" },
  { method: "POST", url: "/console/api/texts/save" },
  { method: "POST", url: "/console/api/texts/rollback" },
] as const;

const MAX_SOURCE = 8000;
const key = z.string({ message: "key" }).regex(TEMPLATE_KEY, "key");
const locale = z.enum(TEMPLATE_LOCALES, { message: "locale" });
const source = z.string({ message: "source" }).max(MAX_SOURCE, "source");

const previewBody = z.object({ key, locale, source, patientId: z.number().int().positive().nullable() }).strict();
const saveBody = z.object({ key, texts: z.object({ ru: source.optional(), en: source.optional() }).strict(), publish: z.boolean() }).strict();
const rollbackBody = z.object({ key, locale, version: z.number().int().min(0) }).strict();

/** A bad body answered with the console's words: which field is wrong. */
function badRequest(reply: FastifyReply, lang: ConsoleLang, error: z.ZodError): FastifyReply {
  const fields = [...new Set(error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys.map((k) => [...i.path, k].join(".")) : [i.path.join(".") || i.message])))];
  return reply.code(400).send({ error: `${ROUTE_TEXT[lang].badBody} ${fields.join(", ")}` });
}

const shown = (problems: TextProblem[], lang: ConsoleLang) => problems.map((p) => ({ line: p.line, message: problemLine(p, lang) }));

/** Admins edit the clinic's texts: the page and its JSON API. */
export function registerTextsRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send({ error: ROUTE_TEXT[consoleLang(request)].badBody.replace(/:$/, "") });
      request.log.error({ err: error }, "texts request failed");
      return reply.code(500).send({ error: ROUTE_TEXT[consoleLang(request)].failed });
    });

    scope.get("/console/texts", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const lang = consoleLang(request);
      const nonce = randomBytes(16).toString("base64");
      const wanted = (request.query as { key?: unknown }).key;
      const page = await textsPage({
        nonce,
        csrfToken,
        lang,
        clinicName: deps.clinic.name,
        operatorName: operator.displayName,
        texts: await listTexts(deps, operator.clinicId),
        patients: await listClinicPatients(deps.db.prisma, deps.clinic.id),
        selected: typeof wanted === "string" && isKnownText(deps, wanted) ? wanted : null,
      });
      return reply.headers(pageHeaders(nonce)).type("text/html; charset=utf-8").send(page.value);
    });

    scope.get("/console/api/texts", async (request) => listTexts(deps, sessionOf(request).operator.clinicId));

    scope.get("/console/api/texts/text", async (request, reply) => {
      const lang = consoleLang(request);
      const parsed = key.safeParse((request.query as { key?: unknown }).key);
      if (!parsed.success) return badRequest(reply, lang, parsed.error);
      if (!isKnownText(deps, parsed.data)) return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownText });
      return textDetail(deps, sessionOf(request).operator.clinicId, parsed.data);
    });

    scope.get("/console/api/texts/patients", async (request) => {
      const q = (request.query as { q?: unknown }).q;
      return listClinicPatients(deps.db.prisma, deps.clinic.id, typeof q === "string" ? q.slice(0, 100) : "");
    });

    scope.post("/console/api/texts/preview", async (request, reply) => {
      const lang = consoleLang(request);
      const body = previewBody.safeParse(request.body ?? {});
      if (!body.success) return badRequest(reply, lang, body.error);
      if (!isKnownText(deps, body.data.key)) return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownText });
      const preview = await previewText(deps, { clinicId: sessionOf(request).operator.clinicId, ...body.data });
      if (!preview) return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownPatient });
      return { text: preview.text, problems: shown(preview.problems, lang) };
    });

    scope.post("/console/api/texts/save", async (request, reply) => {
      const lang = consoleLang(request);
      const body = saveBody.safeParse(request.body ?? {});
      if (!body.success) return badRequest(reply, lang, body.error);
      const { operator } = sessionOf(request);
      const result = await saveTexts(deps, { clinicId: operator.clinicId, operatorId: operator.id, ...body.data });
      if (result.status === "unknown") return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownText });
      if (result.status === "invalid") {
        const problems = Object.fromEntries(Object.entries(result.problems).map(([l, list]) => [l, shown(list, lang)]));
        return reply.code(422).send({ error: ROUTE_TEXT[lang].notPublished, problems });
      }
      return result.detail;
    });

    scope.post("/console/api/texts/rollback", async (request, reply) => {
      const lang = consoleLang(request);
      const body = rollbackBody.safeParse(request.body ?? {});
      if (!body.success) return badRequest(reply, lang, body.error);
      const { operator } = sessionOf(request);
      const result = await rollBackText(deps, { clinicId: operator.clinicId, operatorId: operator.id, ...body.data });
      if (result.status === "unknown") return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownText });
      if (result.status === "no-version") return reply.code(404).send({ error: ROUTE_TEXT[lang].unknownVersion });
      if (result.status === "invalid") return reply.code(422).send({ error: ROUTE_TEXT[lang].notPublished });
      return result.detail;
    });
  });
}
