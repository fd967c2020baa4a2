// The settings page's builders over real HTTP on a real database: the segment's live count and
// masked sample, the campaign's dry run by the dispatcher's rules, the import check and the export.
// Clinic B's patients sit beside clinic A's with the same tags: never counted for clinic A.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { addPatients } from "../campaigns/helpers.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "settings-builders-pass-1";
const NOON = "2026-11-24T09:00:00Z"; // 12:00 in Moscow: no quiet hours
const students = { id: "students", title: "Студенты", tagsAny: ["students"] };

describe(`settings builders' endpoints on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let clinicA: number;
  let clinicB: number;
  let ids: Map<string, number>;
  let admin: { cookie: string; csrf: string };
  let shift: { cookie: string; csrf: string };
  const clock = new FixedClock(NOON);

  const post = (url: string, payload: unknown, who = admin, csrf = true) =>
    app.inject({ method: "POST", url, payload: payload as object, headers: { cookie: who.cookie, accept: "application/json", ...(csrf ? { "x-csrf-token": who.csrf } : {}) } });

  const login = async (name: string) => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const a = await createClinic(db, { segments: [students], marketingCapDays: 3 });
    clinicA = a.id;
    clinicB = (await createClinic(db, { segments: [students] })).id;
    ids = await addPatients(db, clinicA, [
      { key: "a-1", fullName: "Смирнова Ольга Петровна", tags: ["students"], lastVisitAt: "2026-01-10T09:00:00Z", balance: 700 },
      { key: "a-2", tags: ["students"], lastVisitAt: "2026-02-10T09:00:00Z" },
      { key: "a-3", tags: ["students"], chat: "whatsapp" },
      { key: "a-recent", tags: ["students"] },
      { key: "a-queued", tags: ["students"] },
      { key: "a-opted-out", tags: ["students"], optedOut: true },
      { key: "a-no-chat", tags: ["students"], chat: "none" },
      { key: "a-family", tags: ["family"] },
    ]);
    await addPatients(db, clinicB, [
      { key: "b-1", tags: ["students"] },
      { key: "b-2", tags: ["students"] },
    ]);
    // a-recent had a marketing conversation yesterday (the cap is 3 days); a-queued already has this campaign.
    const sent = { clinicId: clinicA, kind: "start-flow", category: "marketing" as const, status: "sent" as const, payload: {}, dueAt: new Date("2026-11-23T09:00:00Z") };
    await db.outbox.create({ data: { ...sent, idempotencyKey: "campaign:other:recent", patientId: ids.get("a-recent")!, campaignId: "other", sentAt: new Date("2026-11-23T09:00:00Z") } });
    await db.outbox.create({ data: { ...sent, idempotencyKey: `campaign:spring:${ids.get("a-queued")}`, patientId: ids.get("a-queued")!, campaignId: "spring", sentAt: new Date("2026-11-01T09:00:00Z") } });

    await db.operator.create({ data: { clinicId: clinicA, login: "admin", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Мария Главная" } });
    await db.operator.create({ data: { clinicId: clinicA, login: "shift", passwordHash: await hashPassword(PASSWORD), displayName: "Олег Смена" } });
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: a.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    admin = await login("admin");
    shift = await login("shift");
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("counts a segment as it stands in the form, says who the rules left out, and shows five masked patients of this clinic", async () => {
    const res = await post("/console/api/settings/segment-preview", { segment: { id: "draft", title: "Черновик", tagsAny: ["students"] } });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    // Clinic B's two students are not counted; the opted-out one and the one without a chat are named apart.
    expect(preview).toMatchObject({ matching: 7, size: 5, optedOut: 1, noReachableChat: 1 });
    expect(preview.sample).toHaveLength(5);
    // The longest-absent first: Смирнова, last seen on 10 January, with her balance.
    expect(preview.sample[0]).toEqual({ name: "С*** О***", phone: expect.stringMatching(/^\+7999\*\*\*\d{4}$/), lastVisit: "2026-01-10", balance: 700 });
    expect(res.body).not.toContain("Смирнова");
    expect(res.body).not.toMatch(/\+7999\d{7}/);

    const older = await post("/console/api/settings/segment-preview", { segment: { id: "draft", title: "Черновик", tagsAny: ["students"], lastVisitOlderThanMonths: 10 } });
    expect(older.json()).toMatchObject({ size: 1, sample: [{ name: "С*** О***" }] });
  });

  it("answers an incomplete segment with 422 and the field it is about", async () => {
    const res = await post("/console/api/settings/segment-preview", { segment: { id: "draft", title: "Черновик", ageMin: 40, ageMax: 30 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ path: "segment.ageMax", message: "must not be below ageMin (40)" }]);
    expect((await post("/console/api/settings/segment-preview", { segment: students, extra: 1 })).statusCode).toBe(400);
  });

  it("dry-runs a campaign by the dispatcher's rules: already sent, opted out, no chat, the frequency cap, quiet hours", async () => {
    const res = await post("/console/api/settings/campaign-dry-run", { campaignId: "spring", segment: students });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      wouldQueue: 4,
      delayedByCap: 1,
      matching: 7,
      optedOut: 1,
      noReachableChat: 1,
      alreadyQueued: 1,
      noAdvertisingConsent: 0,
      quietUntil: null,
      marketingCapDays: 3,
    });
    // Nothing was written.
    expect(await db.outbox.count({ where: { clinicId: clinicA } })).toBe(2);

    clock.set(new Date("2026-11-24T20:00:00Z")); // 23:00 in Moscow
    const night = await post("/console/api/settings/campaign-dry-run", { campaignId: "spring", segment: students });
    expect(night.json()).toMatchObject({ wouldQueue: 4, quietUntil: "09:00" });
    clock.set(new Date(NOON));
    expect((await post("/console/api/settings/campaign-dry-run", { campaignId: "Весна", segment: students })).statusCode).toBe(400);
  });

  it("checks an imported document without saving it, and exports the saved one as a file", async () => {
    const before = await db.clinic.findUniqueOrThrow({ where: { id: clinicA } });
    const good = await post("/console/api/settings/check", { settings: { bonus: { accrualPercent: 9 }, segments: [students] } });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().sections).toContain("bonus");
    expect(good.json().settings.bonus.accrualPercent).toBe(9);
    const bad = await post("/console/api/settings/check", { settings: { bonus: { accrualPercent: 150 }, schedules: { birthday: "0 25 * * *" } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(["bonus.accrualPercent", "schedules.birthday"]);
    expect((await db.clinic.findUniqueOrThrow({ where: { id: clinicA } })).updatedAt).toEqual(before.updatedAt);

    const file = await app.inject({ method: "GET", url: "/console/api/settings/export", headers: { cookie: admin.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="carebot-settings-clinic-[\w-]+\.json"$/);
    expect(JSON.parse(file.body).segments).toEqual([students]);
  });

  it("is for admins only, and every change needs the CSRF token", async () => {
    expect((await post("/console/api/settings/segment-preview", { segment: students }, shift)).statusCode).toBe(403);
    expect((await post("/console/api/settings/campaign-dry-run", { campaignId: "spring", segment: students }, admin, false)).statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: "/console/api/settings/export" })).statusCode).toBe(401);
  });
});
