// The clinic settings API of the console (GET/PUT /console/api/settings) and its page, against the
// real HTTP server on a real database: validation by field, unknown keys, optimistic concurrency,
// the admin-only gate, CSRF and the audit trail.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "settings-admin-pass-1";

interface Login {
  cookie: string;
  csrf: string;
}

interface SettingsAnswer {
  version: string;
  settings: Record<string, any>;
  sections?: string[];
}

describe(`clinic settings API on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let clinicId: number;
  let adminId: number;
  let admin: Login;
  let operator: Login;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  /** The API's problems are read in English here (the language cookie); `lang: "ru"` sends none, as a new browser does. */
  const call = (method: "GET" | "PUT", url: string, who?: Login, payload?: unknown, options: { csrf?: boolean; accept?: string; lang?: "ru" | "en" } = {}) =>
    app.inject({
      method,
      url,
      headers: {
        accept: options.accept ?? "application/json",
        ...(who ? { cookie: who.cookie + (url.includes("/api/") && options.lang !== "ru" ? "; carebot_lang=en" : "") } : {}),
        ...(who && method !== "GET" && options.csrf !== false ? { "x-csrf-token": who.csrf } : {}),
      },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  const login = async (name: string): Promise<Login> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
  };

  const current = async (): Promise<SettingsAnswer> => {
    const res = await call("GET", "/console/api/settings", admin);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SettingsAnswer;
  };

  const settingsAudits = () => db.auditEntry.findMany({ where: { clinicId, action: "settings.update" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db, { segments: [{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }] });
    clinicId = clinic.id;
    adminId = (await db.operator.create({ data: { clinicId, login: "admin", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Мария Главная" } })).id;
    await db.operator.create({ data: { clinicId, login: "shift", passwordHash: await hashPassword(PASSWORD), displayName: "Олег Смена" } });
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    admin = await login("admin");
    operator = await login("shift");
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("gives the whole document with defaults filled in and the clinic row's version", async () => {
    const { version, settings } = await current();
    const row = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(version).toBe(row.updatedAt.toISOString());
    expect(settings).toEqual(JSON.parse(JSON.stringify(parseClinicSettings(row.settings))));
    expect(settings.bonus.accrualPercent).toBe(5);
    expect(settings.schedules.timers).toBe("* * * * *");
    expect(settings.staleAfterDays).toEqual({ nps: 3, checkin: 2, followUp: 60 });
    expect(settings.segments).toEqual([{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }]);
  });

  it("saves an edited document whole, answers the new version, and audits which sections changed", async () => {
    const before = await current();
    const edited = structuredClone(before.settings);
    edited.bonus.accrualPercent = 7;
    edited.quietHours.start = "22:00";
    edited.campaigns = [{ id: "spring", title: "Весенняя гигиена", segment: "sleeping", offer: { bonusPoints: 300 } }];
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: edited });
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json() as SettingsAnswer;
    expect(saved.version).not.toBe(before.version);
    expect(saved.sections).toEqual(["bonus", "campaigns", "quietHours"]);
    // The campaign comes back with its defaults (flow, cameBackWithinDays) filled in.
    expect(saved.settings.campaigns).toEqual([{ id: "spring", title: "Весенняя гигиена", segment: "sleeping", flow: "reactivation", offer: { bonusPoints: 300 }, cameBackWithinDays: 60 }]);

    const again = await current();
    expect(again).toEqual({ version: saved.version, settings: saved.settings, problems: [] });
    const row = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(parseClinicSettings(row.settings).bonus.accrualPercent).toBe(7);
    expect(row.updatedAt.toISOString()).toBe(saved.version);

    const audits = await settingsAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ operatorId: adminId, target: `clinic:${clinicId}`, details: { via: "console", sections: ["bonus", "campaigns", "quietHours"] } });
    expect(audits[0]!.createdAt.toISOString()).toBe(clock.now().toISOString());
  });

  it("answers an unchanged document with the same version and writes no audit row", async () => {
    const before = await current();
    const audits = (await settingsAudits()).length;
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: before.settings });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SettingsAnswer).version).toBe(before.version);
    expect((res.json() as SettingsAnswer).sections).toEqual([]);
    expect(await settingsAudits()).toHaveLength(audits);
  });

  it("refuses a document with several wrong fields with 422 naming each one's path, and saves none of it", async () => {
    const before = await current();
    const edited = structuredClone(before.settings);
    edited.bonus.accrualPercent = 150;
    edited.quietHours.end = "9am";
    edited.followUp.gapDays = [0, -3];
    edited.reviewUrl = "отзывы";
    edited.segments[0].ageMin = -1;
    edited.campaigns[0].offer.bonusPoints = 0;
    edited.schedules.birthday = "61 * * * *";
    edited.staleAfterDays.nps = 0;
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: edited });
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json() as { error: string; errors: { path: string; message: string }[] };
    expect(body.error).toBe("the settings have 8 problems; nothing was saved");
    const byPath = Object.fromEntries(body.errors.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      ["bonus.accrualPercent", "campaigns.0.offer.bonusPoints", "followUp.gapDays.1", "quietHours.end", "reviewUrl", "schedules.birthday", "segments.0.ageMin", "staleAfterDays.nps"].sort(),
    );
    expect(byPath["staleAfterDays.nps"]).toBe("must be at least 1");
    expect(byPath["bonus.accrualPercent"]).toBe("must be at most 100");
    expect(byPath["followUp.gapDays.1"]).toBe("must be at least 0");
    expect(byPath["quietHours.end"]).toBe('must be a time "HH:MM"');
    expect(byPath["campaigns.0.offer.bonusPoints"]).toBe("must be a whole number of points, at least 1");
    expect(byPath["segments.0.ageMin"]).toBe("must be a whole number of years from 0 to 150");
    // The schedule reader names the field that is off.
    expect(byPath["schedules.birthday"]).toMatch(/minute "61"/);
    expect(byPath.reviewUrl).toMatch(/^must be a web address/);

    // A console without the language cookie is a Russian one: the same problems, in Russian.
    const ru = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: edited }, { lang: "ru" });
    const inRussian = ru.json() as { error: string; errors: { path: string; message: string }[] };
    expect(inRussian.error).toBe("Настройки не сохранены: 8 ошибок.");
    expect(Object.fromEntries(inRussian.errors.map((e) => [e.path, e.message]))).toEqual({
      "bonus.accrualPercent": "не больше 100",
      "campaigns.0.offer.bonusPoints": "нужно целое число баллов, не меньше 1",
      "followUp.gapDays.1": "не меньше 0",
      "quietHours.end": "нужно время в виде ЧЧ:ММ, например 09:00",
      reviewUrl: "нужен адрес сайта, например https://example.ru/reviews",
      "schedules.birthday": "Расписание не принято: минута «61» — минуты бывают от 0 до 59.",
      "segments.0.ageMin": "нужно целое число лет от 0 до 150",
      "staleAfterDays.nps": "не меньше 1",
    });
    expect((await current()).version).toBe(before.version);
  });

  it("names a campaign's unknown segment at the campaign's field", async () => {
    const before = await current();
    const edited = structuredClone(before.settings);
    edited.campaigns[0].segment = "vip";
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: edited });
    expect(res.statusCode).toBe(422);
    expect((res.json() as { errors: unknown[] }).errors).toEqual([{ path: "campaigns.0.segment", message: 'no segment "vip" in segments (sleeping)' }]);
  });

  it("refuses unknown keys, at any depth, instead of dropping them", async () => {
    const before = await current();
    const edited = structuredClone(before.settings);
    edited.bonus.acrualPercent = 9;
    edited.calendar.week.mon.lunch = "13:00";
    edited.greeting = "Здравствуйте";
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: edited });
    expect(res.statusCode, res.body).toBe(422);
    const errors = (res.json() as { errors: { path: string; message: string }[] }).errors;
    expect(errors.map((e) => e.path)).toEqual(["bonus.acrualPercent", "calendar.week.mon.lunch", "greeting"]);
    expect(errors[0]!.message).toBe('is not a setting CareBot knows (did you mean "accrualPercent"?); remove it or fix its name');
    expect(errors[1]!.message).toMatch(/known here: start, end/);
    // A document that is not an object at all.
    const list = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: [1, 2] });
    expect(list.statusCode).toBe(422);
    expect((list.json() as { errors: { path: string }[] }).errors).toEqual([{ path: "", message: expect.stringMatching(/must be a JSON object/) }]);
  });

  it("refuses a save over a newer version with 409 and keeps the newer one", async () => {
    const opened = await current();
    const first = structuredClone(opened.settings);
    first.marketingCapDays = 5;
    expect((await call("PUT", "/console/api/settings", admin, { version: opened.version, settings: first })).statusCode).toBe(200);
    // A colleague had opened the same version and saves after it changed.
    const second = structuredClone(opened.settings);
    second.npsDelayMinutes = 30;
    const res = await call("PUT", "/console/api/settings", admin, { version: opened.version, settings: second });
    expect(res.statusCode, res.body).toBe(409);
    const body = res.json() as { error: string; version: string };
    expect(body.error).toMatch(/someone saved the settings after you opened them/);
    const now = await current();
    expect(body.version).toBe(now.version);
    expect(now.settings.marketingCapDays).toBe(5);
    expect(now.settings.npsDelayMinutes).toBe(120);
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    const opened = await current();
    const audits = (await settingsAudits()).length;
    const a = { ...opened.settings, marketingCapDays: 11 };
    const b = { ...opened.settings, marketingCapDays: 12 };
    const answers = await Promise.all([a, b].map((settings) => call("PUT", "/console/api/settings", admin, { version: opened.version, settings })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = answers.find((r) => r.statusCode === 200)!.json() as SettingsAnswer;
    const now = await current();
    expect(now.settings.marketingCapDays).toBe(winner.settings.marketingCapDays);
    expect(await settingsAudits()).toHaveLength(audits + 1);
  });

  it("turns a body without a version away with 400 naming it", async () => {
    const { settings } = await current();
    const res = await call("PUT", "/console/api/settings", admin, { settings });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: string }).error).toMatch(/^version: /);
    const extra = await call("PUT", "/console/api/settings", admin, { version: "x", settings, force: true });
    expect(extra.statusCode).toBe(400);
    expect((extra.json() as { error: string }).error).toMatch(/"force"/);
  });

  it("is for admins only: an operator gets 403 on the API and on the page", async () => {
    const before = await current();
    expect((await call("GET", "/console/api/settings", operator)).statusCode).toBe(403);
    const put = await call("PUT", "/console/api/settings", operator, { version: before.version, settings: { ...before.settings, marketingCapDays: 1 } });
    expect(put.statusCode).toBe(403);
    expect((put.json() as { error: string }).error).toBe("only an admin may do this");
    const page = await call("GET", "/console/settings", operator, undefined, { accept: "text/html" });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain("только администратору");
    expect((await current()).settings.marketingCapDays).toBe(before.settings.marketingCapDays);
  });

  it("answers an anonymous request with 401 (API) or the login page (page), and a PUT without the CSRF token with 403", async () => {
    expect((await call("GET", "/console/api/settings")).statusCode).toBe(401);
    expect((await call("PUT", "/console/api/settings", undefined, { version: "x", settings: {} })).statusCode).toBe(401);
    const page = await call("GET", "/console/settings", undefined, undefined, { accept: "text/html" });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/console/login?next=%2Fconsole%2Fsettings");

    const before = await current();
    const res = await call("PUT", "/console/api/settings", admin, { version: before.version, settings: { ...before.settings, marketingCapDays: 9 } }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { error: string }).error).toMatch(/CSRF/);
    expect((await current()).version).toBe(before.version);
  });

  it("serves the page to an admin in Russian, or English by the language cookie, under a strict CSP", async () => {
    const ru = await call("GET", "/console/settings", admin, undefined, { accept: "text/html" });
    expect(ru.statusCode).toBe(200);
    expect(ru.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(ru.body).toContain("<h1>Настройки клиники</h1>");
    expect(ru.body).toContain('<label for="f-bonus-accrualPercent">Начисление, % от оплаты</label>');
    expect(ru.body).toContain('<label for="f-staleAfterDays-nps">Опрос NPS: не позже, дней после визита</label>');
    expect(ru.body).toContain('aria-current="page">Настройки</a>');
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(ru.headers["content-security-policy"]))![1]!;
    // The script is the bundled src/browser/settings.ts, with its data in a JSON element: no inline code.
    expect(ru.body).toContain(`<script nonce="${nonce}" src="/assets/settings.js?v=`);
    expect(ru.body.match(/<script[^>]*>/g)!.every((tag) => tag.includes(" src=") || tag.includes('type="application/json"'))).toBe(true);
    expect(ru.body).toContain('<div class="form form-segments" id="f-segments" data-path="segments" data-kind="segments" data-label="Сегменты пациентов" role="group"');
    expect(ru.body).not.toContain("<textarea");
    const en = await app.inject({ method: "GET", url: "/console/settings", headers: { accept: "text/html", cookie: `${admin.cookie}; carebot_lang=en` } });
    expect(en.body).toContain("<h1>Clinic settings</h1>");
    expect(en.body).toContain('<label for="f-bonus-accrualPercent">Accrual, % of the amount paid</label>');
  });

  it("shows the problems of a stored document that no longer validates, so the admin can fix it", async () => {
    const row = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    const broken = { ...(row.settings as Record<string, unknown>), marketingCapDays: -1 };
    await db.clinic.update({ where: { id: clinicId }, data: { settings: broken } });
    const res = await current();
    expect(res.settings.marketingCapDays).toBe(-1);
    expect((res as unknown as { problems: unknown[] }).problems).toEqual([{ path: "marketingCapDays", message: "must be at least 0" }]);
    const fixed = { ...res.settings, marketingCapDays: 2 };
    const saved = await call("PUT", "/console/api/settings", admin, { version: res.version, settings: fixed });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as SettingsAnswer).sections).toEqual(["marketingCapDays"]);
  });
});
