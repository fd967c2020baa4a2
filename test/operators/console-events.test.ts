import http from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import { createLogger } from "../../src/logger.ts";
import { MAX_STREAMS_PER_SESSION } from "../../src/operators/console/routes.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

/** Reads a Server-Sent Events stream until `until` says enough, or fails after 10 s. */
function readEvents(url: string, cookie: string, until: (events: { event: string; data: string }[]) => boolean) {
  let request!: http.ClientRequest;
  type Events = { event: string; data: string }[];
  const collected = {} as { promise: Promise<Events>; resolve(v: Events): void; reject(e: unknown): void };
  collected.promise = new Promise<Events>((resolve, reject) => Object.assign(collected, { resolve, reject }));
  const connected = new Promise<{ statusCode: number; contentType: string }>((resolveConnected, rejectConnected) => {
    request = http.get(url, { headers: { cookie, accept: "text/event-stream" } }, (res) => {
      resolveConnected({ statusCode: res.statusCode ?? 0, contentType: String(res.headers["content-type"]) });
      let buffer = "";
      const events: { event: string; data: string }[] = [];
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ?? "" });
        }
        if (until(events)) {
          collected.resolve(events);
          request.destroy();
        }
      });
    });
    request.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code === "ECONNRESET") return; // we hung up
      rejectConnected(err);
      collected.reject(err);
    });
  });
  const timer = setTimeout(() => {
    request.destroy();
    collected.reject(new Error("no matching event within 10 s"));
  }, 10_000);
  void collected.promise.finally(() => clearTimeout(timer)).catch(() => {});
  return { connected, events: collected.promise, close: () => request.destroy() };
}

describe(`console live updates (Server-Sent Events over real HTTP) on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let carebot: CareBot;
  let base: string;
  let cookie: string;
  let clinicId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    clinicId = clinic.id;
    await t.db.prisma.operator.create({ data: { clinicId, login: "live", passwordHash: await hashPassword("live-password-123"), displayName: "Live" } });
    const logger = createLogger({ level: "silent", pretty: false });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock: new FixedClock("2026-11-23T08:00:00Z"), logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const res = await fetch(`${base}/console/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "live", password: "live-password-123" }) });
    cookie = /carebot_console=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("refuses the stream without a session", async () => {
    const res = await fetch(`${base}/console/api/events`, { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(401);
  });

  it("streams a transcript event (and the new escalation as a queue event) when the patient writes", async () => {
    const patient = await createPatient(t.db.prisma, clinicId);
    const identity = await linkChat(t.db.prisma, clinicId, patient.id, "sse-chat", "web");
    const stream = readEvents(`${base}/console/api/events`, cookie, (events) => events.some((e) => e.event === "transcript") && events.some((e) => e.event === "queue"));
    expect(await stream.connected).toEqual({ statusCode: 200, contentType: "text/event-stream; charset=utf-8" });
    await carebot.router.handle(toInboundMessage("sse-chat", { text: "оператор" }));
    const events = await stream.events;
    const transcript = events.find((e) => e.event === "transcript")!;
    expect(JSON.parse(transcript.data)).toMatchObject({ identityId: identity.id, conversationId: expect.any(Number) });
  });

  it(`holds at most ${MAX_STREAMS_PER_SESSION} open streams per session: a further one gets 429 until one closes; other sessions are not affected`, async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) {
      const stream = readEvents(`${base}/console/api/events`, cookie, () => false);
      expect((await stream.connected).statusCode).toBe(200);
      open.push(stream);
    }
    const refused = await fetch(`${base}/console/api/events`, { headers: { cookie, accept: "text/event-stream" } });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: `открыто уже ${MAX_STREAMS_PER_SESSION} окон консоли с обновлениями: закройте одну из вкладок`, max: MAX_STREAMS_PER_SESSION });

    // Another operator's session has its own allowance.
    const other = await fetch(`${base}/console/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "live", password: "live-password-123" }) });
    const otherCookie = /carebot_console=[^;]+/.exec(other.headers.get("set-cookie") ?? "")![0];
    const elsewhere = readEvents(`${base}/console/api/events`, otherCookie, () => false);
    expect((await elsewhere.connected).statusCode).toBe(200);
    elsewhere.close();

    // A tab closes: its place is free again once the server has seen the connection go.
    open.pop()!.close();
    let reopened = 0;
    for (let attempt = 0; attempt < 200 && reopened !== 200; attempt++) {
      const stream = readEvents(`${base}/console/api/events`, cookie, () => false);
      reopened = (await stream.connected).statusCode;
      if (reopened === 200) open.push(stream);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(reopened).toBe(200);
    for (const stream of open) stream.close();
  });

  it("announces a new urgent escalation as urgent, and closes streams when the server stops", async () => {
    const patient = await createPatient(t.db.prisma, clinicId, { fullName: "Срочная Пациентка" });
    const identity = await linkChat(t.db.prisma, clinicId, patient.id, "sse-urgent", "web");
    const stream = readEvents(`${base}/console/api/events`, cookie, (events) => events.some((e) => e.event === "urgent"));
    await stream.connected;
    await t.db.prisma.escalation.create({ data: { clinicId, patientId: patient.id, identityId: identity.id, reason: "health_complaint", priority: "urgent", slaDueAt: new Date("2026-11-23T08:30:00Z") } });
    // A patient's message makes the console look (the periodic check would find it too).
    await carebot.router.handle(toInboundMessage("sse-urgent", { text: "меню" }));
    const events = await stream.events;
    expect(JSON.parse(events.find((e) => e.event === "urgent")!.data)).toMatchObject({ patientName: "Срочная Пациентка" });

    // A stream still open does not keep the server from closing.
    const lingering = readEvents(`${base}/console/api/events`, cookie, () => false);
    await lingering.connected;
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(3000);
    lingering.close();
  });
});
