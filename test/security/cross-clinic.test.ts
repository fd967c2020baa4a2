// Two clinics in one database; this CareBot serves clinic A. An operator of clinic B holds a live
// session (made on clinic B's own CareBot over the same database) and tries every HTTP route of
// clinic A's service. Each must answer 401, 403 or 404, unless it is one of the few public ones.
import http from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { createChannels } from "../../src/channels/start.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { loadSettings } from "../../src/operators/settings/store.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { routeTable } from "./route-table.ts";
import type { RouteEntry } from "./route-table.ts";

const API_TOKEN = "a".repeat(40);
const PASSWORD_B = "clinic-b-admin-password";

/** Routes anyone may call, and why that is safe. Everything else must refuse clinic B's operator. */
const PUBLIC_ROUTES: Record<string, string> = {
  "GET /": "the front door: the service is up, which clinics it serves and their counts, no patient data",
  "HEAD /": "same as GET /",
  "GET /health": "liveness for the orchestrator: database and channel status, no patient data",
  "HEAD /health": "same as GET /health",
  "GET /assets/:file": "the pages' bundled browser code (src/browser): code only, never data",
  "HEAD /assets/:file": "same as GET /assets/:file",
  "GET /console/login": "the login form itself",
  "HEAD /console/login": "same as GET /console/login",
  "POST /console/login": "logging in; refuses another clinic's account (tested below) and is throttled",
  "GET /console/lang": "switches the console's language cookie, nothing else",
  "HEAD /console/lang": "same as GET /console/lang",
  "GET /r/:token": "a promoter's review link: an unguessable token counts a click and redirects to a review site, no patient data",
  "HEAD /r/:token": "same as GET /r/:token",
};

const key = (route: RouteEntry) => `${route.method} ${route.url}`;

/** Logging out would end the session the other requests use: it goes last. */
const walkOrder = (routes: RouteEntry[]) => [...routes].sort((a, b) => Number(a.url === "/console/logout") - Number(b.url === "/console/logout"));

interface Who {
  cookie: string;
  csrf: string;
}

