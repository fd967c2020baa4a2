import QRCode from "qrcode";
import { randomBytes } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import type { ConsoleLang } from "../i18n.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import { describeIssue, zodErrorMap } from "../../i18n/zod.ts";
import { PROBLEM_TEXT } from "./problem-text.ts";
import { pageHeaders } from "../page-headers.ts";
import { ConsoleActions, ConsoleProblem } from "./actions.ts";
import { cannedRepliesFor } from "./canned-replies.ts";
import { conversationView } from "./conversation-view.ts";
import type { ConsoleEvent, ConsoleEvents } from "./events.ts";
import { escalationsOf, mayOpenConversation } from "../branches/access.ts";
import { consolePage } from "./page.ts";
import { listQueue } from "./queue.ts";

/** The queue's guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const QUEUE_ROUTES = [
  { method: "GET", url: "/console" },
  { method: "POST", url: "/console/logout" },
  { method: "GET", url: "/console/api/me" },
  { method: "GET", url: "/console/api/queue" },
  { method: "GET", url: "/console/api/events" },
  { method: "GET", url: "/console/api/conversations/:id" },
  { method: "GET", url: "/console/api/conversations/:id/canned" },
  { method: "POST", url: "/console/api/conversations/:id/take" },
  { method: "POST", url: "/console/api/conversations/:id/reply" },
  { method: "POST", url: "/console/api/conversations/:id/note" },
  { method: "POST", url: "/console/api/conversations/:id/hand-back" },
  { method: "POST", url: "/console/api/escalations/:id/resolve" },
  { method: "GET", url: "/console/api/whatsapp" },
] as const;

/**
 * Live-update streams one session may hold open at once (a few tabs and a phone). Each stream is
 * a connection and a listener; a further one is refused with 429, not traded for an older one,
 * since the browser of a closed stream would reconnect and close another in turn.
 */
export const MAX_STREAMS_PER_SESSION = 5;

const idParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const textBody = z.object({ text: z.string().trim().min(1).max(4000) });

/** The request's value, or a 400 naming the field in the console's language ("текст сообщения: не может быть пустым"). */
function parse<T>(schema: z.ZodType<T>, value: unknown, lang: ConsoleLang): T {
  const parsed = schema.safeParse(value ?? {}, { error: zodErrorMap(lang) });
  if (!parsed.success) {
    const labels: Record<string, string> = textsOf(PROBLEM_TEXT, lang);
    throw new ConsoleProblem(400, describeIssue(parsed.error.issues[0]!, (path) => labels[path]));
  }
  return parsed.data;
}

