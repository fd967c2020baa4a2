import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { addOperator, listOperators, resetOperatorPassword, setOperatorDisabled, setOperatorRole } from "../accounts/accounts.ts";
import { AccountError } from "../accounts/rules.ts";
import type { AccountProblem } from "../accounts/rules.ts";
import { requireAdmin } from "../auth/require-admin.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { teamPage, toTeamRow } from "./page.ts";
import { PROBLEM_TEXT, TEAM_TEXT } from "./texts.ts";
import { loadStaffBranches, saveStaffBranches } from "../branches/staff-store.ts";
import { staffBranchesCard, staffBranchesFromPost } from "../branches/team-card.ts";

/** The team's guarded routes (src/operators/index.ts gathers every section's into CONSOLE_ROUTES). */
export const TEAM_ROUTES = [
  { method: "GET", url: "/console/team" },
  { method: "GET", url: "/console/api/team" },
  { method: "POST", url: "/console/api/team/add" },
  { method: "POST", url: "/console/api/team/disable" },
  { method: "POST", url: "/console/api/team/role" },
  { method: "POST", url: "/console/api/team/reset" },
  { method: "POST", url: "/console/team/branches" },
] as const;

const operatorId = z.number({ message: "operatorId: must be the number of an operator" }).int().positive();
const bodies = {
  add: z.object({ login: z.string({ message: "login: required" }), displayName: z.string().optional(), role: z.string({ message: "role: required" }) }),
  disable: z.object({ operatorId, disabled: z.boolean({ message: "disabled: must be true or false" }) }),
  role: z.object({ operatorId, role: z.string({ message: "role: required" }) }),
  reset: z.object({ operatorId }),
};

/** Which status an account problem answers with. */
const STATUS: Partial<Record<AccountProblem, number>> = { "not-found": 404, "login-taken": 409, self: 409, "last-admin": 409 };

/** Admins manage the clinic's staff accounts: the page and its JSON API. */
export function registerTeamRoutes(app: FastifyInstance, deps: OperatorConsoleDeps): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps));
    scope.addHook("preHandler", requireAdmin);
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    const operators = async () => (await listOperators(deps.db, deps.clinic.id)).map(toTeamRow);

    scope.get("/console/team", async (request, reply) => {
      const { operator, csrfToken } = sessionOf(request);
      const lang = consoleLang(request);
      const nonce = randomBytes(16).toString("base64");
      const data = { lang, csrfToken, me: operator.id, timezone: deps.clinic.timezone, operators: await operators(), text: TEAM_TEXT[lang] };
      const saved = (request.query as { branches?: unknown }).branches === "saved";
      const branches = staffBranchesCard({ lang, csrfToken, data: await loadStaffBranches(deps.db, deps.clinic.id), saved });
      return reply.headers(pageHeaders(nonce)).send(await teamPage({ nonce, data, clinicName: deps.clinic.name, operatorName: operator.displayName, branches }));
    });

    // Which branches each operator works (a form on the staff page; JSON clients get the new state).
    scope.post("/console/team/branches", async (request, reply) => {
      const { operator } = sessionOf(request);
      await saveStaffBranches(deps.db, { clinicId: deps.clinic.id, by: operator.id, now: deps.clock.now(), choices: staffBranchesFromPost(request.body) });
      if ((request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) return reply.redirect("/console/team?branches=saved#staff-branches", 303);
      return loadStaffBranches(deps.db, deps.clinic.id);
    });

    scope.get("/console/api/team", async () => ({ operators: await operators() }));

    /** Runs one account change; a refused one answers in the manager's language with its code. */
    const change = async (request: FastifyRequest, reply: FastifyReply, schema: z.ZodType, work: (body: never, by: { operatorId: number; via: "console" }) => Promise<object>) => {
      const parsed = schema.safeParse(request.body ?? {});
      if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? "bad body" });
      const { operator } = sessionOf(request);
      try {
        const result = await work(parsed.data as never, { operatorId: operator.id, via: "console" });
        return { ...result, operators: await operators() };
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        return reply.code(STATUS[error.problem] ?? 422).send({ error: PROBLEM_TEXT[consoleLang(request)][error.problem], problem: error.problem });
      }
    };
    const base = () => ({ clinicId: deps.clinic.id, now: deps.clock.now() });

    scope.post("/console/api/team/add", (request, reply) =>
      change(request, reply, bodies.add, async (body: z.infer<typeof bodies.add>, by) => {
        const { operator, oneTimePassword } = await addOperator(deps.db, { ...base(), ...body, by });
        return { operator: toTeamRow(operator), oneTimePassword };
      }),
    );
    scope.post("/console/api/team/disable", (request, reply) =>
      change(request, reply, bodies.disable, async (body: z.infer<typeof bodies.disable>, by) => {
        await setOperatorDisabled(deps.db, { ...base(), ...body, by });
        return { ok: true };
      }),
    );
    scope.post("/console/api/team/role", (request, reply) =>
      change(request, reply, bodies.role, async (body: z.infer<typeof bodies.role>, by) => {
        await setOperatorRole(deps.db, { ...base(), ...body, by });
        return { ok: true };
      }),
    );
    scope.post("/console/api/team/reset", (request, reply) =>
      change(request, reply, bodies.reset, async (body: z.infer<typeof bodies.reset>, by) => ({ ...(await resetOperatorPassword(deps.db, { ...base(), ...body, by })) })),
    );
  });
}
