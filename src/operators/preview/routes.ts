// The flow preview: staff talk to any flow as a chosen patient, through the same router and
// runtime as the messengers (channel "web"), inside a sandbox: a copy of the clinic's settings
// and of the patient's facts that the flows may change freely (./sandbox). The page is at
// /preview (its script: src/browser/preview.ts), its API under /preview/api.
import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { readChatState } from "../../channels/web/chat-state.ts";
import { toInboundMessage } from "../../channels/web/inbound.ts";
import { listPatients } from "../../channels/web/list-patients.ts";
import { findWebIdentity, linkWebIdentity, PREVIEW_CHAT_PREFIX } from "../../channels/web/web-identity.ts";
import type { WebIdentity } from "../../channels/web/web-identity.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import type { Dictionary, Lang } from "../../i18n/lang.ts";
import { requireOperator } from "../auth/require-operator.ts";
import type { OperatorGate } from "../auth/require-operator.ts";
import { flowVersionDefinition } from "../flows/store.ts";
import { consoleLang } from "../i18n.ts";
import type { PreviewHost, PreviewSandbox } from "./host.ts";
import { parseInput, PREVIEW_INPUT, webInputOf } from "./input.ts";
import type { Parsed } from "./input.ts";
import { previewPage } from "./page.ts";
import { PreviewSandboxes } from "./sandbox/preview-sandboxes.ts";
import { skipWaiting } from "./skip-waiting.ts";

// The API's answers to a request it cannot do, in the console's language (the page shows them as they are).
const TEXT: Dictionary<"body" | "bodyTooLarge" | "bodyMediaType" | "internal" | "noChat" | "noPatient" | "noFlow" | "noDraft" | "onlyPreview" | "noPhone"> = {
  ru: {
    body: "запрос: не читается как JSON",
    bodyTooLarge: "запрос: слишком большой",
    bodyMediaType: "запрос: нужен JSON (content-type: application/json)",
    internal: "внутренняя ошибка; подробности в журнале сервиса",
    noChat: "chatId: нет чата предпросмотра «{chatId}»; откройте его через POST /preview/api/session",
    noPatient: "patientId: в клинике «{clinic}» нет пациента № {id}",
    noFlow: "flowId: сценарий «{flowId}» не загружен",
    noDraft: "draft: у «{flowId}» нет исправной версии {draft}",
    onlyPreview: "chatId: сбросить можно только чаты предпросмотра ({prefix}…)",
    noPhone: "contact: в карточке пациента нет номера телефона, которым можно поделиться",
  },
  en: {
    body: "body: {reason}",
    bodyTooLarge: "body: {reason}",
    bodyMediaType: "body: {reason}",
    internal: "internal error; see the service log",
    noChat: 'chatId: no preview chat "{chatId}"; open one with POST /preview/api/session',
    noPatient: "patientId: no patient {id} in {clinic}",
    noFlow: 'flowId: no flow "{flowId}" is loaded',
    noDraft: 'draft: no version {draft} of "{flowId}" that loads',
    onlyPreview: "chatId: only preview chats ({prefix}…) can be reset",
    noPhone: "contact: the patient has no phone number on record to share",
  },
};

interface Chat {
  patientId: number;
  /** The previewed patient's sandbox: a CareBot over a copy of the clinic's data. */
  sandbox: PreviewSandbox;
  identity: WebIdentity;
}

/** The patient a preview chat id names, or null for any other chat id. */
function previewPatientOf(chatId: string): number | null {
  const match = new RegExp(`^${PREVIEW_CHAT_PREFIX}([1-9][0-9]{0,14})$`).exec(chatId);
  return match ? Number(match[1]) : null;
}

class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const said = (lang: Lang) => textsOf(TEXT, lang);

function valid<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new HttpProblem(400, parsed.error);
  return parsed.value;
}

const pageHeaders = (nonce: string) => ({
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  // Nothing but the page's own script (/assets/preview.js) and style, by nonce, and its own API.
  "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
});

