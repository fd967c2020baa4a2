// The texts API against the real server and database: an admin previews a text for a patient,
// is told in Russian what is wrong and at which line, publishes, and the clinic's patients get the
// clinic's text in the bot; rolling back to the shipped file gives them the file's text again.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import { createLogger } from "../../src/logger.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

const FILE_MENU = "Ольга, чем мы можем помочь? Выберите, пожалуйста:";

describe(`clinic texts: edit, publish, roll back, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let carebot: CareBot;
  let clinicId: number;
  let patientId: number;
  let adminId: number;
  let admin: { cookie: string; "x-csrf-token": string };
  let operator: { cookie: string; "x-csrf-token": string };
  let r: ReturnType<typeof createTestRouter>;
  let chat = 0;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const post = (url: string, payload: unknown, who = admin) => app.inject({ method: "POST", url, headers: { ...who, "content-type": "application/json" }, payload: JSON.stringify(payload) });
  /** A new chat of the patient asks for the menu; what the bot says first. */
  const menuText = async () => {
    const chatId = `texts-${++chat}`;
    await linkChat(t.db.prisma, clinicId, patientId, chatId);
    await r.text(chatId, "меню");
    return (await r.outbox(chatId))[0]!.text;
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    clinicId = clinic.id;
    patientId = (await createPatient(t.db.prisma, clinicId, { fullName: "Смирнова Ольга Игоревна", balance: 700 })).id;
    const password = await hashPassword("texts-admin-password");
    adminId = (await t.db.prisma.operator.create({ data: { clinicId, login: "admin", role: "admin", passwordHash: password, displayName: "Ирина Главврач" } })).id;
    const operatorId = (await t.db.prisma.operator.create({ data: { clinicId, login: "op", role: "operator", passwordHash: password, displayName: "Оля" } })).id;
    const logger = createLogger({ level: "silent", pretty: false });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    const a = await createSession(t.db, adminId, clock.now());
    admin = { cookie: `carebot_console=${a.token}`, "x-csrf-token": a.csrfToken };
    const o = await createSession(t.db, operatorId, clock.now());
    operator = { cookie: `carebot_console=${o.token}`, "x-csrf-token": o.csrfToken };
    r = createTestRouter(t.db, clock, clinicId, undefined, carebot.flows);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("renders a text as typed for the chosen patient, and says in Russian what is wrong and on which line", async () => {
    const ok = await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "{{patient.firstName}}, баланс {{points bonus.balance}}.", patientId });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ text: expect.stringMatching(/^Ольга, баланс 700\sбаллов\.$/u), problems: [] });

    const typo = await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "Здравствуйте!\n{{patient.frstName}}, оцените визит.", patientId });
    expect(typo.json()).toEqual({ text: null, problems: [{ line: 2, message: "Строка 2: неизвестная переменная «patient.frstName»" }] });

    const helper = await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "Оцените\n\n{{shout patient.firstName}}", patientId: null });
    expect(helper.json().problems[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^Строка 3: неизвестная функция «shout»/) });

    const broken = await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "{{#if patient.firstName}}Привет", patientId: null });
    expect(broken.json().problems[0].message).toMatch(/^Строка 1: текст кончается внутри блока/);

    const context = await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "Спасибо, что были у нас {{context.room}}", patientId: null });
    expect(context.json().problems.map((p: { message: string }) => p.message)).toContain("Строка 1: переменной «context.room» нет в сценарии «nps»: он её не передаёт");

    const english = await app.inject({ method: "POST", url: "/console/api/texts/preview", headers: { ...admin, cookie: `${admin.cookie}; carebot_lang=en`, "content-type": "application/json" }, payload: { key: "nps.ask", locale: "en", source: "{{patient.frstName}}", patientId } });
    expect(english.json().problems[0].message).toBe('Line 1: unknown variable "patient.frstName"');
  });

  it("refuses to publish a broken text and saves nothing; saves a draft; publishes; the bot says the clinic's text", async () => {
    expect(await menuText()).toBe(FILE_MENU);

    const refused = await post("/console/api/texts/save", { key: "menu.prompt", texts: { ru: "{{patient.frstName}}, выберите:" }, publish: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({ error: "Не опубликовано: исправьте ошибки в тексте.", problems: { ru: [{ line: 1, message: "Строка 1: неизвестная переменная «patient.frstName»" }] } });
    expect(await t.db.prisma.contentVersion.count()).toBe(0);

    const source = "{{#if patient.firstName}}{{patient.firstName}}, рады вас слышать!{{else}}Рады вас слышать!{{/if}} Что для вас сделать?";
    const draft = await post("/console/api/texts/save", { key: "menu.prompt", texts: { ru: source, en: (await carebot.flows.catalog().templates.template("menu.prompt", "en"))!.source }, publish: false });
    expect(draft.statusCode).toBe(200);
    expect(draft.json().locales.ru.draft).toEqual({ version: 1, source });
    expect(draft.json().locales.en.draft).toBeNull(); // the same as the file: nothing to save
    expect(await menuText()).toBe(FILE_MENU); // a draft is not what patients get

    const published = await post("/console/api/texts/save", { key: "menu.prompt", texts: { ru: source }, publish: true });
    expect(published.statusCode).toBe(200);
    expect(published.json().locales.ru.live).toEqual({ version: 1, source });
    expect(published.json().history).toEqual([expect.objectContaining({ locale: "ru", version: 1, status: "published", author: "Ирина Главврач" })]);
    expect(await menuText()).toBe("Ольга, рады вас слышать! Что для вас сделать?");

    const audit = await t.db.prisma.auditEntry.findMany({ where: { clinicId, action: { startsWith: "text." } } });
    expect(audit.map((a) => [a.action, a.target, a.operatorId, a.details])).toEqual([["text.publish", "menu.prompt:ru", adminId, { version: 1 }]]);
  });

  it("rolls back to the shipped file and to an older version, each audited, and the bot follows", async () => {
    const back = await post("/console/api/texts/rollback", { key: "menu.prompt", locale: "ru", version: 0 });
    expect(back.statusCode).toBe(200);
    expect(back.json().locales.ru.live.version).toBe(0);
    expect(await menuText()).toBe(FILE_MENU);

    const again = await post("/console/api/texts/rollback", { key: "menu.prompt", locale: "ru", version: 1 });
    expect(again.json().locales.ru.live.version).toBe(2);
    expect(await menuText()).toBe("Ольга, рады вас слышать! Что для вас сделать?");

    const audit = await t.db.prisma.auditEntry.findMany({ where: { clinicId, action: "text.rollback" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.details)).toEqual([{ from: 1, to: 0, version: 0 }, { from: 0, to: 1, version: 2 }]);
    const missing = await post("/console/api/texts/rollback", { key: "menu.prompt", locale: "ru", version: 9 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe("Такой версии у текста нет.");
  });

  it("lists texts by area with the clinic's own marked, and answers bad requests clearly", async () => {
    const list = await app.inject({ method: "GET", url: "/console/api/texts", headers: admin });
    const menu = list.json().find((g: { area: string }) => g.area === "menu");
    expect(menu.entries.find((e: { key: string }) => e.key === "menu.prompt")).toMatchObject({ own: ["ru"], drafts: [] });
    const detail = await app.inject({ method: "GET", url: "/console/api/texts/text?key=nps.ask", headers: admin });
    expect(detail.json()).toMatchObject({ key: "nps.ask", flows: ["nps"] });
    expect(detail.json().variables).toEqual(expect.arrayContaining(["patient.firstName", "bonus.balance", "context.doctor"]));

    const bad = await post("/console/api/texts/save", { key: "menu.prompt", texts: { de: "Hallo" }, publish: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe("Запрос заполнен неверно, проверьте поля: texts.de");
    expect((await post("/console/api/texts/save", { key: "no.such-text", texts: {}, publish: false })).statusCode).toBe(404);
    expect((await post("/console/api/texts/preview", { key: "nps.ask", locale: "ru", source: "x", patientId: 999999 })).statusCode).toBe(404);
    const page = await app.inject({ method: "GET", url: "/console/texts", headers: operator });
    expect(page.statusCode).toBe(403);
    const noCsrf = await app.inject({ method: "POST", url: "/console/api/texts/save", headers: { cookie: admin.cookie, "content-type": "application/json" }, payload: { key: "menu.prompt", texts: {}, publish: false } });
    expect(noCsrf.statusCode).toBe(403);
  });
});