export function registerConsoleRoutes(app: FastifyInstance, deps: OperatorConsoleDeps, events: ConsoleEvents, options: { heartbeatMs: number }): { closeStreams(): void } {
  const actions = new ConsoleActions(deps, events);
  const streams = new Set<() => void>();
  const openPerSession = new Map<number, number>();

  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });
    scope.setErrorHandler((error: FastifyError | ConsoleProblem, request, reply) => {
      const lang = consoleLang(request);
      if (error instanceof ConsoleProblem) return reply.code(error.statusCode).send({ error: error.textIn(lang), ...error.extra });
      const t = textsOf(PROBLEM_TEXT, lang);
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send({ error: fill(t.badBody, { reason: error.message }) });
      request.log.error({ err: error }, "console request failed");
      return reply.code(500).send({ error: t.internal });
    });

    scope.get("/console", async (request, reply: FastifyReply) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      return reply.headers(pageHeaders(nonce)).send(await consolePage({ nonce, lang: consoleLang(request), csrfToken, clinicName: deps.clinic.name, timezone: deps.clinic.timezone, operatorName: operator.displayName, operatorId: operator.id, admin: operator.role === "admin" }));
    });

    scope.get("/console/api/me", async (request) => {
      const { operator } = sessionOf(request);
      return { operator };
    });

    // WhatsApp's login QR, for admins: scanning it links the clinic's number to CareBot.
    scope.get("/console/api/whatsapp", async (request) => {
      const { operator } = sessionOf(request);
      if (operator.role !== "admin") throw new ConsoleProblem(403, "adminLinksWhatsapp");
      const status = deps.whatsappStatus?.();
      if (!status) return { enabled: false, state: "off", qrSvg: null };
      const qrSvg = status.state === "qr" && status.qr ? await QRCode.toString(status.qr, { type: "svg", margin: 1, width: 240 }) : null;
      return { enabled: true, state: status.state, qrSvg };
    });

    scope.get("/console/api/queue", async (request) => {
      const { operator } = sessionOf(request);
      return { now: deps.clock.now().toISOString(), queue: await listQueue(deps.db.prisma, operator.clinicId, deps.clock.now(), escalationsOf(operator)) };
    });

    scope.get("/console/api/conversations/:id", async (request) => {
      const { operator } = sessionOf(request);
      const { id } = parse(idParam, request.params, consoleLang(request));
      if (!(await mayOpenConversation(deps.db.prisma, operator, id))) throw new ConsoleProblem(404, "noConversation");
      const view = await conversationView(deps.db.prisma, operator.clinicId, id, deps.clock.now());
      if (!view) throw new ConsoleProblem(404, "noConversation");
      return view;
    });

    // The clinic's canned replies, rendered for this conversation's patient (a broken one carries its error).
    scope.get("/console/api/conversations/:id/canned", async (request) => {
      const { operator } = sessionOf(request);
      const { id } = parse(idParam, request.params, consoleLang(request));
      if (!(await mayOpenConversation(deps.db.prisma, operator, id))) throw new ConsoleProblem(404, "noConversation");
      const replies = await cannedRepliesFor(deps.db.prisma, operator.clinicId, id, operator.displayName, deps.clock.now(), consoleLang(request));
      if (!replies) throw new ConsoleProblem(404, "noConversation");
      return replies;
    });

    const act = (fn: (request: FastifyRequest, id: number) => Promise<unknown>) => async (request: FastifyRequest) => {
      const { id } = parse(idParam, request.params, consoleLang(request));
      return (await fn(request, id)) ?? { ok: true };
    };
    scope.post("/console/api/conversations/:id/take", act(async (r, id) => void (await actions.take(sessionOf(r).operator, id))));
    scope.post("/console/api/conversations/:id/reply", act(async (r, id) => ({ messageId: await actions.reply(sessionOf(r).operator, id, parse(textBody, r.body, consoleLang(r)).text) })));
    scope.post("/console/api/conversations/:id/note", act(async (r, id) => ({ messageId: await actions.note(sessionOf(r).operator, id, parse(textBody, r.body, consoleLang(r)).text) })));
    scope.post("/console/api/conversations/:id/hand-back", act(async (r, id) => void (await actions.handBack(sessionOf(r).operator, id))));
    scope.post("/console/api/escalations/:id/resolve", act(async (r, id) => void (await actions.resolve(sessionOf(r).operator, id))));

    // Live updates for the operator's clinic; a comment line every 25 s keeps proxies from closing it.
    scope.get("/console/api/events", async (request, reply) => {
      const { operator, id: sessionId } = sessionOf(request);
      const open = openPerSession.get(sessionId) ?? 0;
      if (open >= MAX_STREAMS_PER_SESSION) {
        throw new ConsoleProblem(429, "tooManyStreams", { max: MAX_STREAMS_PER_SESSION });
      }
      openPerSession.set(sessionId, open + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write(": connected\nretry: 3000\n\n");
      let closed = false;
      const write = (event: ConsoleEvent) => {
        if (closed) return;
        const { type, ...data } = event;
        if (type === "urgent") delete (data as { branchId?: unknown }).branchId;
        res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      // An operator limited to branches hears only their escalations and their conversations.
      const unsubscribe = events.subscribe(operator.clinicId, (event) => {
        if (operator.branchIds === null || event.type === "queue") return write(event);
        if (event.type === "urgent") return event.branchId !== null && operator.branchIds.includes(event.branchId) ? write(event) : undefined;
        void mayOpenConversation(deps.db.prisma, operator, event.conversationId)
          .then((allowed) => (allowed ? write(event) : undefined))
          .catch((err: unknown) => request.log.warn({ err }, "console: branch check of an event failed"));
      });
      const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), options.heartbeatMs);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(close);
        const left = (openPerSession.get(sessionId) ?? 1) - 1;
        if (left > 0) openPerSession.set(sessionId, left);
        else openPerSession.delete(sessionId);
        if (!res.writableEnded) res.end();
      };
      streams.add(close);
      request.raw.on("close", close);
      res.on("close", close);
    });
  });

  return {
    closeStreams: () => {
      for (const close of [...streams]) close();
    },
  };
}