describe(`every HTTP route refuses another clinic's operator, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  let clinicA: { id: number; slug: string };
  let clinicB: { id: number; slug: string };
  let patientA: { id: number; externalId: string };
  let conversationId: number;
  let escalationId: number;
  let bob: Who;
  let alice: Who;
  let flowId: string;
  let base: string;
  let botApi: FakeBotApi;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicA = await createClinic(db);
    clinicB = await createClinic(db);
    patientA = await createPatient(db, clinicA.id, { fullName: "Смирнова Ольга Игоревна", phone: "+79991007919", balance: 700 });
    await createPatient(db, clinicB.id, { fullName: "Кузнецов Пётр Андреевич" });
    const aliceOp = await db.operator.create({ data: { clinicId: clinicA.id, login: "alice", role: "admin", passwordHash: await hashPassword("clinic-a-admin-password"), displayName: "Алиса" } });
    const bobOp = await db.operator.create({ data: { clinicId: clinicB.id, login: "bob", role: "admin", passwordHash: await hashPassword(PASSWORD_B), displayName: "Боб" } });

    const logger = createLogger({ level: "silent", pretty: false });
    // grammY asks the Bot API who the bot is before it checks a webhook's secret: a loopback fake answers.
    botApi = await startFakeBotApi({ token: "123456789:AAHfakefakefakefakefakefakefake" });
    const config = loadConfig(
      {
        DATABASE_URL: t.config.url,
        CLINIC_SLUG: clinicA.slug,
        API_TOKEN,
        // Webhook mode, so the Telegram webhook route is in the table too (never started: no network).
        TELEGRAM_BOT_TOKEN: botApi.token,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        TELEGRAM_WEBHOOK_URL: "https://carebot.example/telegram/webhook",
        TELEGRAM_WEBHOOK_SECRET: "webhook-secret-0123456789",
        // And MAX's webhook route (the channel is only built, never started: no network).
        MAX_BOT_TOKEN: "max-token-0123456789abcdef",
        MAX_WEBHOOK_URL: "https://carebot.example/max/webhook",
        MAX_WEBHOOK_SECRET: "max-webhook-secret-0123456789",
        // The WhatsApp Cloud API's webhook too (Graph is never called: nothing is sent).
        WHATSAPP_TRANSPORT: "cloud",
        WHATSAPP_CLOUD_TOKEN: "EAAG-cross-clinic-token-0123456789",
        WHATSAPP_PHONE_NUMBER_ID: "109876543210",
        WHATSAPP_APP_SECRET: "cross-clinic-app-secret-0123",
        WHATSAPP_VERIFY_TOKEN: "cross-clinic-verify",
        WHATSAPP_GRAPH_URL: "http://127.0.0.1:9/v21.0",
      },
      ROOT,
    );
    carebot = await createCareBot(config, t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    createChannels(carebot, app, new HealthRegistry());
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    flowId = [...carebot.flows.catalog().flows.keys()][0]!;

    // Clinic A's patient asked for a person: a conversation and an escalation to aim at.
    const chat = await linkChat(db, clinicA.id, patientA.id, `preview-${patientA.id}`, "web");
    await carebot.router.handle(toInboundMessage(chat.externalChatId, { text: "оператор" }));
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patientA.id } });
    escalationId = escalation.id;
    conversationId = escalation.conversationId!;

    const sessionOf = async (operatorId: number): Promise<Who> => {
      const session = await createSession(t.db, operatorId, clock.now());
      return { cookie: `carebot_console=${session.token}`, csrf: session.csrfToken };
    };
    bob = await sessionOf(bobOp.id);
    alice = await sessionOf(aliceOp.id);
  });
  afterAll(async () => {
    await app?.close();
    await botApi?.close();
    await t?.dispose();
  });

  /** A request a real client of the route would send: clinic A's ids in the path, a valid body. */
  const requestFor = async (route: RouteEntry, who: Who) => {
    const url = route.url
      .replace("/conversations/:id", `/conversations/${conversationId}`)
      .replace("/escalations/:id", `/escalations/${escalationId}`)
      .replace(":externalId", encodeURIComponent(patientA.externalId))
      .replace(":flowId", flowId)
      .replace(":code", "GC-AAAA-BBBB")
      .replace(":id", "1");
    expect(url, `a path parameter of ${key(route)} is not filled in`).not.toMatch(/[:*]/);
    const chatId = `preview-${patientA.id}`;
    const bodies: Record<string, unknown> = {
      "POST /preview/api/session": { patientId: patientA.id },
      "POST /preview/api/send": { chatId, text: "хочу записаться" },
      "POST /preview/api/start": { chatId, flowId },
      "POST /preview/api/timers": { chatId },
      "POST /preview/api/reset": { chatId },
      "POST /console/api/conversations/:id/reply": { text: "Здравствуйте" },
      "POST /console/api/conversations/:id/note": { text: "заметка" },
      "POST /console/patients/:id/messages": { text: "Здравствуйте" },
      "POST /console/api/flows/:flowId/drafts": { definition: carebot.flows.catalog().flows.get(flowId)!.def },
      "POST /console/api/flows/:flowId/publish": { version: 1 },
      "POST /console/api/flows/:flowId/rollback": { version: 0 },
      "PUT /console/api/settings": { version: (await loadSettings(t.db, clinicA.id)).version, settings: (await loadSettings(t.db, clinicA.id)).settings },
      "POST /console/api/settings/check": { settings: (await loadSettings(t.db, clinicA.id)).settings },
      "POST /console/api/settings/segment-preview": { segment: { id: "all", title: "Все" } },
      "POST /console/api/settings/campaign-dry-run": { campaignId: "spring", segment: { id: "all", title: "Все" } },
      "POST /telegram/webhook": { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, text: "/start" } },
      "POST /max/webhook": { update_type: "bot_started", timestamp: 1, chat_id: 1, user: { user_id: 1, first_name: "X", is_bot: false } },
    };
    const queries: Record<string, string> = {
      "GET /preview/api/state": `?chatId=${chatId}`,
      "GET /preview/api/patients": "?q=Смирнова",
      "GET /console/patients": "?q=Смирнова",
      "GET /api/appointments": "?since=2026-01-01T00:00:00Z",
      "GET /api/nps": "?from=2026-01-01&to=2026-12-31",
      "GET /api/escalations": "?status=open",
      "GET /console/api/flows/:flowId/compare": "?from=0&to=0",
    };
    const withBody = route.method !== "GET" && route.method !== "HEAD";
    // Real HTTP, one connection per request: a live-update stream that wrongly opened shows its status without ending.
    const target = new URL(base + url + (queries[key(route).replace(/^HEAD /, "GET ")] ?? ""));
    const headers: Record<string, string> = { cookie: who.cookie, "x-csrf-token": who.csrf, accept: "application/json" };
    const payload = withBody ? JSON.stringify(bodies[key(route)] ?? {}) : undefined;
    if (payload !== undefined) headers["content-type"] = "application/json";
    return new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = http.request(target, { method: route.method, headers, agent: false }, (res) => {
        if ((res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
          res.destroy();
          return resolve({ statusCode: res.statusCode ?? 0, body: "" });
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
  };

  it("walks Fastify's whole route table as clinic B's admin: 401/403/404 everywhere but the listed public routes, and clinic A's data is untouched", async () => {
    const routes = routeTable(app);
    // The table really is the whole server: console, preview, dashboard, settings, live updates, MIS API, webhook.
    for (const expected of ["GET /console/api/queue", "GET /preview/api/patients", "GET /console/api/dashboard", "PUT /console/api/settings", "GET /console/api/events", "POST /api/visits", "POST /telegram/webhook", "POST /max/webhook", "POST /whatsapp/webhook"]) {
      expect(routes.map(key)).toContain(expected);
    }
    for (const listed of Object.keys(PUBLIC_ROUTES)) expect(routes.map(key), `the public route "${listed}" is gone: take it off the list`).toContain(listed);

    const before = await snapshotOfClinicA();
    const walked: string[] = [];
    const leaks: string[] = [];
    for (const route of walkOrder(routes)) {
      if (PUBLIC_ROUTES[key(route)]) continue;
      const res = await requestFor(route, bob);
      walked.push(key(route));
      if (![401, 403, 404].includes(res.statusCode) || res.body.includes("Смирнова")) leaks.push(`${key(route)} → ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
    expect(leaks, "routes that served clinic B's admin").toEqual([]);
    expect(walked.length).toBeGreaterThan(30);
    expect(await snapshotOfClinicA()).toEqual(before);
  });

  it("answers clinic A's own admin on the same requests, so the 404s above come from the clinic, not from the test's ids", async () => {
    for (const route of walkOrder(routeTable(app))) {
      if (PUBLIC_ROUTES[key(route)] || route.url.startsWith("/api/") || route.url === "/telegram/webhook" || route.url === "/max/webhook" || route.url === "/whatsapp/webhook") continue;
      // The live-update stream never ends by itself; test/operators/console-events.test.ts reads it.
      if (route.url === "/console/api/events") continue;
      const res = await requestFor(route, alice);
      expect([401, 403, 404], `${key(route)} refused clinic A's own admin (${res.statusCode}): ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
    }
  });

  it("the preview lists, opens and runs nothing of clinic A for clinic B's operator", async () => {
    const headers = { cookie: bob.cookie, "content-type": "application/json" };
    const list = await app.inject({ method: "GET", url: "/preview/api/patients", headers });
    expect(list.statusCode).toBe(404);
    expect(list.body).not.toContain("Смирнова");
    const session = await app.inject({ method: "POST", url: "/preview/api/session", headers, payload: { patientId: patientA.id } });
    expect(session.statusCode).toBe(404);
    const identities = await db.channelIdentity.count({ where: { clinicId: clinicA.id } });
    const send = await app.inject({ method: "POST", url: "/preview/api/send", headers, payload: { chatId: `preview-${patientA.id}`, text: "/start" } });
    expect(send.statusCode).toBe(404);
    expect(await db.channelIdentity.count({ where: { clinicId: clinicA.id } })).toBe(identities);
  });

  it("refuses clinic B's operator a session on clinic A's service, with a clear message", async () => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: "bob", password: PASSWORD_B }, remoteAddress: "10.2.0.1" });
    expect(res.statusCode).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.json()).toEqual({ error: expect.stringMatching(/another clinic/) });
    const page = await app.inject({ method: "POST", url: "/console/login", payload: "login=bob&password=" + PASSWORD_B, headers: { "content-type": "application/x-www-form-urlencoded" }, remoteAddress: "10.2.0.1" });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain("другой клиники");
  });

  /** What a walk must not change: clinic A's rows and their last changes. */
  async function snapshotOfClinicA() {
    const where = { clinicId: clinicA.id };
    const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicA.id }, select: { updatedAt: true } });
    return {
      settingsVersion: clinic.updatedAt.toISOString(),
      identities: await db.channelIdentity.count({ where }),
      conversations: await db.conversation.findMany({ where, select: { id: true, status: true, operatorId: true, updatedAt: true }, orderBy: { id: "asc" } }),
      messages: await db.message.count({ where }),
      outbox: await db.outbox.count({ where }),
      escalations: await db.escalation.findMany({ where, select: { id: true, status: true, updatedAt: true }, orderBy: { id: "asc" } }),
      audit: await db.auditEntry.count({ where }),
      patients: await db.patient.count({ where }),
    };
  }
});
