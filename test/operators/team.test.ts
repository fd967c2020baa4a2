// Staff accounts through the console's HTTP API on a real database: an admin adds an operator
// (one-time password shown once), the first login is held at /console/password until a new
// password is set, disabling ends the operator's sessions at once, a reset issues a new one-time
// password, everyone changes their own, the clinic is never left without an admin, another
// clinic's admin touches nothing, and every change is audited.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { Db } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { createSession } from "../../src/operators/auth/session.ts";
import { hashPassword, verifyPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "team-admin-password-1";

interface Login {
  cookie: string;
  csrf: string;
}

describe(`staff accounts in the console on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let clinicId: number;
  let adminId: number;
  let admin: Login;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const call = (method: "GET" | "POST", url: string, who?: Login, payload?: unknown, accept = "application/json") =>
    app.inject({
      method,
      url,
      headers: { accept, ...(who ? { cookie: who.cookie } : {}), ...(who && method !== "GET" ? { "x-csrf-token": who.csrf } : {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  const login = async (name: string, password: string): Promise<Login & { mustChangePassword: boolean }> => {
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: name, password } });
    expect(res.statusCode, res.body).toBe(200);
    const token = /carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    const body = res.json() as { csrfToken: string; operator: { mustChangePassword: boolean } };
    return { cookie: `carebot_console=${token}`, csrf: body.csrfToken, mustChangePassword: body.operator.mustChangePassword };
  };

  const audits = async (action: string) => db.auditEntry.findMany({ where: { clinicId, action }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    adminId = (await db.operator.create({ data: { clinicId, login: "head", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Мария Главная" } })).id;
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    admin = await login("head", PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  let oneTime = "";
  let olgaId = 0;

  it("adds an operator with a one-time password, shown once and stored only as a hash", async () => {
    const res = await call("POST", "/console/api/team/add", admin, { login: "olga", displayName: "Ольга Смирнова", role: "operator" });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { oneTimePassword: string; operator: { id: number; mustChangePassword: boolean }; operators: { login: string }[] };
    expect(body.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(body.operator.mustChangePassword).toBe(true);
    expect(body.operators.map((o) => o.login).sort()).toEqual(["head", "olga"]);
    oneTime = body.oneTimePassword;
    olgaId = body.operator.id;
    const row = await db.operator.findUniqueOrThrow({ where: { id: olgaId } });
    expect(row.passwordHash).not.toContain(oneTime);
    expect(await verifyPassword(oneTime, row.passwordHash)).toBe(true);
    // Not in the list the page gets.
    const list = await call("GET", "/console/api/team", admin);
    expect(list.body).not.toContain(oneTime);
    expect((await audits("operator.add")).map((a) => [a.operatorId, a.target])).toEqual([[adminId, `operator:${olgaId}`]]);
  });

  it("refuses a taken login and a bad one, in Russian", async () => {
    const taken = await call("POST", "/console/api/team/add", admin, { login: "olga", displayName: "Другая Ольга", role: "operator" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ problem: "login-taken", error: "Такой логин уже занят. Выберите другой." });
    const bad = await call("POST", "/console/api/team/add", admin, { login: "ол", displayName: "Ольга", role: "operator" });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: string }).error).toMatch(/^Логин: от 3 до 64 символов/);
  });

  it("holds the first login at the password page until a new password is set, then opens the console", async () => {
    const olga = await login("olga", oneTime);
    expect(olga.mustChangePassword).toBe(true);
    // A browser's login lands on the password page, keeping where it was going.
    const form = await app.inject({ method: "POST", url: "/console/login", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: `login=olga&password=${oneTime}&next=%2Fconsole%2Fpatients` });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe("/console/password?next=%2Fconsole%2Fpatients");
    // Everything else is closed: pages redirect there, API calls are refused with a reason.
    const page = await call("GET", "/console", olga, undefined, "text/html");
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/console/password?next=%2Fconsole");
    const api = await call("GET", "/console/api/queue", olga);
    expect(api.statusCode).toBe(403);
    expect(api.json()).toMatchObject({ passwordChangeRequired: true });
    const passwordPage = await call("GET", "/console/password", olga, undefined, "text/html");
    expect(passwordPage.statusCode).toBe(200);
    expect(passwordPage.body).toContain("Вы вошли с одноразовым паролем");
    // The new password follows the rules, and the two copies must agree.
    const short = await call("POST", "/console/password", olga, { current: oneTime, next_password: "short", repeat: "short" });
    expect(short.statusCode).toBe(422);
    expect(short.json()).toMatchObject({ error: "Пароль должен быть не короче 10 символов." });
    const mismatch = await call("POST", "/console/password", olga, { current: oneTime, next_password: "olga-new-password", repeat: "olga-new-passwort" });
    expect(mismatch.json()).toMatchObject({ problem: "password-mismatch" });
    const ok = await call("POST", "/console/password", olga, { current: oneTime, next_password: "olga-new-password", repeat: "olga-new-password" });
    expect(ok.statusCode, ok.body).toBe(200);
    // The same session now reaches the console; the one-time password no longer works.
    expect((await call("GET", "/console/api/queue", olga)).statusCode).toBe(200);
    const again = await app.inject({ method: "POST", url: "/console/login", payload: { login: "olga", password: oneTime } });
    expect(again.statusCode).toBe(401);
    const fresh = await login("olga", "olga-new-password");
    expect(fresh.mustChangePassword).toBe(false);
    const team = (await call("GET", "/console/api/team", admin)).json() as { operators: { login: string; lastLoginAt: string | null; mustChangePassword: boolean }[] };
    expect(team.operators.find((o) => o.login === "olga")).toMatchObject({ lastLoginAt: clock.now().toISOString(), mustChangePassword: false });
    expect((await audits("operator.change-password")).map((a) => a.details)).toEqual([{ forced: true }]);
  });

  it("an operator may not manage the team", async () => {
    const olga = await login("olga", "olga-new-password");
    expect((await call("GET", "/console/api/team", olga)).statusCode).toBe(403);
    expect((await call("POST", "/console/api/team/disable", olga, { operatorId: adminId, disabled: true })).statusCode).toBe(403);
    expect((await db.operator.findUniqueOrThrow({ where: { id: adminId } })).disabledAt).toBeNull();
  });

  it("disabling ends every session of the operator at once; enabling lets them log in again", async () => {
    const olga = await login("olga", "olga-new-password");
    expect((await call("GET", "/console/api/queue", olga)).statusCode).toBe(200);
    const res = await call("POST", "/console/api/team/disable", admin, { operatorId: olgaId, disabled: true });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call("GET", "/console/api/queue", olga)).statusCode).toBe(401);
    expect(await db.operatorSession.count({ where: { operatorId: olgaId } })).toBe(0);
    expect((await app.inject({ method: "POST", url: "/console/login", payload: { login: "olga", password: "olga-new-password" } })).statusCode).toBe(401);
    await call("POST", "/console/api/team/disable", admin, { operatorId: olgaId, disabled: false });
    await login("olga", "olga-new-password");
    expect((await audits("operator.disable")).length).toBe(1);
    expect((await audits("operator.enable")).length).toBe(1);
  });

  it("a reset gives a new one-time password, ends the sessions and forces a change again", async () => {
    const olga = await login("olga", "olga-new-password");
    const res = await call("POST", "/console/api/team/reset", admin, { operatorId: olgaId });
    expect(res.statusCode, res.body).toBe(200);
    const { oneTimePassword } = res.json() as { oneTimePassword: string };
    expect((await call("GET", "/console/api/queue", olga)).statusCode).toBe(401);
    expect((await app.inject({ method: "POST", url: "/console/login", payload: { login: "olga", password: "olga-new-password" } })).statusCode).toBe(401);
    const again = await login("olga", oneTimePassword);
    expect(again.mustChangePassword).toBe(true);
    expect((await call("GET", "/console/api/queue", again)).statusCode).toBe(403);
    expect((await audits("operator.reset-password")).length).toBe(1);
  });

  it("an admin changes their own password with the current one; a wrong current one is refused", async () => {
    const wrong = await call("POST", "/console/password", admin, { current: "not-my-password", next_password: "head-new-password", repeat: "head-new-password" });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ error: "Текущий пароль введён неверно." });
    const other = await login("head", PASSWORD);
    const ok = await call("POST", "/console/password", admin, { current: PASSWORD, next_password: "head-new-password", repeat: "head-new-password" });
    expect(ok.statusCode, ok.body).toBe(200);
    // This session stays; the admin's other sessions end.
    expect((await call("GET", "/console/api/team", admin)).statusCode).toBe(200);
    expect((await call("GET", "/console/api/team", other)).statusCode).toBe(401);
    // A plain form post shows the page with its result.
    const form = await app.inject({
      method: "POST",
      url: "/console/password",
      headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(admin.csrf)}&current=head-new-password&next_password=head-newer-password&repeat=head-newer-password`,
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Пароль изменён.");
  });

  it("an open session cannot be used to guess the current password faster than the login form allows", async () => {
    await db.operator.create({ data: { clinicId, login: "left-open", passwordHash: await hashPassword("left-open-password"), displayName: "Оставленный Сеанс" } });
    const open = await login("left-open", "left-open-password");
    const change = (current: string) => call("POST", "/console/password", open, { current, next_password: "guessed-new-password", repeat: "guessed-new-password" });
    for (let i = 0; i < 5; i++) expect((await change(`guess-${i}`)).statusCode).toBe(422);
    // Now even the right password waits, and is not checked meanwhile.
    const held = await change("left-open-password");
    expect(held.statusCode).toBe(429);
    expect(held.json()).toMatchObject({ error: "Слишком много неудачных попыток. Повторите через 30 с." });
    expect(await verifyPassword("left-open-password", (await db.operator.findUniqueOrThrow({ where: { login: "left-open" } })).passwordHash)).toBe(true);
    clock.set(new Date(clock.now().getTime() + 31_000));
    expect((await change("left-open-password")).statusCode).toBe(200);
  });

  it("never leaves the clinic without an active admin, and an admin cannot disable or demote themselves", async () => {
    const self = await call("POST", "/console/api/team/disable", admin, { operatorId: adminId, disabled: true });
    expect(self.statusCode).toBe(409);
    expect(self.json()).toMatchObject({ problem: "self" });
    const demote = await call("POST", "/console/api/team/role", admin, { operatorId: adminId, role: "operator" });
    expect(demote.json()).toMatchObject({ problem: "self" });
    // A second admin can be made and demoted again; the last one cannot be demoted by anybody.
    expect((await call("POST", "/console/api/team/role", admin, { operatorId: olgaId, role: "admin" })).statusCode).toBe(200);
    expect((await call("POST", "/console/api/team/role", admin, { operatorId: olgaId, role: "operator" })).statusCode).toBe(200);
    expect((await db.operator.findUniqueOrThrow({ where: { id: adminId } })).role).toBe("admin");
    // Directly through the domain (as the CLI would): the last active admin stays.
    const { setOperatorDisabled } = await import("../../src/operators/accounts/accounts.ts");
    await expect(setOperatorDisabled(t.db, { clinicId, operatorId: adminId, disabled: true, by: { operatorId: null, via: "cli" }, now: clock.now() })).rejects.toMatchObject({ problem: "last-admin" });
    expect((await audits("operator.role")).map((a) => (a.details as { role: string }).role)).toEqual(["admin", "operator"]);
  });

  it("another clinic's admin can touch nobody here", async () => {
    const other = await createClinic(db);
    const stranger = await db.operator.create({ data: { clinicId: other.id, login: "stranger", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Чужой" } });
    const session = await createSession(t.db, stranger.id, clock.now());
    const who = { cookie: `carebot_console=${session.token}`, csrf: session.csrfToken };
    for (const [url, body] of [
      ["/console/api/team/disable", { operatorId: olgaId, disabled: true }],
      ["/console/api/team/reset", { operatorId: olgaId }],
      ["/console/api/team/add", { login: "intruder", displayName: "X", role: "admin" }],
    ] as const) {
      expect((await call("POST", url, who, body)).statusCode).toBe(404);
    }
    expect((await call("GET", "/console/api/team", who)).statusCode).toBe(404);
    // Nor can this clinic's admin reach the other clinic's operator by id.
    const reach = await call("POST", "/console/api/team/reset", admin, { operatorId: stranger.id });
    expect(reach.statusCode).toBe(404);
    expect(await db.operator.count({ where: { login: "intruder" } })).toBe(0);
    expect((await db.operator.findUniqueOrThrow({ where: { id: olgaId } })).disabledAt).toBeNull();
  });
});
