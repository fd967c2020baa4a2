// The request log of a real server, at its most talkative, after staff searched the preview's
// patients by phone and by name: neither the phone nor any part of the name may be in it.
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { redactedUrl } from "../../src/api/request-log.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const PHONE = "+79991007919";
const NAME = "Смирнова Ольга Игоревна";

describe(`the request log keeps patients' data out, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let base: string;
  const log: string[] = [];

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    await createPatient(t.db.prisma, clinic.id, { fullName: NAME, phone: PHONE });
    await t.db.prisma.operator.create({ data: { clinicId: clinic.id, login: "olga", passwordHash: await hashPassword("front-desk-password"), displayName: "Ольга" } });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "trace", pretty: false, destination });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock: new FixedClock("2026-11-23T08:00:00Z"), logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("logs the searches without their queries: no phone, no name, in any encoding", async () => {
    const login = await fetch(`${base}/console/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "olga", password: "front-desk-password" }) });
    expect(login.status).toBe(200);
    const cookie = /carebot_console=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
    const search = async (q: string) => {
      const res = await fetch(`${base}/preview/api/patients?q=${encodeURIComponent(q)}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return (await res.json()) as { patients: { fullName: string }[] };
    };
    await search(PHONE);
    expect((await search("Смирнова")).patients.map((p) => p.fullName)).toEqual([NAME]);
    await search(NAME);
    // A mistyped address with the name in it, and a chat's state by its id.
    expect((await fetch(`${base}/preview/api/patiens?q=${encodeURIComponent(NAME)}`, { headers: { cookie } })).status).toBe(404);
    // A body is never logged, even one that fails to parse.
    expect((await fetch(`${base}/preview/api/session`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: `{"patientId": "${NAME}", ${PHONE}` })).status).toBe(400);
    await app.close();

    const text = log.join("");
    expect(text).toContain('"url":"/preview/api/patients?q=[redacted]"');
    const secrets = [PHONE, PHONE.slice(1), "9991007919", ...NAME.split(" ")];
    for (const secret of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).toLowerCase(), encodeURIComponent(secret).replace(/%20/g, "+")])) {
        expect(text, `the log holds ${form}`).not.toContain(form);
      }
    }
  });

  it("keeps each query's names, never its values", () => {
    expect(redactedUrl("/preview/api/state?chatId=preview-12&x")).toBe("/preview/api/state?chatId=[redacted]&x=[redacted]");
    expect(redactedUrl("/console")).toBe("/console");
  });
});
