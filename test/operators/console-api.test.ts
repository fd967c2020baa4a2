import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { checkSettingsDocument } from "../../src/domain/clinic/settings-document.ts";
import { settingsChecks } from "../../src/operators/settings/checks.ts";
import { createLogger } from "../../src/logger.ts";
import { CONSOLE_ROUTES } from "../../src/operators/index.ts";
import { releaseIdleConversations } from "../../src/operators/console/idle-release.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { loadSettings, saveSettings } from "../../src/operators/settings/store.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const PASSWORD = "correct-horse-battery-7";
const PASSWORD_B = "another-secret-pass-9";

interface Login {
  cookie: string;
  csrf: string;
  token: string;
}

describe(`operators' console API on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  let clinicId: number;
  let otherClinicId: number;
  const logLines: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
  let anna: Login;
  let boris: Login;
  let stranger: Login;
  let annaOp: { id: number };
  let chatSeq = 0;

  const inject = (method: string, url: string, who?: Login, payload?: unknown, csrf = true) =>
    app.inject({
      method: method as "GET",
      url,
      headers: { ...(who ? { cookie: who.cookie } : {}), ...(who && csrf && method !== "GET" ? { "x-csrf-token": who.csrf } : {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  const login = async (loginName: string, password: string, ip = "10.0.0.1"): Promise<Login> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: loginName, password }, remoteAddress: ip });
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers["set-cookie"]);
    const token = /carebot_console=([^;]+)/.exec(setCookie)![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken, token };
  };

  /** A patient of the clinic asks for a person in a web chat: an escalation with a conversation. */
  const patientAsksForOperator = async (fullName = "Петрова Анна Сергеевна") => {
    const patient = await createPatient(db, clinicId, { fullName });
    const chatId = `op-test-${++chatSeq}`;
    await linkChat(db, clinicId, patient.id, chatId, "web");
    await carebot.router.handle(toInboundMessage(chatId, { text: "оператор" }));
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id }, orderBy: { id: "desc" } });
    return { patient, chatId, escalation, conversationId: escalation.conversationId! };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    otherClinicId = (await createClinic(db)).id;
    annaOp = await db.operator.create({ data: { clinicId, login: "anna", passwordHash: await hashPassword(PASSWORD), displayName: "Анна Администратор" } });
    await db.operator.create({ data: { clinicId, login: "boris", passwordHash: await hashPassword(PASSWORD_B), displayName: "Борис Оператор" } });
    await db.operator.create({ data: { clinicId: otherClinicId, login: "stranger", passwordHash: await hashPassword(PASSWORD), displayName: "Чужой" } });
    await db.operator.create({ data: { clinicId, login: "victim", passwordHash: await hashPassword(PASSWORD), displayName: "Жертва" } });

    const destination = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "debug", pretty: false, destination });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    anna = await login("anna", PASSWORD);
    boris = await login("boris", PASSWORD_B);
    // The other clinic's operator logged in on their own clinic's CareBot (same database); this one refuses them.
    const strangerOp = await db.operator.findUniqueOrThrow({ where: { login: "stranger" } });
    const strangerSession = await createSession(t.db, strangerOp.id, clock.now());
    stranger = { cookie: `carebot_console=${strangerSession.token}`, csrf: strangerSession.csrfToken, token: strangerSession.token };
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("refuses every console route to an anonymous request: 401 for the API, a redirect for the page", async () => {
    for (const route of CONSOLE_ROUTES) {
      const url = route.url.replace(":id", "1");
      const res = await app.inject({ method: route.method, url, headers: { accept: "application/json" } });
      expect(res.statusCode, `${route.method} ${url}`).toBe(401);
      const expired = await app.inject({ method: route.method, url, headers: { cookie: "carebot_console=forged-token", "x-csrf-token": "x" } });
      expect(expired.statusCode, `${route.method} ${url} with a forged cookie`).toBe(401);
    }
    const page = await app.inject({ method: "GET", url: "/console", headers: { accept: "text/html" } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/console/login?next=%2Fconsole");
    const preview = await app.inject({ method: "GET", url: "/preview/api/flows" });
    expect(preview.statusCode).toBe(401);
    // The login page itself is open, in Russian, with a strict CSP.
    const loginPage = await app.inject({ method: "GET", url: "/console/login" });
    expect(loginPage.statusCode).toBe(200);
    expect(loginPage.body).toContain("Консоль операторов");
    expect(loginPage.headers["content-security-policy"]).toContain("default-src 'none'");
  });

  it("sets an HttpOnly SameSite=Lax cookie and stores only the token's sha256; an expired session is refused", async () => {
    // Secure cookies (https PUBLIC_URL, a trusted proxy's X-Forwarded-Proto): test/operators/login-security.test.ts.
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: "anna", password: PASSWORD }, remoteAddress: "10.0.0.9" });
    const cookie = [res.headers["set-cookie"]].flat().map(String).find((c) => c.startsWith("carebot_console="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const token = /carebot_console=([^;]+)/.exec(cookie)![1]!;
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const sessions = await db.operatorSession.findMany({ where: { operatorId: annaOp.id } });
    expect(sessions.some((s) => s.tokenHash === token)).toBe(false);
    const { createHash } = await import("node:crypto");
    const stored = sessions.find((s) => s.tokenHash === createHash("sha256").update(token).digest("hex"))!;
    expect(stored.expiresAt.getTime() - clock.now().getTime()).toBe(12 * 3600_000);

    const who = { cookie: `carebot_console=${token}`, csrf: stored.csrfToken, token };
    expect((await inject("GET", "/console/api/me", who)).statusCode).toBe(200);
    clock.advance(12 * 3600_000);
    expect((await inject("GET", "/console/api/me", who)).statusCode).toBe(401);
    clock.set("2026-11-23T08:00:00Z");
    // Logout ends the session.
    expect((await inject("POST", "/console/logout", who)).statusCode).toBe(200);
    expect((await inject("GET", "/console/api/me", who)).statusCode).toBe(401);
  });

  it("refuses a state change without the session's CSRF token (403), also with another session's token", async () => {
    const { conversationId } = await patientAsksForOperator();
    const url = `/console/api/conversations/${conversationId}/take`;
    expect((await inject("POST", url, anna, undefined, false)).statusCode).toBe(403);
    const wrong = await app.inject({ method: "POST", url, headers: { cookie: anna.cookie, "x-csrf-token": boris.csrf } });
    expect(wrong.statusCode).toBe(403);
    expect((await inject("POST", "/console/logout", anna, undefined, false)).statusCode).toBe(403);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).not.toBe("operator");
    // A form field works as well as the header.
    const form = await app.inject({ method: "POST", url, headers: { cookie: anna.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${encodeURIComponent(anna.csrf)}` });
    expect(form.statusCode, form.body).toBe(200);
  });

  it("keeps clinics apart: another clinic's operator gets 404 for the conversation, cannot take it, and gets 404 for the queue", async () => {
    const { conversationId, escalation } = await patientAsksForOperator();
    expect((await inject("GET", `/console/api/conversations/${conversationId}`, stranger)).statusCode).toBe(404);
    expect((await inject("POST", `/console/api/conversations/${conversationId}/take`, stranger)).statusCode).toBe(404);
    expect((await inject("POST", `/console/api/conversations/${conversationId}/note`, stranger, { text: "x" })).statusCode).toBe(404);
    expect((await inject("POST", `/console/api/escalations/${escalation.id}/resolve`, stranger)).statusCode).toBe(404);
    expect((await inject("GET", "/console/api/queue", stranger)).statusCode).toBe(404);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).operatorId).toBeNull();
  });

  it("slows the 6th wrong password (429 + growing Retry-After) and refuses a right one from a new browser during the wait", async () => {
    const attempt = (password: string, ip = "10.1.1.1", loginName = "victim") =>
      app.inject({ method: "POST", url: "/console/login", payload: { login: loginName, password }, remoteAddress: ip });
    for (let i = 1; i <= 5; i++) {
      const res = await attempt(`wrong-password-${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: "wrong login or password" });
    }
    const sixth = await attempt("wrong-password-6");
    expect(sixth.statusCode).toBe(429);
    const firstWait = Number(sixth.headers["retry-after"]);
    expect(firstWait).toBeGreaterThan(0);
    // The right password during the wait, even from another address, is refused.
    expect((await attempt(PASSWORD, "10.9.9.9")).statusCode).toBe(429);
    clock.advance(firstWait * 1000);
    expect((await attempt("wrong-password-7")).statusCode).toBe(401);
    const longer = await attempt("wrong-password-8");
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers["retry-after"])).toBeGreaterThan(firstWait);
    clock.advance(Number(longer.headers["retry-after"]) * 1000);
    expect((await attempt(PASSWORD, "10.9.9.9")).statusCode).toBe(200);
    // Unknown logins and wrong passwords read the same; they never hold back another account.
    for (let i = 0; i < 5; i++) expect((await attempt("x-wrong-password", "10.7.7.7", `nobody${i}`)).json()).toEqual({ error: "wrong login or password" });
    expect((await attempt(PASSWORD, "10.7.7.7", "anna")).statusCode).toBe(200);
    clock.set("2026-11-23T08:00:00Z");
  });

  it("stores a scrypt hash, never the password, and logs neither passwords nor session tokens", async () => {
    const op = await db.operator.findUniqueOrThrow({ where: { login: "anna" } });
    expect(op.passwordHash).not.toContain(PASSWORD);
    expect(op.passwordHash).toMatch(/^scrypt\$/);
    await app.inject({ method: "POST", url: "/console/login", payload: { login: "anna", password: "a-wrong-password-123" }, remoteAddress: "10.2.2.2" });
    const log = logLines.join("");
    expect(log).toContain("console login");
    for (const secret of [PASSWORD, PASSWORD_B, "a-wrong-password-123", anna.token, boris.token, anna.csrf]) expect(log).not.toContain(secret);
  });

  it("take, 409 for the second operator, reply, note, hand back, resolve — each audited", async () => {
    const { conversationId, escalation, chatId } = await patientAsksForOperator("Смирнова Екатерина");
    const base = `/console/api/conversations/${conversationId}`;
    // Not held yet: nobody may reply or hand back.
    expect((await inject("POST", `${base}/reply`, anna, { text: "Здравствуйте" })).statusCode).toBe(409);

    const queue = (await inject("GET", "/console/api/queue", anna)).json() as { queue: { id: number; patientName: string; reason: string; overdue: boolean; status: string }[] };
    expect(queue.queue).toContainEqual(expect.objectContaining({ id: escalation.id, patientName: "Смирнова Екатерина", reason: "operator_request", overdue: false, status: "open" }));

    expect((await inject("POST", `${base}/take`, anna)).statusCode).toBe(200);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: "operator", operatorId: annaOp.id, operatorTakenAt: clock.now() });
    expect(await db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).toMatchObject({ status: "taken", operatorId: annaOp.id });
    const second = await inject("POST", `${base}/take`, boris);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ holder: "Анна Администратор" });
    expect((await inject("POST", `${base}/reply`, boris, { text: "я тоже" })).statusCode).toBe(409);
    expect((await inject("POST", `${base}/reply`, anna, { text: "   " })).statusCode).toBe(400);

    const reply = await inject("POST", `${base}/reply`, anna, { text: "Здравствуйте, это Анна из клиники" });
    expect(reply.statusCode, reply.body).toBe(200);
    const sent = async () => (await db.outbox.findMany({ select: { payload: true } })).map((o) => (o.payload as { message?: { text?: string } }).message?.text);
    expect((await sent()).filter((text) => text === "Здравствуйте, это Анна из клиники")).toHaveLength(1);
    expect((await inject("POST", `${base}/note`, boris, { text: "Пациентка звонила вчера" })).statusCode).toBe(200);
    expect(await sent()).not.toContain("Пациентка звонила вчера");

    // The patient writes while Anna holds the chat: no bot answer, the line reaches the transcript.
    const outboxBefore = await db.outbox.count({ where: { conversationId } });
    await carebot.router.handle(toInboundMessage(chatId, { text: "Спасибо, жду" }));
    expect(await db.outbox.count({ where: { conversationId } })).toBe(outboxBefore);

    const view = (await inject("GET", base, anna)).json() as { transcript: { direction: string; text: string; operator: string | null }[]; patient: { fullName: string; bonus: { balance: number } } };
    expect(view.transcript.slice(-3)).toMatchObject([
      { direction: "outbound", text: "Здравствуйте, это Анна из клиники", operator: "Анна Администратор" },
      { direction: "note", text: "Пациентка звонила вчера", operator: "Борис Оператор" },
      { direction: "inbound", text: "Спасибо, жду" },
    ]);
    expect(view.patient).toMatchObject({ fullName: "Смирнова Екатерина", bonus: { balance: 0 } });

    expect((await inject("POST", `${base}/hand-back`, boris)).statusCode).toBe(409);
    expect((await inject("POST", `${base}/hand-back`, anna)).statusCode).toBe(200);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).not.toBe("operator");
    expect((await db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe("taken");
    expect((await inject("POST", `/console/api/escalations/${escalation.id}/resolve`, anna)).statusCode).toBe(200);
    expect(await db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).toMatchObject({ status: "resolved", resolvedAt: clock.now() });
    expect(((await inject("GET", "/console/api/queue", anna)).json() as { queue: { id: number }[] }).queue.map((q) => q.id)).not.toContain(escalation.id);

    const audit = await db.auditEntry.findMany({ where: { target: { in: [`conversation:${conversationId}`, `escalation:${escalation.id}`] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.operatorId])).toEqual([
      ["conversation.take", annaOp.id],
      ["conversation.reply", annaOp.id],
      ["conversation.note", expect.any(Number)],
      ["conversation.hand-back", annaOp.id],
      ["escalation.resolve", annaOp.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain("Здравствуйте");
  });

  it("orders the queue by priority, then SLA, and flags overdue ones", async () => {
    const patient = await createPatient(db, clinicId, { fullName: "Срочный Пациент" });
    const identity = await linkChat(db, clinicId, patient.id, `op-urgent-${++chatSeq}`, "web");
    const urgent = await db.escalation.create({ data: { clinicId, patientId: patient.id, identityId: identity.id, reason: "health_complaint", priority: "urgent", slaDueAt: new Date(clock.now().getTime() - 60_000), summary: "Отёк после удаления" } });
    const low = await db.escalation.create({ data: { clinicId, patientId: patient.id, identityId: identity.id, reason: "new_patient", priority: "low", slaDueAt: new Date(clock.now().getTime() - 3600_000) } });
    const { queue } = (await inject("GET", "/console/api/queue", anna)).json() as { queue: { id: number; priority: string; overdue: boolean }[] };
    expect(queue[0]).toMatchObject({ id: urgent.id, priority: "urgent", overdue: true });
    expect(queue.at(-1)).toMatchObject({ id: low.id, priority: "low" });
    const ranks = queue.map((q) => ["urgent", "high", "normal", "low"].indexOf(q.priority));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    await db.escalation.updateMany({ where: { id: { in: [urgent.id, low.id] } }, data: { status: "resolved" } });
  });

  it("releases a conversation idle for OPERATOR_IDLE_MINUTES back to the bot and the queue, audited", async () => {
    const { conversationId, escalation } = await patientAsksForOperator("Идле Пациент");
    expect((await inject("POST", `/console/api/conversations/${conversationId}/take`, boris)).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    // Conversations other tests left held are released too; this one not before its 30 minutes.
    expect(await releaseIdleConversations(carebot, null, 30)).not.toContain(conversationId);
    clock.advance(2 * 60_000);
    expect(await releaseIdleConversations(carebot, null, 30)).toContain(conversationId);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: "bot", operatorId: null });
    expect(await db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).toMatchObject({ status: "open", operatorId: null });
    expect(await db.auditEntry.findFirst({ where: { action: "conversation.idle-release", target: `conversation:${conversationId}` } })).toMatchObject({ operatorId: null });
    clock.set("2026-11-23T08:00:00Z");
  });

  // Names that look like markup, on this page and the others: test/security/hostile-text.test.ts.
  it("serves the console page with the CSRF token in a meta tag", async () => {
    const res = await inject("GET", "/console", anna);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ru">');
    expect(res.body).toContain(`<meta name="csrf-token" content="${anna.csrf}">`);
    expect(res.headers["content-security-policy"]).toMatch(/script-src 'nonce-[^']+'/);
    expect(res.body).not.toMatch(/https?:\/\//);
    for (const label of ["Очередь", "Взять диалог", "Ответить", "Заметка", "Вернуть боту"]) expect(res.body).toContain(label);
  });

  it("shows WhatsApp's login QR to admins only, as an SVG, and never in /health", async () => {
    await db.operator.create({ data: { clinicId, login: "qr-admin", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Админ" } });
    const admin = await login("qr-admin", PASSWORD);
    expect((await inject("GET", "/console/api/whatsapp", admin)).json()).toEqual({ enabled: false, state: "off", qrSvg: null });
    carebot.whatsappStatus = () => ({ state: "qr", qr: "2@carebot-test-qr-payload,abc,def" });
    const shown = (await inject("GET", "/console/api/whatsapp", admin)).json();
    expect(shown).toMatchObject({ enabled: true, state: "qr" });
    expect(shown.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect((await inject("GET", "/console/api/whatsapp", boris)).statusCode).toBe(403);
    carebot.whatsappStatus = () => ({ state: "ready" });
    expect((await inject("GET", "/console/api/whatsapp", admin)).json()).toEqual({ enabled: true, state: "ready", qrSvg: null });
    carebot.whatsappStatus = undefined;
  });

  it("switches the language with a year-long cookie, before login too, and never redirects off the console", async () => {
    const res = await app.inject({ method: "GET", url: `/console/lang?to=en&next=${encodeURIComponent("/console/login?next=%2Fconsole")}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/console/login?next=%2Fconsole");
    const cookie = String(res.headers["set-cookie"]);
    for (const part of ["carebot_lang=en", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"]) expect(cookie).toContain(part);
    expect(cookie).not.toMatch(/Secure/);
    // A client's own X-Forwarded-Proto is not believed without TRUST_PROXY (login-security.test.ts covers the proxy).
    expect(String((await app.inject({ method: "GET", url: "/console/lang?to=ru", headers: { "x-forwarded-proto": "https" } })).headers["set-cookie"])).not.toMatch(/Secure/);

    // Anywhere but a page of this console is refused: the switch goes to /console instead.
    for (const next of ["https://evil.example/console", "//evil.example/console", "/\\evil.example", "/consolex", "javascript:alert(1)", "/console\r\nSet-Cookie: x=1", "/console/lang?to=en", ""]) {
      const away = await app.inject({ method: "GET", url: `/console/lang?to=en&next=${encodeURIComponent(next)}` });
      expect(away.statusCode, next).toBe(303);
      expect(away.headers.location, next).toBe("/console");
    }
    const bad = await app.inject({ method: "GET", url: "/console/lang?to=fr&next=/console" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/^to: must be ru or en/);

    // The login page and its errors speak English with the cookie, and offer Russian back.
    const en = { cookie: "carebot_lang=en" };
    const loginPage = await app.inject({ method: "GET", url: "/console/login", headers: en });
    expect(loginPage.body).toContain('<html lang="en">');
    expect(loginPage.body).toContain("<h1>Operators&#39; console</h1>"); // html`` escapes the apostrophe, like every text
    expect(loginPage.body).toContain('href="/console/lang?to=ru&amp;next=%2Fconsole%2Flogin%3Fnext%3D%252Fconsole"');
    const wrong = await app.inject({ method: "POST", url: "/console/login", headers: { ...en, "content-type": "application/x-www-form-urlencoded" }, payload: "login=anna&password=not-her-password", remoteAddress: "10.3.3.3" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain("Wrong login or password");

    // So does the console itself; without the cookie it is Russian.
    const page = await app.inject({ method: "GET", url: "/console", headers: { cookie: `${anna.cookie}; carebot_lang=en` } });
    expect(page.body).toContain('<html lang="en">');
    for (const label of ["Queue", "Take over", "Reply", "Note", "Hand back to the bot", "Log out", "Русский"]) expect(page.body).toContain(label);
    expect(page.body).not.toContain("Взять диалог");
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await inject("GET", "/console", anna)).body).toContain("Взять диалог");
  });

  it("logs out from the header's form with a redirect to the login page; the page's script still gets JSON", async () => {
    const who = await login("boris", PASSWORD_B, "10.4.4.4");
    const form = { "content-type": "application/x-www-form-urlencoded", accept: "text/html" };
    const out = await app.inject({ method: "POST", url: "/console/logout", headers: { ...form, cookie: who.cookie }, payload: `_csrf=${encodeURIComponent(who.csrf)}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe("/console/login");
    expect(String(out.headers["set-cookie"])).toMatch(/carebot_console=;.*Max-Age=0/);
    expect((await inject("GET", "/console/api/me", who)).statusCode).toBe(401);
    // Again, from a tab left open: the session is gone, the form still lands on the login page.
    const again = await app.inject({ method: "POST", url: "/console/logout", headers: { ...form, cookie: who.cookie }, payload: `_csrf=${encodeURIComponent(who.csrf)}` });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe("/console/login");
    // A form without the session's token changes nothing.
    const other = await login("boris", PASSWORD_B, "10.4.4.4");
    expect((await app.inject({ method: "POST", url: "/console/logout", headers: { ...form, cookie: other.cookie }, payload: "_csrf=forged" })).statusCode).toBe(403);
    expect((await inject("GET", "/console/api/me", other)).statusCode).toBe(200);
    const json = await inject("POST", "/console/logout", other);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ ok: true });
  });

  it("renders the clinic's canned replies for the conversation's patient; a broken one names its id, the rest still work", async () => {
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    const settings = parseClinicSettings(clinic.settings);
    await db.clinic.update({
      where: { id: clinicId },
      data: {
        settings: parseClinicSettings({
          ...settings,
          cannedReplies: [
            { id: "hello", title: "Приветствие", text: "{{patient.firstName}}, здравствуйте! Это {{operator.name}}, {{clinic.name}}. На вашем счёте {{points bonus.balance}}." },
            { id: "typo", title: "С опечаткой", text: "Здравствуйте, {{patient.frstName}}!" },
            { id: "where", title: "Адрес", text: "Мы находимся по адресу: {{clinic.address}}, телефон {{clinic.phone}}." },
            // Saved before the settings' trial render existed (the save refuses these now, see below).
            { id: "each", title: "Всё сразу", text: "{{#each this}}{{this}} {{/each}}" },
            { id: "deep", title: "Слишком глубоко", text: "{{patient.firstName.x}}" },
          ],
        }),
      },
    });
    const { conversationId, patient } = await patientAsksForOperator("Соколова Вера Павловна");
    await db.bonusAccount.upsert({ where: { patientId: patient.id }, create: { clinicId, patientId: patient.id, balance: 1500 }, update: { balance: 1500 } });
    const res = await inject("GET", `/console/api/conversations/${conversationId}/canned`, anna);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([
      { id: "hello", title: "Приветствие", text: "Вера, здравствуйте! Это Анна Администратор, Клиника «Здоровье». На вашем счёте 1\u00a0500\u00a0баллов." },
      {
        id: "typo",
        title: "С опечаткой",
        text: null,
        error: "Шаблон «С опечаткой» не удалось подставить для этого пациента: в нём неизвестное поле {{patient.frstName}}. Напишите ответ сами; администратор может исправить шаблон в настройках клиники.",
        detail: expect.stringMatching(/^canned reply "typo": unknown variable "patient\.frstName" \(known: patient\.firstName, /),
      },
      { id: "where", title: "Адрес", text: "Мы находимся по адресу: Москва, ул. Примерная, 1, телефон +7 495 123-45-67." },
      {
        id: "each",
        title: "Всё сразу",
        text: null,
        error: "Шаблон «Всё сразу» не удалось подставить для этого пациента: {{this}} — не текст (нужно конкретное поле, например {{patient.firstName}}). Напишите ответ сами; администратор может исправить шаблон в настройках клиники.",
        detail: expect.stringMatching(/^canned reply "each": "this" is an object, not text/),
      },
      { id: "deep", title: "Слишком глубоко", text: null, error: "Шаблон «Слишком глубоко» не удалось подставить для этого пациента: в нём неизвестное поле {{patient.firstName.x}}. Напишите ответ сами; администратор может исправить шаблон в настройках клиники.", detail: expect.stringMatching(/^canned reply "deep": unknown variable "patient\.firstName\.x"/) },
    ]);
    // Nothing a script or a JavaScript engine says reaches the operator.
    for (const reply of res.json() as { error?: string }[]) expect(reply.error ?? "").not.toMatch(/Cannot|Error|undefined|object Object|[a-z]{4,} [a-z]{4,} [a-z]{4,}/);
    const english = await app.inject({ method: "GET", url: `/console/api/conversations/${conversationId}/canned`, headers: { cookie: `${anna.cookie}; carebot_lang=en` } });
    expect((english.json() as { id: string; error?: string }[]).find((r) => r.id === "typo")!.error).toBe(
      "The canned reply \"С опечаткой\" could not be filled in for this patient: it uses an unknown field {{patient.frstName}}. Write the answer yourself; an admin can fix the reply in the clinic's settings.",
    );
    expect((await inject("GET", `/console/api/conversations/${conversationId}/canned`, stranger)).statusCode).toBe(404);
    expect((await inject("GET", "/console/api/conversations/abc/canned", anna)).json()).toEqual({ error: expect.stringMatching(/^номер: нужно число/) });
    await db.clinic.update({ where: { id: clinicId }, data: { settings } });
  });

  it("refuses canned replies that are not templates when the settings are validated, naming the field", () => {
    // The template engine's word comes in through SettingsChecks (src/domain knows no Handlebars).
    const check = (text: string) => checkSettingsDocument({ cannedReplies: [{ id: "ok", title: "ok", text: "ok" }, { id: "bad", title: "bad", text }] }, settingsChecks, "en");
    expect(check("Здравствуйте, {{patient.firstName}")).toEqual({ ok: false, problems: [{ path: "cannedReplies.1.text", message: expect.stringMatching(/^is not a valid template: line 1/) }] });
    expect(check("{{#if patient.firstName}}Здравствуйте")).toEqual({ ok: false, problems: [{ path: "cannedReplies.1.text", message: expect.stringMatching(/^is not a valid template: line 1/) }] });
    expect(checkSettingsDocument({ cannedReplies: [{ id: "a", title: "a", text: "{{> footer}}" }] }, settingsChecks, "en")).toEqual({ ok: false, problems: [{ path: "cannedReplies.0.text", message: expect.stringMatching(/partials/) }] });
    expect(checkSettingsDocument({ cannedReplies: [{ id: "a", title: "a", text: "{{> footer}}" }] }, settingsChecks, "ru")).toEqual({ ok: false, problems: [{ path: "cannedReplies.0.text", message: expect.stringMatching(/^вставки других шаблонов/) }] });
    const fine = checkSettingsDocument({ cannedReplies: [{ id: "a", title: "a", text: "{{points bonus.balance}}" }] }, settingsChecks, "en");
    expect(fine.ok && fine.settings.cannedReplies).toHaveLength(1);
    // Reading stored settings judges their shape only: a document is judged when it is saved.
    expect(parseClinicSettings({ cannedReplies: [{ id: "a", title: "a", text: "{{> footer}}" }] }).cannedReplies).toHaveLength(1);
  });

  it("refuses to save a canned reply that would print an object, name an unknown field or fail for some patient", async () => {
    const { version, settings } = await loadSettings(t.db, clinicId);
    const save = (text: string) =>
      saveSettings(t.db, { clinicId, version, document: { ...settings, cannedReplies: [{ id: "ok", title: "ok", text: "Здравствуйте!" }, { id: "bad", title: "bad", text }] }, by: { operatorId: null, via: "cli" }, now: clock.now(), dryRun: true, lang: "en" });
    expect(await save("{{#each this}}{{this}} {{/each}}")).toEqual({
      status: "invalid",
      problems: [{ path: "cannedReplies.1.text", message: '"this" is an object, not text; print one field, such as {{patient.firstName}}' }],
    });
    expect(await save("Здравствуйте, {{patient}}!")).toMatchObject({ status: "invalid", problems: [{ path: "cannedReplies.1.text", message: expect.stringMatching(/^"patient" is an object, not text/) }] });
    expect(await save("{{patient.frstName}}")).toMatchObject({ status: "invalid", problems: [{ path: "cannedReplies.1.text", message: expect.stringMatching(/^unknown variable "patient\.frstName" \(known: /) }] });
    expect(await save("Баллы сгорят {{date bonus.nextExpiry}}")).toMatchObject({ status: "invalid", problems: [{ path: "cannedReplies.1.text", message: expect.stringMatching(/null.*guard it with \{\{#if\}\}/) }] });
    // Keys of a section are fine to go through; a guarded date too.
    expect(await save("{{#each patient}}{{@key}} {{/each}}")).toMatchObject({ status: "saved" });
    expect(await save("{{#if bonus.nextExpiry}}Баллы сгорят {{date bonus.nextExpiry}}{{/if}}")).toMatchObject({ status: "saved" });
  });
});
