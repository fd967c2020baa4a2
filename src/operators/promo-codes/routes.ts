// /console/promo-codes: admins list the clinic's promo codes, create one, change its terms and turn
// one off. The same schema as the MIS API (POST /api/promo-codes) checks the form; every change is audited.
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { createPromoCode, listPromoCodes, normalizePromoCode, setPromoCodeActive, updatePromoCodeTerms } from "../../domain/loyalty/promo/index.ts";
import { fill } from "../../i18n/lang.ts";
import { audit } from "../audit.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import type { PromoCodeView } from "../../domain/loyalty/promo/index.ts";
import { readPromoForm } from "./form.ts";
import { promoCodesPage } from "./page.ts";
import { PROMO_TEXT } from "./texts.ts";

/** The promo codes' guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const PROMO_CODE_ROUTES = [
  { method: "GET", url: "/console/promo-codes" },
  { method: "GET", url: "/console/api/promo-codes" },
  { method: "POST", url: "/console/api/promo-codes" },
  { method: "POST", url: "/console/api/promo-codes/active" },
  { method: "POST", url: "/console/api/promo-codes/terms" },
] as const;

/** A code's terms as the audit keeps them, before and after a change. */
const termsOf = (p: PromoCodeView) => ({ reward: p.reward, value: p.value, perPatient: p.perPatient, totalLimit: p.totalLimit, startsAt: p.startsAt, endsAt: p.endsAt, services: p.services, description: p.description });

const activeBody = z.object({ code: z.string().min(1), active: z.boolean() }).strict();

export function registerPromoCodeConsoleRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    const codes = () => listPromoCodes(deps.db.prisma, deps.clinic.id);

    scope.get("/console/promo-codes", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const lang = consoleLang(request);
      const nonce = randomBytes(16).toString("base64");
      const data = { lang, csrfToken, timezone: deps.clinic.timezone, codes: await codes(), text: PROMO_TEXT[lang] };
      return reply.headers(pageHeaders(nonce)).send(await promoCodesPage({ nonce, data, clinicName: deps.clinic.name, operatorName: operator.displayName }));
    });

    scope.get("/console/api/promo-codes", async () => ({ codes: await codes() }));

    scope.post("/console/api/promo-codes", async (request, reply) => {
      const lang = consoleLang(request);
      const t = PROMO_TEXT[lang];
      const form = readPromoForm(request.body, deps.clinic.timezone, lang);
      if (!form.ok) return reply.code(422).send({ error: t.fixFields, fields: form.fields });
      const { operator } = sessionOf(request);
      const now = deps.clock.now();
      const created = await deps.db.transaction(async (tx) => {
        const view = await createPromoCode(tx, deps.clinic.id, form.input);
        if (view) await audit(tx, { clinicId: deps.clinic.id, operatorId: operator.id, action: "promo.create", target: view.code, details: { reward: view.reward, value: view.value }, at: now });
        return view;
      });
      if (!created) return reply.code(409).send({ error: fill(t.exists, { code: form.input.code }), fields: { code: fill(t.exists, { code: form.input.code }) } });
      return reply.code(201).send({ code: created, codes: await codes() });
    });

    scope.post("/console/api/promo-codes/active", async (request, reply) => {
      const t = PROMO_TEXT[consoleLang(request)];
      const body = activeBody.safeParse(request.body ?? {});
      if (!body.success) return reply.code(400).send({ error: t.notFound });
      const { operator } = sessionOf(request);
      const now = deps.clock.now();
      const code = normalizePromoCode(body.data.code);
      const changed = await deps.db.transaction(async (tx) => {
        const view = await setPromoCodeActive(tx, deps.clinic.id, code, body.data.active, now);
        if (view) await audit(tx, { clinicId: deps.clinic.id, operatorId: operator.id, action: body.data.active ? "promo.enable" : "promo.disable", target: view.code, at: now });
        return view;
      });
      if (!changed) return reply.code(404).send({ error: t.notFound });
      return { code: changed, codes: await codes() };
    });

    // New terms for an existing code: the same form and schema as creating one; the code itself stays.
    scope.post("/console/api/promo-codes/terms", async (request, reply) => {
      const lang = consoleLang(request);
      const t = PROMO_TEXT[lang];
      const form = readPromoForm(request.body, deps.clinic.timezone, lang);
      if (!form.ok) return reply.code(422).send({ error: t.fixFieldsEdit, fields: form.fields });
      const { operator } = sessionOf(request);
      const now = deps.clock.now();
      const changed = await deps.db.transaction(async (tx) => {
        const result = await updatePromoCodeTerms(tx, deps.clinic.id, form.input, now);
        if (result) {
          const details = { before: termsOf(result.before), after: termsOf(result.view), used: result.view.used };
          await audit(tx, { clinicId: deps.clinic.id, operatorId: operator.id, action: "promo.edit", target: result.view.code, details, at: now });
        }
        return result;
      });
      if (!changed) return reply.code(404).send({ error: t.notFound, fields: { code: t.notFound } });
      const { totalBelowUses, perPatientBelowUses } = changed.notice;
      const notices = [
        ...(totalBelowUses ? [fill(t.totalBelowUses, totalBelowUses)] : []),
        ...(perPatientBelowUses ? [fill(t.perPatientBelowUses, perPatientBelowUses)] : []),
      ];
      return { code: changed.view, notices, codes: await codes() };
    });
  });
}
