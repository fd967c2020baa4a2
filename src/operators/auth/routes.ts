import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { OperatorConsoleDeps } from "../deps.ts";
import { verifyPassword } from "../password.ts";
import { audit } from "../audit.ts";
import { pageHeaders } from "../page-headers.ts";
import { CONSOLE_LANGS, consoleLang, LANG_COOKIE } from "../i18n.ts";
import { LOGIN_TEXT, loginPage, safeNext, sameSiteConsolePath } from "./login-page.ts";
import { PASSWORD_PAGE, requireOperator, sessionOf } from "./require-operator.ts";
import { createSession, deleteSession, findSession } from "./session.ts";
import type { LoginThrottle, ThrottleKey } from "./throttle.ts";
import { DEVICE_COOKIE, deviceCookie } from "./device-cookie.ts";
import type { DeviceCookies } from "./device-cookie.ts";
import { readCookie, SESSION_COOKIE, SESSION_TTL_MS, sessionCookie } from "./tokens.ts";

const loginBody = z.object({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  next: z.string().max(500).optional(),
});

// Checked when the login is unknown, so a wrong login takes as long as a wrong password.
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const langQuery = z.object({
  to: z.enum(CONSOLE_LANGS, { message: `to: must be ${CONSOLE_LANGS.join(" or ")}` }),
  next: z.unknown().optional(),
});

const LANG_COOKIE_SECONDS = 365 * 24 * 3600;

/**
 * Whether cookies get `Secure`: always when staff open CareBot at an https PUBLIC_URL (TLS ends at
 * a proxy in front), else when this request came over https. request.protocol believes
 * X-Forwarded-Proto only from a proxy TRUST_PROXY names, never from any client.
 */
export function secureCookies(deps: Pick<OperatorConsoleDeps, "config">, request: FastifyRequest): boolean {
  return deps.config.publicUrl.startsWith("https:") || request.protocol === "https";
}

const wantsJson = (request: FastifyRequest) => (request.headers["content-type"] ?? "").includes("application/json") || (request.headers.accept ?? "").includes("application/json");

