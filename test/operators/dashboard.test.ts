// The clinic's dashboard against a real database (SQLite, or PostgreSQL under TEST_DATABASE_URL):
// a known data set for two clinics, the exact figures from the JSON API, the page rendering them,
// who may see it, and that one clinic's figures never show another's.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { campaignKey } from "../../src/campaigns/keys.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { npsCategory } from "../../src/domain/nps/category.ts";
import { checkinKey, followUpKey, npsKey, tooOldReason } from "../../src/domain/visits/care-outbox.ts";
import { createLogger } from "../../src/logger.ts";
import type { DashboardFigures } from "../../src/operators/dashboard/figures.ts";
import { REMINDER_KINDS } from "../../src/operators/dashboard/reminder-kinds.ts";
import { visitReminderKey } from "../../src/domain/appointments/keys.ts";
import { waitlistOfferKey } from "../../src/domain/waitlist/waitlist.ts";
import { CONSOLE_ROUTES } from "../../src/operators/index.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { balanceKeyPrefix } from "../../src/scheduler/planners/balance.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const PASSWORD = "dashboard-password-42";
const NOW = "2026-11-23T08:00:00Z"; // Monday 11:00 in Moscow
const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

interface Login {
  cookie: string;
  /** The server of the operator's own clinic. */
  app: FastifyInstance;
}

