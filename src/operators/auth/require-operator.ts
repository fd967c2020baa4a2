import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { OperatorConsoleDeps } from "../deps.ts";
import { findSession } from "./session.ts";
import type { ConsoleSession } from "./session.ts";
import { readCookie, SESSION_COOKIE } from "./tokens.ts";

declare module "fastify" {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Pages get a redirect to the login page; API calls and scripts (XHR, fetch, JSON) get 401. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  return (
    request.url.includes("/api/") ||
    request.headers["x-requested-with"] === "XMLHttpRequest" ||
    accept.includes("application/json") ||
    accept.includes("text/event-stream") ||
    !accept.includes("text/html") ||
    request.method !== "GET"
  );
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token a request carries: the X-CSRF-Token header or a `_csrf` form field. */
function csrfOf(request: FastifyRequest): string | null {
  const header = request.headers["x-csrf-token"];
  if (typeof header === "string" && header) return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === "object" && typeof body._csrf === "string" ? body._csrf : null;
}

export interface RequireOperatorOptions {
  /** Check the CSRF token on POST/PUT/PATCH/DELETE (default true). */
  csrf?: boolean;
  /** Open to an operator who still has to replace a one-time password (the password page, logout). */
  beforePasswordChange?: boolean;
}

/** What the gate reads: sessions in the database, on the clock, for the clinic served. */
export type OperatorGate = Pick<OperatorConsoleDeps, "db" | "clock" | "clinic">;

/** Where an operator logged in with a one-time password is sent before anything else. */
export const PASSWORD_PAGE = "/console/password";

/**
 * The console's gate (a preHandler, so a form body is parsed before the CSRF check): a live
 * session or 401/redirect; a session of another clinic's operator 404, as if nothing were here
 * (one database may hold several clinics, each served by its own CareBot); then the session's
 * CSRF token on every state-changing request or 403.
 */
export function requireOperator(deps: OperatorGate, options: RequireOperatorOptions = {}) {
  const checkCsrf = options.csrf ?? true;
  const beforePasswordChange = options.beforePasswordChange ?? false;
  return async function requireOperatorHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = token ? await findSession(deps.db, token, deps.clock.now()) : null;
    if (!session) {
      if (wantsJson(request)) return reply.code(401).header("cache-control", "no-store").send({ error: "login required" });
      return reply.redirect(`/console/login?next=${encodeURIComponent(request.url.startsWith("/") ? request.url : "/console")}`, 303);
    }
    if (session.operator.clinicId !== deps.clinic.id) {
      request.log.warn({ operatorId: session.operator.id }, "console: a session of another clinic's operator was refused");
      return reply.code(404).header("cache-control", "no-store").send({ error: "not found" });
    }
    if (checkCsrf && STATE_CHANGING.has(request.method)) {
      const sent = csrfOf(request);
      if (!sent || !sameToken(sent, session.csrfToken)) return reply.code(403).send({ error: "CSRF token missing or wrong: reload the page" });
    }
    if (session.operator.mustChangePassword && !beforePasswordChange) {
      if (wantsJson(request)) return reply.code(403).header("cache-control", "no-store").send({ error: "set a new password first (/console/password)", passwordChangeRequired: true });
      return reply.redirect(`${PASSWORD_PAGE}?next=${encodeURIComponent(request.url)}`, 303);
    }
    request.consoleSession = session;
  };
}

/** The session a guarded handler runs under (the hook has put it there). */
export function sessionOf(request: FastifyRequest): ConsoleSession {
  if (!request.consoleSession) throw new Error("requireOperator did not run for this route");
  return request.consoleSession;
}
