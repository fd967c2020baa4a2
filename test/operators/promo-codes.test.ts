// Promo codes in the console through its HTTP API on a real database: an admin creates a code with
// the MIS API's own validation (a bad field is explained next to it, in Russian or in English), the
// same code is not replaced by a second form, the list counts uses, turning a code off makes the
// chat and the desk refuse it, its terms can be changed (a limit lowered below the uses made is
// said so), an operator and a request without the CSRF token change nothing,
// and every change is audited.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { PromoRefused, redeemPromo } from "../../src/domain/loyalty/promo/index.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const PASSWORD = "promo-admin-password-1";

interface Login {
  cookie: string;
  csrf: string;
}

interface Code {
  code: string;
  reward: string;
  value: number;
  perPatient: number;
  totalLimit: number | null;
  startsAt: string | null;
  endsAt: string | null;
  services: string[];
  active: boolean;
  used: number;
}

describe(`promo codes in the console on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let clinicId: number;
  let adminId: number;
  let admin: Login;
  let operator: Login;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const call = (method: "GET" | "POST", url: string, who: Login, payload?: unknown, extra: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { accept: "application/json", cookie: who.cookie, ...(method !== "GET" ? { "x-csrf-token": who.csrf } : {}), ...extra },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  const login = async (name: string, password: string): Promise<Login> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    return { cookie: `carebot_console=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
  };

  const form = (fields: Record<string, string>) => ({ code: "", reward: "points", value: "", perPatient: "1", totalLimit: "", startsAt: "", endsAt: "", services: "", description: "", ...fields });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    adminId = (await db.operator.create({ data: { clinicId, login: "head", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Мария Главная" } })).id;
    await db.operator.create({ data: { clinicId, login: "desk", role: "operator", passwordHash: await hashPassword(PASSWORD), displayName: "Ольга Регистратура" } });
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    admin = await login("head", PASSWORD);
    operator = await login("desk", PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("answers a bad form field by field, in Russian by default and in English when asked, and saves nothing", async () => {
    const bad = await call("POST", "/console/api/promo-codes", admin, form({ code: "x", reward: "discount", value: "150", startsAt: "2027-08-31", endsAt: "2027-06-01" }));
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json()).toEqual({
      error: "Промокод не создан: исправьте отмеченные поля.",
      fields: {
        code: "нужно от 3 до 32 букв, цифр, - или _ (например, LETO2027)",
        value: "скидка — это процент от 1 до 100",
        endsAt: "должно быть позже начала действия",
      },
    });
    const empty = await call("POST", "/console/api/promo-codes", admin, form({ code: "ZIMA", value: "", perPatient: "0", startsAt: "1 декабря" }));
    expect(empty.json()).toEqual({
      error: "Промокод не создан: исправьте отмеченные поля.",
      fields: { startsAt: "нужна дата в виде ДД.ММ.ГГГГ, например 01.06.2027", value: "нужно заполнить", perPatient: "не меньше 1" },
    });
    const english = await call("POST", "/console/api/promo-codes", admin, form({ code: "x", value: "abc" }), { cookie: `${admin.cookie}; carebot_lang=en` });
    expect(english.statusCode).toBe(422);
    expect(english.json()).toEqual({
      error: "The promo code was not created: fix the marked fields.",
      fields: { code: "must be 3–32 letters, digits, - or _", value: "must be a number" },
    });
    expect(await db.promoCode.count({ where: { clinicId } })).toBe(0);
  });

  it("creates LETO2027 (500 points, once per patient) and lists it with no uses; the same code again is refused, not replaced", async () => {
    const res = await call("POST", "/console/api/promo-codes", admin, form({ code: "leto 2027", value: "500", startsAt: "01.06.2027", endsAt: "2027-08-31", services: "hygiene, therapy", description: "500 баллов в подарок" }));
    expect(res.statusCode, res.body).toBe(201);
    const created = (res.json() as { code: Code }).code;
    // The clinic's days (Moscow): from the first moment of 1 June to the end of 31 August.
    expect(created).toMatchObject({ code: "LETO2027", reward: "points", value: 500, perPatient: 1, totalLimit: null, startsAt: "2027-05-31T21:00:00.000Z", endsAt: "2027-08-31T21:00:00.000Z", services: ["hygiene", "therapy"], active: true, used: 0 });
    const list = (await call("GET", "/console/api/promo-codes", admin)).json() as { codes: Code[] };
    expect(list.codes.map((c) => [c.code, c.used, c.active])).toEqual([["LETO2027", 0, true]]);

    const again = await call("POST", "/console/api/promo-codes", admin, form({ code: "LETO2027", value: "900" }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: "Промокод LETO2027 уже есть; выберите другой код.", fields: { code: "Промокод LETO2027 уже есть; выберите другой код." } });
    expect((await db.promoCode.findFirstOrThrow({ where: { clinicId, code: "LETO2027" } })).value).toBe(500);

    expect((await db.auditEntry.findMany({ where: { clinicId, action: "promo.create" } })).map((a) => [a.operatorId, a.target])).toEqual([[adminId, "LETO2027"]]);
  });

  it("counts a use, and a code turned off is refused to the next patient; it can be turned on again", async () => {
    const now = new Date("2027-07-01T09:00:00Z");
    const rules = parseClinicSettings({}).bonus;
    const anna = await createPatient(db, clinicId, { fullName: "Анна Летняя" });
    const boris = await createPatient(db, clinicId, { fullName: "Борис Летний" });
    await t.db.transaction((tx) => redeemPromo(tx, { clinicId, patientId: anna.id, code: "LETO2027", key: "bill-1", via: "api", rules, now }));
    expect(((await call("GET", "/console/api/promo-codes", admin)).json() as { codes: Code[] }).codes[0]).toMatchObject({ code: "LETO2027", used: 1 });

    const off = await call("POST", "/console/api/promo-codes/active", admin, { code: "leto2027", active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((off.json() as { codes: Code[] }).codes[0]).toMatchObject({ code: "LETO2027", active: false, used: 1 });
    const refused = await t.db.transaction((tx) => redeemPromo(tx, { clinicId, patientId: boris.id, code: "LETO2027", key: "bill-2", via: "api", rules, now })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PromoRefused);
    expect((refused as PromoRefused).reason).toBe("inactive");

    const on = await call("POST", "/console/api/promo-codes/active", admin, { code: "LETO2027", active: true });
    expect((on.json() as { codes: Code[] }).codes[0]).toMatchObject({ active: true });
    const missing = await call("POST", "/console/api/promo-codes/active", admin, { code: "NETU", active: false });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "Такого промокода у клиники нет." });
    expect((await db.auditEntry.findMany({ where: { clinicId, action: { in: ["promo.disable", "promo.enable"] } }, orderBy: { id: "asc" } })).map((a) => a.action)).toEqual(["promo.disable", "promo.enable"]);
  });

  it("changes an existing code's terms with the same checks, keeps it on or off as it was, says when a limit falls below the uses made, and audits it", async () => {
    const now = new Date("2027-07-02T09:00:00Z");
    const rules = parseClinicSettings({}).bonus;
    const edit = (fields: Record<string, string>, extra: Record<string, string> = {}) => call("POST", "/console/api/promo-codes/terms", admin, form({ code: "LETO2027", ...fields }), extra);
    // A bad form is explained field by field and changes nothing.
    const bad = await edit({ value: "", endsAt: "31 сентября" });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json()).toEqual({ error: "Условия не сохранены: исправьте отмеченные поля.", fields: { endsAt: "нужна дата в виде ДД.ММ.ГГГГ, например 01.06.2027", value: "нужно заполнить" } });
    const english = await edit({ value: "0" }, { cookie: `${admin.cookie}; carebot_lang=en` });
    expect(english.json()).toEqual({ error: "The terms were not saved: fix the marked fields.", fields: { value: "must be at least 1" } });
    expect((await db.promoCode.findFirstOrThrow({ where: { clinicId, code: "LETO2027" } })).value).toBe(500);

    // 700 points, twice per patient, a month longer, hygiene only.
    const longer = await edit({ value: "700", perPatient: "2", startsAt: "01.06.2027", endsAt: "30.09.2027", services: "hygiene", description: "700 баллов в подарок" });
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json()).toMatchObject({
      code: { code: "LETO2027", reward: "points", value: 700, perPatient: 2, totalLimit: null, startsAt: "2027-05-31T21:00:00.000Z", endsAt: "2027-09-30T21:00:00.000Z", services: ["hygiene"], active: true, used: 1 },
      notices: [],
    });
    const anna = await db.patient.findFirstOrThrow({ where: { clinicId, fullName: "Анна Летняя" } });
    const boris = await db.patient.findFirstOrThrow({ where: { clinicId, fullName: "Борис Летний" } });
    const use = (patientId: number, key: string) => t.db.transaction((tx) => redeemPromo(tx, { clinicId, patientId, code: "LETO2027", key, via: "api", rules, now }));
    await use(anna.id, "bill-3");
    await use(boris.id, "bill-4");

    // Limits lowered below what was already used: saved, and the manager is told what that means.
    const lowered = await edit({ value: "700", perPatient: "1", totalLimit: "2", startsAt: "01.06.2027", endsAt: "30.09.2027", services: "hygiene" });
    expect(lowered.statusCode, lowered.body).toBe(200);
    expect((lowered.json() as { notices: string[] }).notices).toEqual([
      "Новый лимит (2) меньше, чем уже сделано использований (3): больше этот код никто не использует. Сделанные использования остаются в силе.",
      "Новый лимит на пациента (1) меньше, чем один из пациентов уже использовал код (2): ему код больше не подойдёт. Сделанные использования остаются в силе.",
    ]);
    const newcomer = await createPatient(db, clinicId, { fullName: "Вера Новая" });
    const refused = await use(newcomer.id, "bill-5").catch((e: unknown) => e);
    expect((refused as PromoRefused).reason).toBe("used_up");

    // A code turned off stays off when its terms change.
    await call("POST", "/console/api/promo-codes/active", admin, { code: "LETO2027", active: false });
    const whileOff = await edit({ value: "700", perPatient: "2", totalLimit: "10", startsAt: "01.06.2027", endsAt: "30.09.2027", services: "hygiene" });
    expect(whileOff.json()).toMatchObject({ code: { active: false, totalLimit: 10 }, notices: [] });
    await call("POST", "/console/api/promo-codes/active", admin, { code: "LETO2027", active: true });

    const missing = await call("POST", "/console/api/promo-codes/terms", admin, form({ code: "NETU", value: "100" }));
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "Такого промокода у клиники нет." });

    const audits = await db.auditEntry.findMany({ where: { clinicId, action: "promo.edit" }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.operatorId, a.target])).toEqual([[adminId, "LETO2027"], [adminId, "LETO2027"], [adminId, "LETO2027"]]);
    expect(audits[0]!.details).toMatchObject({ before: { value: 500, perPatient: 1, endsAt: "2027-08-31T21:00:00.000Z" }, after: { value: 700, perPatient: 2, endsAt: "2027-09-30T21:00:00.000Z" }, used: 1 });
    expect(audits[1]!.details).toMatchObject({ before: { totalLimit: null }, after: { totalLimit: 2, perPatient: 1 }, used: 3 });
  });

  it("an operator may not see or change promo codes, and a change without the CSRF token is refused", async () => {
    expect((await call("GET", "/console/api/promo-codes", operator)).statusCode).toBe(403);
    expect((await call("POST", "/console/api/promo-codes", operator, form({ code: "DESK1", value: "100" }))).statusCode).toBe(403);
    expect((await call("POST", "/console/api/promo-codes/active", operator, { code: "LETO2027", active: false })).statusCode).toBe(403);
    expect((await call("POST", "/console/api/promo-codes/terms", operator, form({ code: "LETO2027", value: "1" }))).statusCode).toBe(403);
    const noTokenEdit = await app.inject({ method: "POST", url: "/console/api/promo-codes/terms", headers: { accept: "application/json", cookie: admin.cookie }, payload: form({ code: "LETO2027", value: "1" }) });
    expect(noTokenEdit.statusCode).toBe(403);
    const noToken = await app.inject({ method: "POST", url: "/console/api/promo-codes/active", headers: { accept: "application/json", cookie: admin.cookie }, payload: { code: "LETO2027", active: false } });
    expect(noToken.statusCode).toBe(403);
    const row = await db.promoCode.findFirstOrThrow({ where: { clinicId, code: "LETO2027" } });
    expect(row.active).toBe(true);
    expect(row.value).toBe(700);
    expect(await db.promoCode.count({ where: { clinicId } })).toBe(1);
  });

  it("the page is linked from the bonus section of the settings and renders the codes for the script", async () => {
    const settings = await call("GET", "/console/settings", admin, undefined, { accept: "text/html" });
    expect(settings.body).toContain('href="/console/promo-codes"');
    const page = await call("GET", "/console/promo-codes", admin, undefined, { accept: "text/html" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<h1>Промокоды</h1>");
    expect(page.body).toContain("LETO2027");
    // No inline code: the page's data is JSON, its script a bundle loaded with the nonce.
    expect(page.body).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))/);
  });
});
