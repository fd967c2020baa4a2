import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { compareFlows } from "./compare.ts";
import { flowTitle } from "./step-title.ts";
import { flowsPage } from "./page.ts";
import { flowDetail, flowVersionDefinition, listFlows, publishFlowVersion, rollBackFlow, sampleTextsOf, saveFlowDraft } from "./store.ts";
import type { VersionActionResult } from "./store.ts";

/** The flow editor's guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const FLOW_ROUTES = [
  { method: "GET", url: "/console/flows" },
  { method: "GET", url: "/console/flows/:flowId" },
  { method: "GET", url: "/console/api/flows" },
  { method: "GET", url: "/console/api/flows/:flowId" },
  { method: "GET", url: "/console/api/flows/:flowId/compare" },
  { method: "POST", url: "/console/api/flows/:flowId/drafts" },
  { method: "POST", url: "/console/api/flows/:flowId/publish" },
  { method: "POST", url: "/console/api/flows/:flowId/rollback" },
] as const;

const draftBody = z.object({ definition: z.unknown().refine((v) => v !== undefined, "definition: the whole flow is required"), note: z.string().max(200).optional() }).strict();
const versionBody = z.object({ version: z.number({ message: "version: must be a version number" }).int().min(0) }).strict();
const compareQuery = z.object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) });

/** What the API answers in the console's language (the page shows `error` after «Ошибка:»). */
const API_TEXT = {
  ru: {
    noFlow: (id: string) => `нет сценария «${id}»`,
    compareQuery: "укажите номера версий «с» и «по» (0 — файл из поставки)",
    noVersion: (v: number, id: string) => `версии ${v} сценария «${id}» нет`,
    stale: (v: number) => `версия ${v} больше не проходит проверку`,
    notSaved: (n: number) => `ошибок: ${n}; ничего не сохранено`,
  },
  en: {
    noFlow: (id: string) => `no flow "${id}"`,
    compareQuery: "from, to: version numbers are required (0 = the shipped file)",
    noVersion: (v: number, id: string) => `version ${v} of "${id}" does not exist`,
    stale: (v: number) => `version ${v} no longer loads`,
    notSaved: (n: number) => `${n} problem(s); nothing was saved`,
  },
} as const;

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0]!;
  return issue.message.includes(":") ? issue.message : `${issue.path.join(".") || "body"}: ${issue.message}`;
};

/** Admins read, edit, publish and roll back the clinic's flows: the pages and their JSON API. */
export function registerFlowRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send({ error: `body: ${error.message}` });
      request.log.error({ err: error }, "flows request failed");
      return reply.code(500).send({ error: "internal error; see the service log" });
    });
    const files = () => deps.flows.catalog();
    const page = async (request: Parameters<typeof sessionOf>[0], reply: FastifyReply, flowId: string | null) => {
      const { operator, csrfToken } = sessionOf(request);
      if (flowId !== null && !files().flows.has(flowId)) return reply.code(404).send({ error: API_TEXT[consoleLang(request)].noFlow(flowId) });
      const nonce = randomBytes(16).toString("base64");
      const html = await flowsPage({ nonce, csrfToken, lang: consoleLang(request), clinicName: deps.clinic.name, operatorName: operator.displayName, flowId, flowTitle: flowId ? flowTitle(files().flows.get(flowId)!.def) : undefined });
      return reply.headers(pageHeaders(nonce)).send(html.value);
    };

    scope.get("/console/flows", (request, reply) => page(request, reply, null));
    scope.get<{ Params: { flowId: string } }>("/console/flows/:flowId", (request, reply) => page(request, reply, request.params.flowId));

    scope.get("/console/api/flows", async (request) => ({ flows: await listFlows(deps.db, sessionOf(request).operator.clinicId, files()) }));

    scope.get<{ Params: { flowId: string } }>("/console/api/flows/:flowId", async (request, reply) => {
      const detail = await flowDetail(deps.db, sessionOf(request).operator.clinicId, request.params.flowId, files());
      return detail ?? reply.code(404).send({ error: API_TEXT[consoleLang(request)].noFlow(request.params.flowId) });
    });

    scope.get<{ Params: { flowId: string } }>("/console/api/flows/:flowId/compare", async (request, reply) => {
      const query = compareQuery.safeParse(request.query ?? {});
      const say = API_TEXT[consoleLang(request)];
      if (!query.success) return reply.code(400).send({ error: say.compareQuery });
      const clinicId = sessionOf(request).operator.clinicId;
      const { flowId } = request.params;
      if (!files().flows.has(flowId)) return reply.code(404).send({ error: say.noFlow(flowId) });
      const from = await flowVersionDefinition(deps.db, clinicId, flowId, query.data.from, files());
      const to = await flowVersionDefinition(deps.db, clinicId, flowId, query.data.to, files());
      if (!from || !to) return reply.code(422).send({ error: say.noVersion(!from ? query.data.from : query.data.to, flowId) });
      // Steps are named by their questions as a patient reads them (each version's own texts).
      const samples = new Map([from.def, to.def].map((def) => [def, sampleTextsOf(def, files())]));
      const lang = consoleLang(request);
      const sample = (def: typeof from.def, key: string) => samples.get(def)?.[key]?.[lang] ?? "";
      return { from: query.data.from, to: query.data.to, changes: compareFlows(from.def, to.def, files().templates, lang, sample) };
    });

    scope.post<{ Params: { flowId: string } }>("/console/api/flows/:flowId/drafts", async (request, reply) => {
      const { operator } = sessionOf(request);
      const { flowId } = request.params;
      const say = API_TEXT[consoleLang(request)];
      if (!files().flows.has(flowId)) return reply.code(404).send({ error: say.noFlow(flowId) });
      const body = draftBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: firstIssue(body.error) });
      const result = await saveFlowDraft(deps.db, { clinicId: operator.clinicId, flowId, definition: body.data.definition, note: body.data.note, operatorId: operator.id, now: deps.clock.now(), files: files() });
      if (result.status === "invalid") return reply.code(422).send({ error: say.notSaved(result.problems.length), errors: result.problems });
      return reply.code(201).send({ version: result.version });
    });

    const versionAction = (action: typeof publishFlowVersion | typeof rollBackFlow) => async (request: { params: { flowId: string }; body: unknown }, reply: FastifyReply) => {
      const { operator } = sessionOf(request as never);
      const { flowId } = request.params;
      const say = API_TEXT[consoleLang(request as never)];
      if (!files().flows.has(flowId)) return reply.code(404).send({ error: say.noFlow(flowId) });
      const body = versionBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: firstIssue(body.error) });
      const result: VersionActionResult = await action(deps.db, { clinicId: operator.clinicId, flowId, version: body.data.version, operatorId: operator.id, now: deps.clock.now(), files: files() });
      if (result.status === "missing") return reply.code(422).send({ error: say.noVersion(body.data.version, flowId) });
      if (result.status === "invalid") return reply.code(422).send({ error: say.stale(body.data.version), errors: result.problems });
      return { published: result.published };
    };
    scope.post<{ Params: { flowId: string } }>("/console/api/flows/:flowId/publish", versionAction(publishFlowVersion));
    scope.post<{ Params: { flowId: string } }>("/console/api/flows/:flowId/rollback", versionAction(rollBackFlow));
  });
}