/** A plain HTML form (the header's logout button), as opposed to the page's script or an API client. */
const isFormPost = (request: FastifyRequest) =>
  (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded") && !wantsJson(request) && !request.headers["x-csrf-token"];

export function registerAuthRoutes(app: FastifyInstance, deps: OperatorConsoleDeps, guards: { throttle: LoginThrottle; devices: DeviceCookies }): void {
  const { throttle, devices } = guards;
  const isHttps = (request: FastifyRequest) => secureCookies(deps, request);
  const page = (request: FastifyRequest, reply: FastifyReply, status: number, options: { error?: string; next?: string; login?: string } = {}) => {
    const nonce = randomBytes(16).toString("base64");
    return reply.code(status).headers(pageHeaders(nonce)).send(loginPage({ nonce, lang: consoleLang(request), clinicName: deps.clinic.name, ...options }));
  };

  // The language switch: open to everyone (the login page has it too); it only sets a cookie.
  app.get("/console/lang", async (request, reply) => {
    const parsed = langQuery.safeParse(request.query ?? {});
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? "to: must be ru or en" });
    const cookie = [`${LANG_COOKIE}=${parsed.data.to}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${LANG_COOKIE_SECONDS}`, ...(isHttps(request) ? ["Secure"] : [])].join("; ");
    reply.header("set-cookie", cookie).header("cache-control", "no-store");
    return reply.redirect(sameSiteConsolePath(parsed.data.next), 303);
  });

  app.get("/console/login", async (request, reply) => {
    const next = (request.query as { next?: unknown }).next;
    return page(request, reply, 200, { next: typeof next === "string" ? next : undefined });
  });

  app.post("/console/login", async (request, reply) => {
    const json = wantsJson(request);
    const t = LOGIN_TEXT[consoleLang(request)];
    const parsed = loginBody.safeParse(request.body);
    if (!parsed.success) {
      return json ? reply.code(400).send({ error: "login and password are required" }) : page(request, reply, 400, { error: t.missing });
    }
    const { login, password, next } = parsed.data;
    // A browser this account logged in from is counted on its own; any other attempt counts
    // against the account and (at a far higher threshold) the client's address.
    const device = devices.verify(readCookie(request.headers.cookie, DEVICE_COOKIE), login);
    const keys: ThrottleKey[] = device ? [{ device }] : [{ account: login }, { address: request.ip }];
    const wait = throttle.waitFor(keys);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header("retry-after", String(seconds));
      const message = t.throttled.replace("{seconds}", String(seconds));
      return json ? reply.code(429).send({ error: "too many failed attempts", retryAfter: seconds }) : page(request, reply, 429, { error: message, next, login });
    }
    const operator = await deps.db.prisma.operator.findUnique({ where: { login } });
    const ok = await verifyPassword(password, operator?.passwordHash ?? DUMMY_HASH);
    if (!operator || !ok || operator.disabledAt) {
      throttle.failed(keys);
      request.log.info({ loginKnown: Boolean(operator) }, "console login refused");
      if (operator) await audit(deps.db.prisma, { clinicId: operator.clinicId, operatorId: operator.id, action: "login.failed", target: `operator:${operator.id}`, at: deps.clock.now() });
      return json ? reply.code(401).send({ error: "wrong login or password" }) : page(request, reply, 401, { error: t.wrong, next, login });
    }
    throttle.succeeded(keys[0]!);
    // One database may hold several clinics, each served by its own CareBot: this one serves only its own staff.
    if (operator.clinicId !== deps.clinic.id) {
      request.log.warn({ operatorId: operator.id }, "console login refused: the account belongs to another clinic");
      return json ? reply.code(403).send({ error: "this account belongs to another clinic" }) : page(request, reply, 403, { error: t.otherClinic, next, login });
    }
    const now = deps.clock.now();
    const session = await createSession(deps.db, operator.id, now);
    await deps.db.prisma.operator.update({ where: { id: operator.id }, data: { lastLoginAt: now } });
    await audit(deps.db.prisma, { clinicId: operator.clinicId, operatorId: operator.id, action: "login", target: `operator:${operator.id}`, at: now });
    request.log.info({ operatorId: operator.id }, "console login");
    // Each value is its own Set-Cookie line; a browser new to this account is remembered from now on.
    const cookies = [sessionCookie(session.token, isHttps(request), SESSION_TTL_MS / 1000)];
    if (!device) cookies.push(deviceCookie(devices.issue(operator.login), isHttps(request)));
    reply.header("set-cookie", cookies);
    if (json) return reply.send({ operator: { id: operator.id, login: operator.login, displayName: operator.displayName, role: operator.role, mustChangePassword: operator.mustChangePassword }, csrfToken: session.csrfToken });
    // A one-time password is replaced before anything else; the page goes on to `next` after that.
    if (operator.mustChangePassword) return reply.redirect(`${PASSWORD_PAGE}?next=${encodeURIComponent(safeNext(next))}`, 303);
    return reply.redirect(safeNext(next), 303);
  });

  const guard = requireOperator(deps, { beforePasswordChange: true });
  // Logging out of a session that already ended just lands on the login page (a form can't read a 401).
  const logoutGuard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (isFormPost(request)) {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = token ? await findSession(deps.db, token, deps.clock.now()) : null;
      if (!session) return reply.redirect("/console/login", 303);
    }
    return guard(request, reply);
  };

  app.post("/console/logout", { preHandler: logoutGuard }, async (request, reply) => {
    const session = sessionOf(request);
    await deleteSession(deps.db, session.id);
    await audit(deps.db.prisma, { clinicId: session.operator.clinicId, operatorId: session.operator.id, action: "logout", target: `operator:${session.operator.id}`, at: deps.clock.now() });
    reply.header("set-cookie", sessionCookie("", isHttps(request), 0));
    // The header's form gets the login page; the page's script and API clients get JSON.
    return isFormPost(request) ? reply.redirect("/console/login", 303) : reply.send({ ok: true });
  });
}