export function registerPreviewRoutes(app: FastifyInstance, carebot: PreviewHost & OperatorGate, sandboxes = new PreviewSandboxes(carebot)): void {
  app.register(async (scope) => {
    // Staff only: an operator's console session (the page's fetches are same-origin JSON and the
    // cookie is SameSite=Lax, so the preview does not ask for the console's CSRF token).
    scope.addHook("preHandler", requireOperator(carebot, { csrf: false }));
    // Bad input of any kind (a body that is not JSON, a wrong type) answers { error }, never a 500.
    scope.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
      if (error instanceof HttpProblem) return reply.code(error.statusCode).send({ error: error.message });
      const status = error.statusCode ?? 500;
      const t = said(consoleLang(request));
      // A body Fastify cannot read: its own (English) words in English, ours in Russian.
      if (status >= 400 && status < 500) {
        const which = error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? t.bodyTooLarge : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? t.bodyMediaType : t.body;
        return reply.code(status).send({ error: fill(which, { reason: error.message }) });
      }
      request.log.error({ err: error }, "preview request failed");
      return reply.code(500).send({ error: t.internal });
    });
    scope.addHook("onSend", async (request, reply) => {
      if (request.url.startsWith("/preview/api/")) reply.header("cache-control", "no-store");
    });

    scope.addHook("onClose", () => sandboxes.close());

    /** A preview chat is `preview-<patientId>` in that patient's open sandbox. */
    const chatOf = async (chatId: string, lang: Lang): Promise<Chat> => {
      const patientId = previewPatientOf(chatId);
      const sandbox = patientId === null ? null : await sandboxes.find(patientId);
      const identity = sandbox ? await findWebIdentity(sandbox, chatId) : null;
      if (!sandbox || !identity) throw new HttpProblem(404, fill(said(lang).noChat, { chatId }));
      return { patientId: patientId!, sandbox, identity };
    };
    const stateOf = ({ sandbox, identity }: Chat) => readChatState(sandbox, identity.id);

    scope.get("/preview", async (_request, reply: FastifyReply) => {
      const nonce = randomBytes(16).toString("base64");
      return reply.headers(pageHeaders(nonce)).send(await previewPage({ nonce, clinicName: carebot.clinic.name, timezone: carebot.clinic.timezone }));
    });

    scope.get("/preview/api/patients", async (request) => {
      const lang = consoleLang(request);
      const { q } = valid(parseInput(PREVIEW_INPUT[lang].patientsQuery, request.query, lang));
      return { patients: await listPatients(carebot, q) };
    });

    scope.get("/preview/api/flows", async () => {
      const flows = [...carebot.flows.catalog().flows.values()]
        .map(({ def }) => ({ id: def.id, version: def.version, description: def.description ?? "", category: def.category }))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { flows };
    });

    scope.post("/preview/api/session", async (request) => {
      const lang = consoleLang(request);
      const { patientId } = valid(parseInput(PREVIEW_INPUT[lang].sessionBody, request.body, lang));
      const patient = await carebot.db.prisma.patient.findFirst({ where: { id: patientId, clinicId: carebot.clinic.id }, select: { id: true } });
      if (!patient) throw new HttpProblem(404, fill(said(lang).noPatient, { id: patientId, clinic: carebot.clinic.name }));
      const sandbox = await sandboxes.open(patient.id);
      const identity = await linkWebIdentity(sandbox, patient.id, `${PREVIEW_CHAT_PREFIX}${patient.id}`);
      return { chatId: identity.externalChatId };
    });

    scope.post("/preview/api/send", async (request) => {
      const lang = consoleLang(request);
      const body = valid(parseInput(PREVIEW_INPUT[lang].sendBody, request.body, lang));
      const chat = await chatOf(body.chatId, lang);
      const { sandbox, identity } = chat;
      let phone: string | null = null;
      if (body.contact) {
        const patient = identity.patientId ? await sandbox.db.prisma.patient.findUnique({ where: { id: identity.patientId }, select: { phone: true } }) : null;
        phone = patient?.phone ?? null;
        if (!phone) throw new HttpProblem(400, said(lang).noPhone);
      }
      await sandbox.router.handle(toInboundMessage(identity.externalChatId, webInputOf(body, phone)));
      return stateOf(chat);
    });

    scope.post("/preview/api/start", async (request) => {
      const lang = consoleLang(request);
      const { chatId, flowId, draft } = valid(parseInput(PREVIEW_INPUT[lang].startBody, request.body, lang));
      const chat = await chatOf(chatId, lang);
      const flow = carebot.flows.catalog().flows.get(flowId);
      if (!flow) throw new HttpProblem(400, fill(said(lang).noFlow, { flowId }));
      if (draft !== undefined) {
        const found = await flowVersionDefinition(carebot.db, carebot.clinic.id, flowId, draft, carebot.flows.catalog());
        if (!found?.row) throw new HttpProblem(400, fill(said(lang).noDraft, { flowId, draft }));
        sandboxes.useDraft(chat.patientId, { def: found.def, file: `draft ${draft}`, contentVersionId: found.row.id });
      } else {
        sandboxes.useDraft(chat.patientId, null);
      }
      // A flow started by hand runs on the patient's facts as the clinic has them now.
      await sandboxes.refresh(chat.sandbox, chat.patientId);
      await chat.sandbox.router.startFlow(chat.identity.id, flow.def.id, { category: flow.def.category });
      return stateOf(chat);
    });

    scope.post("/preview/api/timers", async (request) => {
      const lang = consoleLang(request);
      const { chatId } = valid(parseInput(PREVIEW_INPUT[lang].chatBody, request.body, lang));
      const chat = await chatOf(chatId, lang);
      const fired = await skipWaiting(chat.sandbox, chat.identity.id);
      return { fired, ...(await stateOf(chat)) };
    });

    scope.post("/preview/api/reset", async (request) => {
      const lang = consoleLang(request);
      const { chatId } = valid(parseInput(PREVIEW_INPUT[lang].chatBody, request.body, lang));
      // Another web chat of the clinic's (the terminal chat's cli-…) is refused by name; any other is unknown here.
      if (!chatId.startsWith(PREVIEW_CHAT_PREFIX) && (await findWebIdentity(carebot, chatId))) {
        throw new HttpProblem(400, fill(said(lang).onlyPreview, { prefix: PREVIEW_CHAT_PREFIX }));
      }
      const { patientId } = await chatOf(chatId, lang); // 404 for a chat not open
      // Starting afresh is a new sandbox: the patient's facts copied again, as the clinic has them now.
      const sandbox = await sandboxes.renew(patientId);
      return stateOf({ patientId, sandbox, identity: await linkWebIdentity(sandbox, patientId, chatId) });
    });

    scope.get("/preview/api/state", async (request) => {
      const lang = consoleLang(request);
      const { chatId } = valid(parseInput(PREVIEW_INPUT[lang].stateQuery, request.query, lang));
      return stateOf(await chatOf(chatId, lang));
    });
  });
}
