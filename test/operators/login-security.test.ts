// The console's login against a hostile network: password guessing is slowed per account and,
// far later, per address, without one stranger locking staff out; cookies are Secure whenever
// staff reach CareBot over https; X-Forwarded-* is believed only from the proxies TRUST_PROXY names.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import { createLogger } from "../../src/logger.ts";
import { ADDRESS_FREE_FAILURES, FREE_FAILURES } from "../../src/operators/auth/throttle.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { shippedFlows } from "../support/runtime.ts";

const PASSWORD = "correct-horse-battery-7";
const START = "2026-11-23T08:00:00Z";

describe(`console login: throttling, proxies and cookies on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let slug: string;
  const clock = new FixedClock(START);
  const servers: FastifyInstance[] = [];

  /** A fresh CareBot (fresh throttle) over the same database, with these environment variables. */
  const serve = async (env: Record<string, string> = {}): Promise<FastifyInstance> => {
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: slug, ...env }, ROOT), t.db, { clock, logger, flows: shippedFlows() });
    const app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    servers.push(app);
    return app;
  };

  const attempt = (app: FastifyInstance, login: string, password: string, options: { ip?: string; headers?: Record<string, string> } = {}) =>
    app.inject({ method: "POST", url: "/console/login", payload: { login, password }, remoteAddress: options.ip ?? "10.0.0.1", headers: options.headers ?? {} });

  const cookiesOf = (res: { headers: Record<string, unknown> }): string[] => [res.headers["set-cookie"] ?? []].flat().map(String);
  const deviceOf = (res: { headers: Record<string, unknown> }): string => {
    const line = cookiesOf(res).find((c) => c.startsWith("carebot_device="));
    expect(line, "a device cookie").toBeDefined();
    return line!.split(";")[0]!;
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    slug = clinic.slug;
    const passwordHash = await hashPassword(PASSWORD);
    for (const login of ["anna", "boris", "vera", "gleb"]) {
      await t.db.prisma.operator.create({ data: { clinicId: clinic.id, login, passwordHash, displayName: login } });
    }
  });
  afterAll(async () => {
    for (const app of servers) await app.close();
    await t?.dispose();
  });

  it("never refuses a right password because of failures on other logins from the same address", async () => {
    const app = await serve();
    // A stranger behind the clinic's proxy (one address for all) tries made-up logins.
    for (let i = 0; i < FREE_FAILURES * 3; i++) expect((await attempt(app, `nobody${i}`, "guess", { ip: "10.0.0.7" })).statusCode).toBe(401);
    expect((await attempt(app, "anna", PASSWORD, { ip: "10.0.0.7" })).statusCode).toBe(200);
    // The same made-up login is slowed after its own free failures.
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(app, "nobody", "guess", { ip: "10.0.0.7" })).statusCode).toBe(401);
    expect((await attempt(app, "nobody", "guess", { ip: "10.0.0.7" })).statusCode).toBe(429);
  });

  it("slows guessing at one account from any address, but lets in the browser that account logged in from before", async () => {
    const app = await serve();
    const known = await attempt(app, "boris", PASSWORD, { ip: "10.0.1.1" });
    expect(known.statusCode).toBe(200);
    const device = deviceOf(known);
    expect(cookiesOf(known).find((c) => c.startsWith("carebot_device="))).toMatch(/HttpOnly; SameSite=Strict; Max-Age=\d+/);

    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(app, "boris", `wrong-${i}`, { ip: `10.0.2.${i}` })).statusCode).toBe(401);
    const locked = await attempt(app, "boris", "wrong-again", { ip: "10.0.2.99" });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // An unknown browser waits, right password or not...
    expect((await attempt(app, "boris", PASSWORD, { ip: "10.0.1.1" })).statusCode).toBe(429);
    // ...Boris's own browser does not, and a forged or another account's device cookie is worth nothing.
    expect((await attempt(app, "boris", PASSWORD, { ip: "10.0.1.1", headers: { cookie: device } })).statusCode).toBe(200);
    expect((await attempt(app, "boris", PASSWORD, { headers: { cookie: `${device}x` } })).statusCode).toBe(429);
    const annas = deviceOf(await attempt(app, "anna", PASSWORD, { ip: "10.0.1.2" }));
    expect((await attempt(app, "boris", PASSWORD, { headers: { cookie: annas } })).statusCode).toBe(429);
    // A trusted browser guessing wrong is slowed too, on its own count.
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(app, "boris", `wrong-${i}`, { headers: { cookie: device } })).statusCode).toBe(401);
    expect((await attempt(app, "boris", PASSWORD, { headers: { cookie: device } })).statusCode).toBe(429);
  });

  it(`slows an address only after ${ADDRESS_FREE_FAILURES} failures, and with TRUST_PROXY that is the client's own address behind the proxy`, async () => {
    const app = await serve({ TRUST_PROXY: "127.0.0.1" });
    const viaProxy = (client: string) => ({ ip: "127.0.0.1", headers: { "x-forwarded-for": client } });
    const vera = await attempt(app, "vera", PASSWORD, viaProxy("203.0.113.5"));
    expect(vera.statusCode).toBe(200);
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) expect((await attempt(app, `made-up-${i}`, "guess", viaProxy("203.0.113.66"))).statusCode).toBe(401);
    // The guessing client waits, even for a right password from a new browser...
    expect((await attempt(app, "gleb", PASSWORD, viaProxy("203.0.113.66"))).statusCode).toBe(429);
    // ...while the staff behind the same proxy, at their own addresses, log in.
    expect((await attempt(app, "gleb", PASSWORD, viaProxy("203.0.113.7"))).statusCode).toBe(200);
    expect((await attempt(app, "vera", PASSWORD, { ...viaProxy("203.0.113.66"), headers: { "x-forwarded-for": "203.0.113.66", cookie: deviceOf(vera) } })).statusCode).toBe(200);
    // A peer that is not the named proxy is its own address, whatever its header says.
    expect((await attempt(app, "gleb", PASSWORD, { ip: "198.51.100.9", headers: { "x-forwarded-for": "203.0.113.66" } })).statusCode).toBe(200);
  }, 180_000); // fifty scrypt checks: room on a loaded machine

  it("makes cookies Secure when PUBLIC_URL is https, and believes X-Forwarded-Proto only from a trusted proxy", async () => {
    const secureLine = (res: { headers: Record<string, unknown> }) => cookiesOf(res).filter((c) => c.startsWith("carebot_console="));
    const https = await serve({ PUBLIC_URL: "https://carebot.clinic.example" });
    const login = await attempt(https, "anna", PASSWORD);
    expect(login.statusCode).toBe(200);
    expect(cookiesOf(login).length).toBe(2);
    for (const cookie of cookiesOf(login)) expect(cookie).toMatch(/; Secure$/);
    const lang = await https.inject({ method: "GET", url: "/console/lang?to=en" });
    expect(String(lang.headers["set-cookie"])).toMatch(/; Secure$/);

    const plain = await serve({ PUBLIC_URL: "http://carebot.local:3000" });
    const spoofed = await attempt(plain, "anna", PASSWORD, { headers: { "x-forwarded-proto": "https" } });
    expect(spoofed.statusCode).toBe(200);
    expect(secureLine(spoofed)[0]).not.toMatch(/Secure/);

    const proxied = await serve({ TRUST_PROXY: "loopback" });
    const fromProxy = await attempt(proxied, "anna", PASSWORD, { ip: "127.0.0.1", headers: { "x-forwarded-proto": "https" } });
    expect(secureLine(fromProxy)[0]).toMatch(/; Secure$/);
    const fromElsewhere = await attempt(proxied, "anna", PASSWORD, { ip: "198.51.100.9", headers: { "x-forwarded-proto": "https" } });
    expect(secureLine(fromElsewhere)[0]).not.toMatch(/Secure/);
  });
});
