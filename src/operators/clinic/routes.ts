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
import type { SafeHtml } from "../../web-assets/html.ts";
import { audit } from "../audit.ts";
import { checkBranchForm } from "../../domain/branches/form.ts";
import { listBranches } from "../../domain/branches/lookup.ts";
import { saveBranches } from "../../domain/branches/save.ts";
import { markClinicContentChanged } from "../../domain/content/changed.ts";
import type { SaveBranchesResult } from "../../domain/branches/save.ts";
import { blankBranchRow, branchesCard, branchFormRowOf, branchRowsFromPost } from "../branches/clinic-card.ts";
import { BRANCH_TEXT, branchProblemText } from "../branches/texts.ts";

export const CLINIC_ROUTES = [
  { method: "GET", url: "/console/clinic" },
  { method: "POST", url: "/console/clinic" },
  { method: "POST", url: "/console/clinic/branches" },
] as const;

/** Admins edit the clinic's profile: one form that posts to itself (JSON clients get JSON). */
export function registerClinicRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    const render = async (request: FastifyRequest, reply: FastifyReply, status: number, state: { version: string; form: ProfileForm; problems?: Record<string, string>; notice?: { kind: "ok" | "bad"; text: string } | null; branches?: SafeHtml }) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      const lang = consoleLang(request);
      const savedBranches = (request.query as { branches?: unknown }).branches === "saved";
      const branches =
        state.branches ??
        branchesCard({ lang, csrfToken, rows: [...(await listBranches(deps.db.prisma, deps.clinic.id)).map(branchFormRowOf), blankBranchRow()], problems: {}, notice: savedBranches ? { kind: "ok", text: BRANCH_TEXT[lang].saved } : null });
      const page = await clinicPage({ nonce, lang, csrfToken, operatorName: operator.displayName, clinicName: deps.clinic.name, problems: {}, now: deps.clock.now(), ...state, branches });
      return reply.code(status).headers(pageHeaders(nonce)).send(page);
    };
    const isForm = (request: FastifyRequest) => (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");

    scope.get("/console/clinic", async (request, reply) => {
      const stored = await loadProfile(deps.db, deps.clinic.id);
      const saved = (request.query as { saved?: unknown }).saved === "1";
      return render(request, reply, 200, { version: stored.version, form: profileFormOf(stored.profile), notice: saved ? { kind: "ok", text: CLINIC_TEXT[consoleLang(request)].saved } : null });
    });

    // The branches' own form: every row checked, all saved in one transaction or none.
    scope.post("/console/clinic/branches", async (request, reply) => {
      const lang = consoleLang(request);
      const form = isForm(request);
      const rows = branchRowsFromPost(request.body);
      const stored = await loadProfile(deps.db, deps.clinic.id);
      const checked = checkBranchForm(rows);
      // A problem found while saving rolls every change of the post back (thrown out of the transaction).
      const refused = new Error("branches refused");
      let saved: SaveBranchesResult = checked.ok ? { ok: true, changed: [] } : checked;
      if (checked.ok) {
        saved = await deps.db
          .transaction(async (tx) => {
            const result = await saveBranches(tx, deps.db.provider, deps.clinic.id, checked.branches);
            if (!result.ok) throw Object.assign(refused, { result });
            // Moves the clinic's version on: the router's per-version facts (has branches) are read again.
            if (result.changed.length > 0) await markClinicContentChanged(tx, deps.clinic.id, deps.clock.now());
            if (result.changed.length > 0) await audit(tx, { clinicId: deps.clinic.id, operatorId: sessionOf(request).operator.id, action: "clinic.branches", target: `clinic:${deps.clinic.id}`, details: { changed: result.changed }, at: deps.clock.now() });
            return result;
          })
          .catch((error: unknown) => {
            if (error === refused) return (refused as Error & { result: SaveBranchesResult }).result;
            throw error;
          });
      }
      if (!saved.ok) {
        const problems = Object.fromEntries(saved.problems.map((p) => [p.field, branchProblemText(lang, p)]));
        if (!form) return reply.code(422).send({ error: BRANCH_TEXT[lang].problems, problems });
        const { csrfToken } = sessionOf(request);
        const branches = branchesCard({ lang, csrfToken, rows, problems, notice: { kind: "bad", text: BRANCH_TEXT[lang].problems } });
        return render(request, reply, 422, { version: stored.version, form: profileFormOf(stored.profile), branches });
      }
      request.log.info({ changed: saved.changed }, "clinic branches saved");
      if (!form) return { changed: saved.changed, branches: await listBranches(deps.db.prisma, deps.clinic.id) };
      return reply.redirect("/console/clinic?branches=saved#branches", 303);
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
