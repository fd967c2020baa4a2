// The clinic's profile page (/console/clinic) on a real database: the form as a manager sees it
// (phone formatted, a tel: link), refusals in Russian next to their fields, a save that reaches the
// clinic row, the settings document and the audit trail, the scheduler following a new time zone,
// and a patient's messages that show the phone formatted and the clinic's name said once.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { createScheduler } from "../../src/scheduler/scheduler.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const PASSWORD = "clinic-admin-password";

interface Login {
  cookie: string;
  csrf: string;
}

/** The page's form as a browser posts it. */
function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

const WEEKDAYS_ON = { mon_on: "1", mon_start: "09:00", mon_end: "20:00", tue_on: "1", tue_start: "09:00", tue_end: "20:00", wed_on: "1", wed_start: "09:00", wed_end: "20:00", thu_on: "1", thu_start: "09:00", thu_end: "20:00", fri_on: "1", fri_start: "09:00", fri_end: "20:00" };

describe(`the clinic's profile page on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  let clinicId: number;
  let admin: Login;
  let operator: Login;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const login = async (name: string): Promise<Login> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
  };
  const page = (query = "") => app.inject({ method: "GET", url: `/console/clinic${query}`, headers: { cookie: admin.cookie, accept: "text/html" } });
  const version = async () => (await db.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString();
  const post = (who: Login, fields: Record<string, string | string[]>) =>
    app.inject({ method: "POST", url: "/console/clinic", headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, payload: formBody({ _csrf: who.csrf, ...fields }) });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db, { reviewUrl: "https://example.org/reviews/old" });
    clinicId = clinic.id;
    await db.operator.create({ data: { clinicId, login: "head", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Мария Главная" } });
    await db.operator.create({ data: { clinicId, login: "shift", passwordHash: await hashPassword(PASSWORD), displayName: "Олег Смена" } });
    const logger = createLogger({ level: "silent", pretty: false });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    admin = await login("head");
    operator = await login("shift");
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("shows the profile: the phone formatted with a tel: link, Moscow chosen among Russia's cities, the old review address as the first link", async () => {
    const res = await page();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('value="+7 495 123-45-67"');
    expect(res.body).toContain('<a href="tel:+74951234567" id="phone-link">+7 495 123-45-67</a>');
    expect(res.body).toMatch(/<option value="Europe\/Moscow" selected>Москва \(UTC\+3\)<\/option>/);
    expect(res.body).toContain('<option value="Asia/Yekaterinburg">Екатеринбург (UTC+5)</option>');
    expect(res.body).toContain('value="https://example.org/reviews/old"');
    expect(res.body).toContain('<script nonce="');
    expect(res.body).not.toMatch(/<script nonce="[^"]+">/);
  });

  it("is for admins only", async () => {
    const res = await app.inject({ method: "GET", url: "/console/clinic", headers: { cookie: operator.cookie, accept: "text/html" } });
    expect(res.statusCode).toBe(403);
    const save = await post(operator, { version: await version(), name: "Захват" });
    expect(save.statusCode).toBe(403);
  });

  it("refuses bad fields with Russian messages next to them and saves nothing", async () => {
    const before = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    const res = await post(admin, {
      version: before.updatedAt.toISOString(),
      name: "  ",
      timezone: "Europe/Atlantis",
      phone: "12345",
      address: "Москва",
      review_label: ["Яндекс Карты", ""],
      review_url: ["yandex.ru/maps", "https://2gis.ru/moscow/firm/1"],
      ...WEEKDAYS_ON,
      sat_on: "1",
      sat_start: "15:00",
      sat_end: "10:00",
      holidays: "01-01\n31-12",
    });
    expect(res.statusCode).toBe(422);
    for (const message of [
      "Не сохранено — исправьте отмеченные поля:",
      "Укажите название клиники.",
      "Выберите часовой пояс из списка.",
      "Это не похоже на номер телефона.",
      "Нужен адрес страницы целиком, начиная с https://",
      "Подпишите ссылку, например «Яндекс Карты».",
      "Конец рабочего дня должен быть позже начала.",
      "Праздник — дата ГГГГ-ММ-ДД или ежегодный день ММ-ДД.",
    ]) expect(res.body).toContain(message);
    // What was typed stays in the form.
    expect(res.body).toContain('value="12345"');
    expect(res.body).toContain('value="yandex.ru/maps"');
    expect(await db.clinic.findUniqueOrThrow({ where: { id: clinicId } })).toEqual(before);
  });

  it("saves the profile: the row, the settings document and an audit entry; the scheduler rewires its jobs in the new zone", async () => {
    const scheduler = await createScheduler(carebot, { clock, owner: "clinic-test" });
    const res = await post(admin, {
      version: await version(),
      name: "Клиника «Добрый доктор»",
      timezone: "Asia/Yekaterinburg",
      phone: "8 (343) 222-33-44",
      address: "Екатеринбург, ул. Ленина, 5",
      review_label: ["Яндекс Карты", "2ГИС", ""],
      review_url: ["https://yandex.ru/maps/org/1", "https://2gis.ru/ekaterinburg/firm/2", ""],
      ...WEEKDAYS_ON,
      sat_on: "1",
      sat_start: "10:00",
      sat_end: "15:00",
      holidays: "01-01\n2027-03-09",
      workdays: "2027-11-06",
      move_weekend: "1",
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe("/console/clinic?saved=1");
    const row = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(row.name).toBe("Клиника «Добрый доктор»");
    expect(row.timezone).toBe("Asia/Yekaterinburg");
    const settings = parseClinicSettings(row.settings);
    expect(settings.phone).toBe("+73432223344");
    expect(settings.address).toBe("Екатеринбург, ул. Ленина, 5");
    expect(settings.reviewLinks).toEqual([
      { label: "Яндекс Карты", url: "https://yandex.ru/maps/org/1" },
      { label: "2ГИС", url: "https://2gis.ru/ekaterinburg/firm/2" },
    ]);
    expect(settings.reviewUrl).toBeUndefined();
    expect(settings.calendar.week.sat).toEqual({ start: "10:00", end: "15:00" });
    expect(settings.calendar.week.sun).toBeNull();
    expect(settings.calendar.holidays).toEqual(["01-01", "2027-03-09"]);
    expect(settings.calendar.workdays).toEqual(["2027-11-06"]);
    // The rest of the document is untouched.
    expect(settings.bonus.accrualPercent).toBe(5);
    const audit = await db.auditEntry.findMany({ where: { clinicId, action: "clinic.update" } });
    expect(audit.map((a) => a.details)).toEqual([{ fields: ["name", "timezone", "address", "phone", "reviewLinks", "calendar"] }]);
    // This process's clinic follows at once; the scheduler at its next reload.
    expect(carebot.clinic).toMatchObject({ name: "Клиника «Добрый доктор»", timezone: "Asia/Yekaterinburg" });
    const rewired = await scheduler.reload();
    expect(rewired.sort()).toEqual(Object.keys(scheduler.schedules).sort());
    expect(scheduler.health().timezone).toBe("Asia/Yekaterinburg");
    await scheduler.stop();
    const shown = await page("?saved=1");
    expect(shown.body).toContain("Сохранено.");
    expect(shown.body).toContain('<a href="tel:+73432223344" id="phone-link">+7 343 222-33-44</a>');
  });

  it("refuses a save made from an older version of the clinic", async () => {
    const res = await post(admin, { version: "2020-01-01T00:00:00.000Z", name: "Старое", timezone: "Europe/Moscow", ...WEEKDAYS_ON });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain("данные клиники изменил кто-то другой");
    expect((await db.clinic.findUniqueOrThrow({ where: { id: clinicId } })).name).toBe("Клиника «Добрый доктор»");
  });

  it("patients read the phone formatted and the clinic's name said once", async () => {
    const r = createTestRouter(t.db, clock, clinicId);
    const patient = await createPatient(db, clinicId, { fullName: "Петрова Анна Сергеевна" });
    await linkChat(db, clinicId, patient.id, "tg-anna");
    await r.text("tg-anna", "после удаления зуба сильно болит и опухла щека");
    const complaint = (await r.outbox("tg-anna")).map((m) => m.text).join("\n");
    expect(complaint).toContain("+7 343 222-33-44");
    expect(complaint).not.toContain("+7343");
    await r.send("tg-new", { type: "START" });
    const greeting = (await r.outbox("tg-new")).map((m) => m.text).join("\n");
    expect(greeting).toContain("чат-помощник клиники «Добрый доктор»");
    expect(greeting).not.toContain("«Клиника");
  });
});
