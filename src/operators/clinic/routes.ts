import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { OperatorConsoleDeps } from "../deps.ts";
import { checkProfileForm } from "../../domain/clinic/profile.ts";
import type { ProfileForm } from "../../domain/clinic/profile.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { profileFormFromPost, profileFormOf } from "./form.ts";
import { clinicPage } from "./page.ts";
import { loadProfile, saveProfile } from "./store.ts";
import { CLINIC_TEXT, PROFILE_PROBLEM_TEXT } from "./texts.ts";

export const CLINIC_ROUTES = [
  { method: "GET", url: "/console/clinic" },
  { method: "POST", url: "/console/clinic" },
] as const;

/** Admins edit the clinic's profile: one form that posts to itself (JSON clients get JSON). */
export function registerClinicRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    const render = async (request: FastifyRequest, reply: FastifyReply, status: number, state: { version: string; form: ProfileForm; problems?: Record<string, string>; notice?: { kind: "ok" | "bad"; text: string } | null }) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      const page = await clinicPage({ nonce, lang: consoleLang(request), csrfToken, operatorName: operator.displayName, clinicName: deps.clinic.name, problems: {}, now: deps.clock.now(), ...state });
      return reply.code(status).headers(pageHeaders(nonce)).send(page);
    };
    const isForm = (request: FastifyRequest) => (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");

    scope.get("/console/clinic", async (request, reply) => {
      const stored = await loadProfile(deps.db, deps.clinic.id);
      const saved = (request.query as { saved?: unknown }).saved === "1";
      return render(request, reply, 200, { version: stored.version, form: profileFormOf(stored.profile), notice: saved ? { kind: "ok", text: CLINIC_TEXT[consoleLang(request)].saved } : null });
    });

    scope.post("/console/clinic", async (request, reply) => {
      const lang = consoleLang(request);
      const t = CLINIC_TEXT[lang];
      const form = isForm(request);
      const posted = profileFormFromPost(request.body);
      const checked = checkProfileForm(posted.form);
      if (!checked.ok) {
        const problems = Object.fromEntries(checked.problems.map((p) => [p.field, PROFILE_PROBLEM_TEXT[lang][p.code]]));
        if (!form) return reply.code(422).send({ error: t.problems, problems });
        return render(request, reply, 422, { ...posted, problems });
      }
      const { operator } = sessionOf(request);
      const result = await saveProfile(deps.db, { clinicId: deps.clinic.id, version: posted.version, profile: checked.profile, by: { operatorId: operator.id }, now: deps.clock.now() });
      if (result.status !== "saved") {
        const text = result.status === "stale" ? t.stale : t.settingsInvalid;
        if (!form) return reply.code(409).send({ error: text, ...(result.status === "stale" ? { version: result.version } : {}) });
        return render(request, reply, 409, { ...posted, notice: { kind: "bad", text } });
      }
      // This process's clinic follows at once (the header, the router's texts read the row); the
      // scheduler notices the new row version at its next reload and rewires its jobs in a new zone.
      deps.clinic.name = checked.profile.name;
      deps.clinic.timezone = checked.profile.timezone;
      request.log.info({ fields: result.changed }, "clinic profile saved");
      if (!form) return { version: result.version, changed: result.changed };
      return reply.redirect("/console/clinic?saved=1", 303);
    });
  });
}
