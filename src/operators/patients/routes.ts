// The patients section, for every operator of the clinic: search, the card, writing first. A
// branch's operator finds and opens only their branches' patients; another is a 404 (access.ts).
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { loadPatientCard } from "../../domain/patients/card.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import { loyaltySummary } from "../../domain/loyalty/summary.ts";
import { searchPatients } from "../../domain/patients/search.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { patientBranchesOf, patientsOf } from "../branches/access.ts";
import { CHANNEL_LABELS } from "../console/labels.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { patientCardPage, type CardNotice } from "./card-page.ts";
import { cardFormats } from "./format.ts";
import { patientListPage } from "./list-page.ts";
import { fill, PATIENT_TEXT } from "./texts.ts";
import { writeFirst } from "./write-first.ts";

/** The section's guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const PATIENTS_ROUTES = [
  { method: "GET", url: "/console/patients" },
  { method: "GET", url: "/console/patients/:id" },
  { method: "POST", url: "/console/patients/:id/messages" },
] as const;

/** A repeated ?q= keeps its first value; what is longer than the box allows is cut, a bad page is page 1. */
const listQuery = z.object({
  q: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().catch("").default("")).transform((q) => q.slice(0, 100)),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
const idParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const cardQuery = z.object({ sent: z.coerce.number().int().positive().optional().catch(undefined) });
const messageBody = z.object({ text: z.string().trim().min(1, "empty").max(4000, "long") });

export function registerPatientRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));

    const shell = (request: FastifyRequest) => {
      const { operator, csrfToken } = sessionOf(request);
      return { nonce: randomBytes(16).toString("base64"), lang: consoleLang(request), csrfToken, clinicName: deps.clinic.name, operatorName: operator.displayName, admin: operator.role === "admin", timezone: deps.clinic.timezone };
    };
    const send = (reply: FastifyReply, nonce: string, page: string, status = 200) => reply.code(status).headers(pageHeaders(nonce)).send(page);
    const notFound = (request: FastifyRequest, reply: FastifyReply) => {
      const lang = consoleLang(request);
      return reply
        .code(404)
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(lang === "en" ? '<!doctype html><meta charset="utf-8"><title>404</title><p>No such patient.</p><p><a href="/console/patients">← Patients</a></p>' : '<!doctype html><meta charset="utf-8"><title>404</title><p>Такого пациента нет.</p><p><a href="/console/patients">← К пациентам</a></p>');
    };

    scope.get("/console/patients", async (request, reply) => {
      const o = shell(request);
      const { q, page } = listQuery.parse(request.query ?? {});
      const { operator } = sessionOf(request);
      const result = await searchPatients(deps.db.prisma, operator.clinicId, q, page, undefined, patientsOf(operator));
      const scope = patientBranchesOf(operator);
      const branches = scope === null ? null : (await deps.db.prisma.branch.findMany({ where: { clinicId: operator.clinicId, id: { in: scope } }, orderBy: { id: "asc" }, select: { name: true } })).map((b) => b.name);
      return send(reply, o.nonce, patientListPage({ ...o, q, result, branches }));
    });

    const renderCard = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: { notice?: CardNotice | null; draft?: string; status?: number; sent?: number }) => {
      const o = shell(request);
      const now = deps.clock.now();
      const { operator } = sessionOf(request);
      const card = await loadPatientCard(deps.db.prisma, operator.clinicId, id, now, patientsOf(operator));
      if (!card) return notFound(request, reply);
      let notice = extra.notice ?? null;
      const sent = extra.sent === undefined ? undefined : card.messages.find((m) => m.id === extra.sent && m.operator);
      if (sent?.delivery) {
        const t = PATIENT_TEXT[o.lang];
        const delivery = sent.delivery;
        notice =
          delivery.state === "waiting" && delivery.dueAt > now
            ? { kind: "ok", text: fill(t.queuedQuiet, { time: cardFormats(o.lang, o.timezone).time(delivery.dueAt, now) }) }
            : { kind: "ok", text: fill(t.sentNow, { channel: CHANNEL_LABELS[o.lang][sent.channel ?? ""] ?? sent.channel ?? "" }) };
      }
      const clinicRow = await deps.db.prisma.clinic.findUniqueOrThrow({ where: { id: operator.clinicId }, select: { settings: true } });
      const loyalty = await loyaltySummary(deps.db.prisma, id, parseClinicSettings(clinicRow.settings), now);
      return send(reply, o.nonce, patientCardPage({ ...o, now, card, notice, draft: extra.draft, loyalty }), extra.status);
    };

    scope.get("/console/patients/:id", async (request, reply) => {
      const id = idParam.safeParse(request.params);
      if (!id.success) return notFound(request, reply);
      const query = cardQuery.safeParse(request.query ?? {});
      return renderCard(request, reply, id.data.id, { sent: query.success ? query.data.sent : undefined });
    });

    // A form post (or JSON with X-CSRF-Token): on success back to the card (303), which says when it goes.
    scope.post("/console/patients/:id/messages", async (request, reply) => {
      const id = idParam.safeParse(request.params);
      if (!id.success) return notFound(request, reply);
      const t = PATIENT_TEXT[consoleLang(request)];
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const draft = typeof raw.text === "string" ? raw.text.slice(0, 4000) : "";
      const body = messageBody.safeParse(raw);
      if (!body.success) {
        const tooLong = body.error.issues.some((i) => i.message === "long");
        return renderCard(request, reply, id.data.id, { status: 400, draft, notice: { kind: "error", text: tooLong ? t.tooLong : t.emptyText } });
      }
      const { operator } = sessionOf(request);
      const outcome = await writeFirst(deps, operator, id.data.id, body.data.text);
      const f = cardFormats(consoleLang(request), deps.clinic.timezone);
      switch (outcome.kind) {
        case "no-patient":
          return notFound(request, reply);
        case "queued":
          return reply.redirect(`/console/patients/${id.data.id}?sent=${outcome.messageId}#write`, 303);
        case "opted-out":
          return renderCard(request, reply, id.data.id, { status: 409, draft, notice: { kind: "error", text: fill(t.optedOutError, { date: f.date(outcome.at) }) } });
        case "no-channel":
          return renderCard(request, reply, id.data.id, { status: 409, draft, notice: { kind: "error", text: t.noChannelError } });
        case "held":
          return renderCard(request, reply, id.data.id, {
            status: 409,
            draft,
            notice: { kind: "error", text: fill(t.heldError, { name: outcome.holder ?? "" }), link: { href: `/console?conversation=${outcome.conversationId}`, label: t.openInQueue } },
          });
      }
    });
  });
}
