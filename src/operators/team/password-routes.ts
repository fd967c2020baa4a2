import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { changeOwnPassword } from "../accounts/accounts.ts";
import { AccountError } from "../accounts/rules.ts";
import { LOGIN_TEXT, safeNext } from "../auth/login-page.ts";
import type { LoginThrottle } from "../auth/throttle.ts";
import { requireOperator, sessionOf } from "../auth/require-operator.ts";
import { consoleLang } from "../i18n.ts";
import { pageHeaders } from "../page-headers.ts";
import { passwordPage } from "./password-page.ts";
import { PASSWORD_TEXT, PROBLEM_TEXT } from "./texts.ts";

export const PASSWORD_ROUTES = [
  { method: "GET", url: "/console/password" },
  { method: "POST", url: "/console/password" },
] as const;

const body = z.object({
  current: z.string().max(1000).default(""),
  next_password: z.string().max(1000).default(""),
  repeat: z.string().max(1000).default(""),
  next: z.string().max(500).optional(),
});

/** Every operator's own password: open even before a one-time password is replaced (that is what it is for). */
/**
 * `throttle` is the login's: a wrong current password is a wrong guess at the same secret, so an
 * unattended open session cannot be used to try passwords faster than the login form allows.
 */
export function registerPasswordRoutes(app: FastifyInstance, deps: OperatorConsoleDeps, throttle: LoginThrottle): void {
  app.register(async (scope) => {
    scope.addHook("preHandler", requireOperator(deps, { beforePasswordChange: true }));
    scope.addHook("onSend", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });

    const render = (request: FastifyRequest, reply: FastifyReply, status: number, extra: { next: string; error?: string; done?: boolean; forced?: boolean }) => {
      const { operator, csrfToken } = sessionOf(request);
      const nonce = randomBytes(16).toString("base64");
      const page = passwordPage({ nonce, lang: consoleLang(request), csrfToken, clinicName: deps.clinic.name, operatorName: operator.displayName, admin: operator.role === "admin", forced: extra.forced ?? operator.mustChangePassword, ...extra });
      return reply.code(status).headers(pageHeaders(nonce)).send(page);
    };
    const isForm = (request: FastifyRequest) => (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");

    scope.get("/console/password", async (request, reply) => {
      const next = (request.query as { next?: unknown }).next;
      return render(request, reply, 200, { next: safeNext(typeof next === "string" ? next : undefined) });
    });

    scope.post("/console/password", async (request, reply) => {
      const lang = consoleLang(request);
      const form = isForm(request);
      const parsed = body.safeParse(request.body ?? {});
      const next = safeNext(parsed.success ? parsed.data.next : undefined);
      const refuse = (status: number, error: string, problem: string) => (form ? render(request, reply, status, { next, error }) : reply.code(status).send({ error, problem }));
      if (!parsed.success || !parsed.data.current || !parsed.data.next_password || !parsed.data.repeat) return refuse(400, PASSWORD_TEXT[lang].missing, "missing");
      if (parsed.data.next_password !== parsed.data.repeat) return refuse(422, PROBLEM_TEXT[lang]["password-mismatch"], "password-mismatch");
      const session = sessionOf(request);
      const account = { account: session.operator.login };
      const wait = throttle.waitFor([account]);
      if (wait > 0) return refuse(429, LOGIN_TEXT[lang].throttled.replace("{seconds}", String(Math.ceil(wait / 1000))), "throttled");
      try {
        await changeOwnPassword(deps.db, { operatorId: session.operator.id, current: parsed.data.current, next: parsed.data.next_password, keepSessionId: session.id, now: deps.clock.now() });
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        if (error.problem === "wrong-password") throttle.failed([account]);
        return refuse(422, PROBLEM_TEXT[lang][error.problem], error.problem);
      }
      // The session now stands for the new password; a forced change goes on to where the login was headed.
      if (!form) return { ok: true, next };
      if (session.operator.mustChangePassword) return reply.redirect(next, 303);
      return render(request, reply, 200, { next, done: true, forced: false });
    });
  });
}