describe(`clinic dashboard on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  const clock = new FixedClock(NOW);
  let clinicA: { id: number; slug: string };
  let admin: Login;
  let operator: Login;
  let adminB: Login;
  let adminEmpty: Login;
  let seq = 0;

  // Each clinic's CareBot serves its own staff: an admin logs in to the server of their clinic.
  const servers: FastifyInstance[] = [];
  const serve = async (slug: string): Promise<FastifyInstance> => {
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: slug }, ROOT), t.db, { clock, logger });
    const server = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await server.ready();
    servers.push(server);
    return server;
  };
  const login = async (name: string, on: FastifyInstance = app): Promise<Login> => {
    const res = await on.inject({ method: "POST", url: "/console/login", payload: { login: name, password: PASSWORD }, remoteAddress: `10.0.1.${++seq}` });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: `carebot_console=${/carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!}`, app: on };
  };
  const get = (url: string, who?: Login, extra: Record<string, string> = {}) =>
    (who?.app ?? app).inject({ method: "GET", url, headers: { ...(who ? { cookie: who.cookie } : {}), ...extra } });
  const figuresOf = async (who: Login) => {
    const res = await get("/console/api/dashboard", who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DashboardFigures;
  };

  const nps = (clinicId: number, patientId: number, score: number, createdAt: string, doctor: string | null) =>
    db.npsResponse.create({ data: { clinicId, patientId, score, category: npsCategory(score), doctor, createdAt: at(createdAt) } });

  const escalation = (
    clinicId: number,
    e: { priority: "urgent" | "high" | "normal" | "low"; status: "open" | "taken" | "resolved"; createdAt: string; slaDueAt: string; takenAfterMin?: number; resolvedAfterMin?: number },
  ) => {
    const created = at(e.createdAt);
    const after = (min?: number) => (min === undefined ? null : new Date(created.getTime() + min * MINUTE));
    return db.escalation.create({
      data: { clinicId, reason: "operator_request", priority: e.priority, status: e.status, createdAt: created, slaDueAt: at(e.slaDueAt), takenAt: after(e.takenAfterMin), resolvedAt: after(e.resolvedAfterMin) },
    });
  };

  let keySeq = 0;
  const entry = async (
    clinicId: number,
    patientId: number,
    e: { kind: "accrual" | "welcome" | "birthday" | "adjustment" | "redemption" | "expiry"; amount: number; createdAt: string; remaining?: number; expiresAt?: string },
  ) => {
    const account = await db.bonusAccount.findUniqueOrThrow({ where: { patientId } });
    return db.bonusEntry.create({
      data: {
        clinicId,
        accountId: account.id,
        patientId,
        kind: e.kind,
        amount: e.amount,
        remaining: e.remaining ?? null,
        expiresAt: e.expiresAt ? at(e.expiresAt) : null,
        sourceKey: `test:${++keySeq}`,
        createdAt: at(e.createdAt),
      },
    });
  };

  const outbox = (
    clinicId: number,
    patientId: number,
    o: { key: string; kind?: string; status: "pending" | "sent" | "skipped" | "dead"; at: string; attempts?: number; lastError?: string; campaignId?: string },
  ) =>
    db.outbox.create({
      data: {
        clinicId,
        patientId,
        idempotencyKey: o.key,
        kind: o.kind ?? "start-flow",
        category: o.campaignId ? "marketing" : "care",
        campaignId: o.campaignId ?? null,
        payload: { startFlow: "test" },
        dueAt: at(o.at),
        status: o.status,
        attempts: o.attempts ?? (o.status === "pending" ? 0 : 1),
        lastError: o.lastError ?? null,
        sentAt: o.status === "sent" ? at(o.at) : null,
        createdAt: at(o.at),
        updatedAt: at(o.at),
      },
    });

  const makeAdmin = async (clinicId: number, login: string, role: "admin" | "operator" = "admin") =>
    db.operator.create({ data: { clinicId, login, role, passwordHash: await hashPassword(PASSWORD), displayName: `${login} (${role})` } });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const winback = {
      segments: [{ id: "everyone", title: "Все" }],
      campaigns: [{ id: "winback", title: "Вернуть тех, кто давно не был", segment: "everyone", cameBackWithinDays: 60 }],
    };
    clinicA = await createClinic(db, winback);
    const clinicB = await createClinic(db, winback);
    const clinicEmpty = await createClinic(db);
    await makeAdmin(clinicA.id, "dash-admin");
    await makeAdmin(clinicA.id, "dash-operator", "operator");
    await makeAdmin(clinicB.id, "dash-admin-b");
    await makeAdmin(clinicEmpty.id, "dash-admin-empty");

    const p1 = await createPatient(db, clinicA.id, { fullName: "Соколова Мария Ивановна", balance: 1000 });
    const p2 = await createPatient(db, clinicA.id, { fullName: "Орлов Пётр Андреевич", balance: 250 });
    const p3 = await createPatient(db, clinicA.id, { fullName: "Белова Анна Олеговна" });
    const b1 = await createPatient(db, clinicB.id, { fullName: "Чужой Пациент Клиники Б", balance: 9999 });

    // NPS. November (Moscow): 10, 9, 6 (Иванова), 8 (Петров), 9 without a doctor at 00:30 on 1 November
    // Moscow time (still 31 October in UTC). October: 10 (Иванова), 3 (Петров) at 23:30 on 31 October.
    // December 2025, the first of the 12 months: 0 (Иванова); 30 November 2025 23:00 is outside.
    for (const [score, when, doctor] of [
      [10, "2026-11-10T09:00:00Z", "Иванова Елена Петровна"],
      [9, "2026-11-11T09:00:00Z", "Иванова Елена Петровна"],
      [6, "2026-11-12T09:00:00Z", "Иванова Елена Петровна"],
      [8, "2026-11-20T09:00:00Z", "Петров Сергей Николаевич"],
      [9, "2026-10-31T21:30:00Z", null],
      [10, "2026-10-05T09:00:00Z", "Иванова Елена Петровна"],
      [3, "2026-10-31T20:30:00Z", "Петров Сергей Николаевич"],
      [0, "2025-11-30T21:00:00Z", "Иванова Елена Петровна"],
      [10, "2025-11-30T20:00:00Z", "Иванова Елена Петровна"],
      [10, "2026-11-23T09:00:00Z", "Иванова Елена Петровна"], // after "now": not counted yet
    ] as const) {
      await nps(clinicA.id, p1.id, score, when, doctor);
    }
    await nps(clinicB.id, b1.id, 0, "2026-11-15T09:00:00Z", "Чужой Доктор Клиники Б");
    await nps(clinicB.id, b1.id, 0, "2026-11-16T09:00:00Z", "Чужой Доктор Клиники Б");

    // Escalations: two waiting past their SLA (urgent, low), one high within it, one taken.
    await escalation(clinicA.id, { priority: "urgent", status: "open", createdAt: "2026-11-23T07:00:00Z", slaDueAt: "2026-11-23T07:30:00Z" });
    await escalation(clinicA.id, { priority: "high", status: "open", createdAt: "2026-11-23T07:30:00Z", slaDueAt: "2026-11-23T11:30:00Z" });
    await escalation(clinicA.id, { priority: "normal", status: "taken", createdAt: "2026-11-22T08:00:00Z", slaDueAt: "2026-11-22T07:00:00Z", takenAfterMin: 20 });
    await escalation(clinicA.id, { priority: "low", status: "open", createdAt: "2026-11-20T08:00:00Z", slaDueAt: "2026-11-22T08:00:00Z" });
    // Resolved in the last 30 days: taken after 10, 30, 60 minutes, resolved after 60 (late), 40, 180.
    await escalation(clinicA.id, { priority: "high", status: "resolved", createdAt: "2026-11-10T10:00:00Z", slaDueAt: "2026-11-10T10:30:00Z", takenAfterMin: 10, resolvedAfterMin: 60 });
    await escalation(clinicA.id, { priority: "normal", status: "resolved", createdAt: "2026-11-15T10:00:00Z", slaDueAt: "2026-11-15T12:00:00Z", takenAfterMin: 30, resolvedAfterMin: 40 });
    await escalation(clinicA.id, { priority: "normal", status: "resolved", createdAt: "2026-11-20T10:00:00Z", slaDueAt: "2026-11-20T14:00:00Z", takenAfterMin: 60, resolvedAfterMin: 180 });
    await escalation(clinicA.id, { priority: "low", status: "resolved", createdAt: "2026-09-01T10:00:00Z", slaDueAt: "2026-09-01T10:01:00Z", takenAfterMin: 5, resolvedAfterMin: 600 });
    await escalation(clinicB.id, { priority: "urgent", status: "open", createdAt: "2026-11-23T06:00:00Z", slaDueAt: "2026-11-23T06:30:00Z" });

    // Bonus ledger of the last 30 days (from 24 October 08:00): credits 500 + 300 + 200 + 40, a
    // redemption of 200, an expiry of 100; 300 + 200 of what is left expires within 30 days.
    await entry(clinicA.id, p1.id, { kind: "accrual", amount: 500, createdAt: "2026-11-01T09:00:00Z", remaining: 300, expiresAt: "2026-12-10T09:00:00Z" });
    await entry(clinicA.id, p1.id, { kind: "welcome", amount: 300, createdAt: "2026-11-01T09:00:00Z", remaining: 300, expiresAt: "2027-03-01T09:00:00Z" });
    await entry(clinicA.id, p2.id, { kind: "birthday", amount: 200, createdAt: "2026-11-20T09:00:00Z", remaining: 200, expiresAt: "2026-12-04T09:00:00Z" });
    await entry(clinicA.id, p2.id, { kind: "adjustment", amount: 40, createdAt: "2026-11-22T09:00:00Z", remaining: 40, expiresAt: "2027-05-22T09:00:00Z" });
    await entry(clinicA.id, p1.id, { kind: "redemption", amount: -200, createdAt: "2026-11-10T09:00:00Z" });
    await entry(clinicA.id, p1.id, { kind: "expiry", amount: -100, createdAt: "2026-11-01T12:00:00Z" });
    // Outside the windows: an old redemption, a credit already past its expiry, one expiring just after 30 days.
    await entry(clinicA.id, p1.id, { kind: "redemption", amount: -999, createdAt: "2026-10-01T09:00:00Z" });
    await entry(clinicA.id, p3.id, { kind: "accrual", amount: 50, createdAt: "2026-05-22T09:00:00Z", remaining: 50, expiresAt: "2026-11-22T09:00:00Z" });
    await entry(clinicA.id, p3.id, { kind: "accrual", amount: 70, createdAt: "2026-06-23T09:00:00Z", remaining: 70, expiresAt: "2026-12-23T09:00:00Z" });
    await entry(clinicB.id, b1.id, { kind: "accrual", amount: 9999, createdAt: "2026-11-20T09:00:00Z", remaining: 9999, expiresAt: "2026-12-01T09:00:00Z" });

    // The outbox: reminders of each kind, as the planners, visits and campaigns key them.
    const balance = `${balanceKeyPrefix(at("2026-11-01T08:00:00Z"), "Europe/Moscow")}${p1.id}`;
    await outbox(clinicA.id, p1.id, { key: balance, status: "sent", at: "2026-11-01T08:00:00Z" });
    await outbox(clinicA.id, p1.id, { key: `${balance}:1`, kind: "flow:bonus-balance", status: "sent", at: "2026-11-01T08:00:00Z" });
    await outbox(clinicA.id, p1.id, { key: `balance:2026-10:${p1.id}`, status: "sent", at: "2026-10-01T08:00:00Z" });
    await outbox(clinicA.id, p1.id, { key: `expiry:2026-11-23:${p1.id}`, status: "pending", at: "2026-11-23T09:00:00Z" });
    await outbox(clinicA.id, p2.id, { key: `birthday:2026:${p2.id}`, status: "sent", at: "2026-11-15T08:00:00Z" });
    await outbox(clinicA.id, p1.id, { key: checkinKey(11), status: "sent", at: "2026-11-20T07:00:00Z" });
    await outbox(clinicA.id, p2.id, { key: checkinKey(12), status: "sent", at: "2026-11-21T07:00:00Z" });
    await outbox(clinicA.id, p3.id, { key: checkinKey(13), status: "skipped", at: "2026-11-21T07:00:00Z", lastError: "the patient opted out" });
    await outbox(clinicA.id, p1.id, { key: npsKey(11), status: "sent", at: "2026-11-20T11:00:00Z" });
    // A visit posted ten days late: its survey skipped as too old (issue 20), counted apart.
    await outbox(clinicA.id, p2.id, { key: npsKey(14), status: "skipped", at: "2026-11-22T08:00:00Z", lastError: tooOldReason("the visit ended 2026-11-12T08:00:00.000Z, more than 3 days before it was posted") });
    await outbox(clinicA.id, p1.id, { key: `${npsKey(11)}:1`, kind: "flow:nps", status: "dead", at: "2026-11-20T11:00:00Z", lastError: "blocked: bot was blocked by the user" });
    await outbox(clinicA.id, p2.id, { key: followUpKey(5, 1), status: "sent", at: "2026-11-22T08:00:00Z" });
    await outbox(clinicA.id, p2.id, { key: `${followUpKey(5, 1)}:1`, kind: "flow:rebook-followup", status: "pending", attempts: 2, lastError: "network: ECONNRESET", at: "2026-11-23T08:05:00Z" });
    await outbox(clinicA.id, p1.id, { key: campaignKey("winback", p1.id), status: "sent", at: "2026-11-05T09:00:00Z", campaignId: "winback" });
    await outbox(clinicA.id, p2.id, { key: campaignKey("winback", p2.id), status: "sent", at: "2026-11-05T09:00:00Z", campaignId: "winback" });
    await outbox(clinicA.id, p3.id, { key: campaignKey("winback", p3.id), status: "skipped", at: "2026-11-05T09:00:00Z", campaignId: "winback" });
    await outbox(clinicA.id, p1.id, { key: `msg:999`, kind: "flow:main-menu", status: "dead", at: "2026-11-20T11:00:00Z" });
    await outbox(clinicA.id, p1.id, { key: `reactivation-test:${p1.id}`, status: "sent", at: "2026-11-22T08:00:00Z" });
    await outbox(clinicB.id, b1.id, { key: campaignKey("winback", b1.id), status: "sent", at: "2026-11-05T09:00:00Z", campaignId: "winback" });
    await outbox(clinicB.id, b1.id, { key: checkinKey(999), status: "dead", at: "2026-11-20T09:00:00Z" });

    // The campaign's results: p1 wrote back, p2 booked and came back with a 3 500 ₽ visit.
    const chat = await linkChat(db, clinicA.id, p1.id, "dash-chat-1");
    await db.message.create({ data: { clinicId: clinicA.id, identityId: chat.id, direction: "inbound", text: "Здравствуйте!", createdAt: at("2026-11-06T09:00:00Z") } });
    const slot = await db.slot.create({ data: { clinicId: clinicA.id, externalId: "S-1", doctor: "Иванова Елена Петровна", service: "Гигиена", startsAt: at("2026-11-10T09:00:00Z"), endsAt: at("2026-11-10T10:00:00Z"), status: "booked" } });
    await db.appointment.create({ data: { clinicId: clinicA.id, patientId: p2.id, slotId: slot.id, createdAt: at("2026-11-07T09:00:00Z") } });
    await db.visit.create({
      data: { clinicId: clinicA.id, patientId: p2.id, externalId: "V-1", doctor: "Иванова Елена Петровна", service: "Гигиена", amount: 350_000, status: "completed", startsAt: at("2026-11-10T09:00:00Z"), completedAt: at("2026-11-10T10:00:00Z") },
    });

    app = await serve(clinicA.slug);
    admin = await login("dash-admin");
    operator = await login("dash-operator");
    adminB = await login("dash-admin-b", await serve(clinicB.slug));
    adminEmpty = await login("dash-admin-empty", await serve(clinicEmpty.slug));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await t?.dispose();
  });

  it("lets only the clinic's admins in: anonymous 401 or a redirect to the login page, an operator 403", async () => {
    expect(CONSOLE_ROUTES).toEqual(expect.arrayContaining([{ method: "GET", url: "/console/dashboard" }, { method: "GET", url: "/console/api/dashboard" }]));
    expect((await get("/console/api/dashboard")).statusCode).toBe(401);
    const page = await get("/console/dashboard", undefined, { accept: "text/html" });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/console/login?next=%2Fconsole%2Fdashboard");
    const api = await get("/console/api/dashboard", operator);
    expect(api.statusCode).toBe(403);
    expect(api.json()).toEqual({ error: "only an admin may do this" });
    const forbidden = await get("/console/dashboard", operator, { accept: "text/html" });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).toContain("только администратору");
    expect(forbidden.body).not.toContain("Иванова");
  });

  it("counts NPS per month on the clinic's calendar, per doctor and per score", async () => {
    const { nps: figures, clinic, now, windows } = await figuresOf(admin);
    expect(clinic).toEqual({ id: clinicA.id, name: "Клиника «Здоровье»", timezone: "Europe/Moscow" });
    expect(now).toBe("2026-11-23T08:00:00.000Z");
    expect(windows).toEqual({ npsFrom: "2025-11-30T21:00:00.000Z", recentFrom: "2026-10-24T08:00:00.000Z", soonUntil: "2026-12-23T08:00:00.000Z", days: 30 });
    expect(figures.months.map((m) => m.month)).toEqual([
      "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]);
    expect(figures.months[0]).toEqual({ month: "2025-12", responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100 });
    expect(figures.months[5]).toEqual({ month: "2026-05", responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null });
    expect(figures.months[10]).toEqual({ month: "2026-10", responses: 2, promoters: 1, passives: 0, detractors: 1, nps: 0 });
    expect(figures.months[11]).toEqual({ month: "2026-11", responses: 5, promoters: 3, passives: 1, detractors: 1, nps: 40 });
    expect(figures.months.reduce((n, m) => n + m.responses, 0)).toBe(8);
    expect(figures.total).toEqual({ responses: 8, promoters: 4, passives: 1, detractors: 3, nps: 12.5 });
    expect(figures.doctors).toEqual([
      { group: "—", responses: 1, promoters: 1, passives: 0, detractors: 0, nps: 100 },
      { group: "Иванова Елена Петровна", responses: 5, promoters: 3, passives: 0, detractors: 2, nps: 20 },
      { group: "Петров Сергей Николаевич", responses: 2, promoters: 0, passives: 1, detractors: 1, nps: -50 },
    ]);
    expect(figures.scores).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 1, 2, 2].map((responses, score) => ({ score, responses })));
  });

  it("counts escalations waiting by priority, SLA breaches and the medians of the last 30 days", async () => {
    const { escalations } = await figuresOf(admin);
    expect(escalations).toEqual({
      byPriority: [
        { priority: "urgent", open: 1, taken: 0, overdue: 1 },
        { priority: "high", open: 1, taken: 0, overdue: 0 },
        { priority: "normal", open: 0, taken: 1, overdue: 0 },
        { priority: "low", open: 1, taken: 0, overdue: 1 },
      ],
      overdueNow: 2,
      resolvedLast30Days: 3,
      resolvedLateLast30Days: 1,
      // Taken after 10, 20, 30, 60 minutes: (20 + 30) / 2. Resolved after 40, 60, 180: 60.
      medianTakeSeconds: 25 * 60,
      medianResolveSeconds: 60 * 60,
    });
  });

  it("sums the bonus liability and the last 30 days' movement", async () => {
    const { bonus } = await figuresOf(admin);
    expect(bonus).toEqual({ outstanding: 1250, holders: 2, expiringNext30Days: 500, accruedLast30Days: 1040, redeemedLast30Days: 200, expiredLast30Days: 100 });
  });

  it("counts reminders by kind from their outbox keys, with the failures of their messages", async () => {
    const { reminders } = await figuresOf(admin);
    const row = (kind: string, sent: number, skipped = 0, retrying = 0, dead = 0, tooOld = 0) => ({ kind, sent, skipped, tooOld, retrying, dead });
    expect(reminders.kinds).toEqual([
      row("balance", 1),
      row("expiry", 0),
      row("birthday", 1),
      row("checkin", 2, 1),
      row("followup", 1, 0, 1),
      row("visit-reminder", 0),
      row("waitlist", 0),
      row("nps", 1, 0, 0, 1, 1),
      row("campaign", 2, 1),
      row("other", 1),
    ]);
    expect(reminders.total).toEqual({ sent: 9, skipped: 2, tooOld: 1, retrying: 1, dead: 1 });
  });

  it("names reminder kinds by the prefixes the key builders really write", () => {
    const prefix = (key: string) => key.slice(0, key.indexOf(":"));
    const written = [balanceKeyPrefix(at(NOW), "Europe/Moscow"), "expiry:2026-11-23:1", "birthday:2026:1", checkinKey(1), followUpKey(1, 1), visitReminderKey(1, "h2"), waitlistOfferKey(1, 1), npsKey(1), campaignKey("x", 1)].map(prefix);
    expect(written).toEqual([...REMINDER_KINDS]);
  });

  it("reports each configured campaign's results", async () => {
    const { campaigns } = await figuresOf(admin);
    expect(campaigns).toEqual([
      { campaignId: "winback", title: "Вернуть тех, кто давно не был", queued: 3, skippedNoAdvertisingConsent: 0, reached: 2, replied: 1, booked: 1, cameBack: 1, revenue: 350_000, cameBackWithinDays: 60 },
    ]);
  });

  it("renders the figures in Russian, with charts and tables, under a strict CSP", async () => {
    const res = await get("/console/dashboard", admin, { accept: "text/html" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain("Показатели клиники");
    expect(html).toContain("Данные на 23 ноября 2026, 11:00 (Europe/Moscow)");
    expect(html).toMatch(/aria-current="page">Показатели</);
    // Inline style carries the nonce; there is no script and no external resource.
    const nonce = /style-src 'nonce-([^']+)'/.exec(String(res.headers["content-security-policy"]))![1]!;
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).not.toMatch(/<script|style="|https?:\/\//);
    const tile = (id: string) => new RegExp(`data-testid="${id}"><dt>[^<]*</dt><dd>([^<]*)</dd>`).exec(html)?.[1]?.replace(/\s/g, " ");
    expect(tile("nps-total")).toBe("+12,5");
    expect(tile("nps-responses")).toBe("8");
    expect(tile("esc-overdue")).toBe("2");
    expect(tile("esc-late")).toBe("1");
    expect(tile("esc-median-take")).toBe("25 мин");
    expect(tile("esc-median-resolve")).toBe("1 ч 00 мин");
    expect(tile("bonus-outstanding")).toBe("1 250");
    expect(tile("bonus-expiring")).toBe("500");
    expect(tile("bonus-accrued")).toBe("1 040");
    // Charts: a column per month and per score, a bar per doctor; their numbers in tables.
    expect(html.match(/<svg class="chart"/g)?.length).toBe(2);
    expect(html).toContain(">ноябрь 2026</th>");
    expect(html).toContain('<title>ноябрь 2026: NPS +40, оценок 5</title>');
    expect(html).toContain("<th scope=\"row\">Иванова Елена Петровна</th><td class=\"num\">5</td>");
    expect(html).toContain("врач не указан");
    expect(html).toContain("<th scope=\"row\">Повторный визит</th><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td>");
    expect(html).toContain('<span class="long">Пропущено как устаревшее</span><abbr title="Пропущено как устаревшее" class="short">Устар.</abbr>');
    expect(html).toContain("<h3>Вернуть тех, кто давно не был</h3>");
    expect(["reached", "replied", "booked", "came-back", "revenue"].map((k) => tile(`campaign-winback-${k}`))).toEqual(["2", "1", "1", "1", "3 500 ₽"]);
    expect(html).not.toContain("Ещё нет оценок");
  });

  it("speaks English when the console's language is English", async () => {
    const res = await get("/console/dashboard", admin, { accept: "text/html", cookie: `${admin.cookie}; carebot_lang=en` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain("Clinic dashboard");
    expect(res.body).toContain("As of 23 November 2026, 11:00 (Europe/Moscow)");
    expect(res.body).toContain(">November 2026</th>");
    expect(res.body).toContain("Median time to take</dt><dd>25 min</dd>");
    expect(res.body).toContain("Follow-up visit");
    expect(res.body).not.toContain("Показатели клиники");
  });

  it("never shows one clinic's figures to another", async () => {
    const b = await figuresOf(adminB);
    expect(b.clinic.id).not.toBe(clinicA.id);
    expect(b.nps.total).toEqual({ responses: 2, promoters: 0, passives: 0, detractors: 2, nps: -100 });
    expect(b.nps.doctors.map((d) => d.group)).toEqual(["Чужой Доктор Клиники Б"]);
    expect(b.escalations.overdueNow).toBe(1);
    expect(b.escalations.resolvedLast30Days).toBe(0);
    expect(b.bonus).toEqual({ outstanding: 9999, holders: 1, expiringNext30Days: 9999, accruedLast30Days: 9999, redeemedLast30Days: 0, expiredLast30Days: 0 });
    expect(b.reminders.total).toEqual({ sent: 1, skipped: 0, tooOld: 0, retrying: 0, dead: 1 });
    expect(b.campaigns[0]).toMatchObject({ campaignId: "winback", queued: 1, reached: 1, replied: 0, booked: 0, cameBack: 0, revenue: 0 });

    const pageA = (await get("/console/dashboard", admin, { accept: "text/html" })).body;
    expect(pageA).not.toContain("Чужой");
    const pageB = (await get("/console/dashboard", adminB, { accept: "text/html" })).body;
    expect(pageB).toContain("Чужой Доктор Клиники Б");
    expect(pageB).not.toContain("Иванова");
  });

  it("shows empty states, not empty charts, to a clinic with no data yet", async () => {
    const empty = await figuresOf(adminEmpty);
    expect(empty.nps.total).toEqual({ responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null });
    expect(empty.nps.months.every((m) => m.responses === 0 && m.nps === null)).toBe(true);
    expect(empty.escalations.medianTakeSeconds).toBeNull();
    expect(empty.campaigns).toEqual([]);
    const html = (await get("/console/dashboard", adminEmpty, { accept: "text/html" })).body;
    expect(html.match(/Ещё нет оценок/g)?.length).toBe(3);
    expect(html).toContain("Открытых обращений нет");
    expect(html).toContain("За 30 дней напоминаний не было");
    expect(html).toContain("Кампаний пока нет");
    expect(html).not.toContain("<svg");
  });
});
