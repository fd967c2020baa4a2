// Names and texts that look like markup stay text on every server-rendered page: a clinic, branch,
// doctor, campaign, operator and patient all named `<img src=x onerror=alert(1)> "'&`, a patient
// writing it, a login typed as it. The pages build HTML with html`…` (src/web-assets/html.ts),
// which escapes every value; this checks the pages as served, over HTTP, on a real database.
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
import { ROOT } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const HOSTILE = `<img src=x onerror=alert(1)> "'&`;
/** HOSTILE as html`…` writes it: the same characters, shown as text. */
const SHOWN = "&#60;img src=x onerror=alert(1)&#62; &#34;&#39;&#38;";
const PASSWORD = "hostile-text-password-1";

describe(`markup in names and texts shows as text on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let cookie: string;
  let patientId: number;

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url, headers: { cookie, accept: "text/html", ...headers } });
  /** No hostile markup anywhere in the page; `places` are where the text must show, escaped. */
  const expectText = (body: string, places: string[]) => {
    expect(body).not.toContain("<img");
    for (const place of places) expect(body).toContain(place.replace("HOSTILE", SHOWN));
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db, {
      segments: [{ id: "everyone", title: "Все" }],
      campaigns: [{ id: "winback", title: `Кампания ${HOSTILE}`, segment: "everyone", cameBackWithinDays: 60 }],
    });
    await db.clinic.update({ where: { id: clinic.id }, data: { name: `Клиника ${HOSTILE}` } });
    await db.branch.create({ data: { clinicId: clinic.id, code: "north", name: `Филиал ${HOSTILE}`, reviewLinks: [] } });
    await db.operator.create({ data: { clinicId: clinic.id, login: "hostile-admin", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: `Админ ${HOSTILE}` } });
    const patient = await createPatient(db, clinic.id, { fullName: `Пациент ${HOSTILE}` });
    patientId = patient.id;
    const chat = await linkChat(db, clinic.id, patient.id, "hostile-chat");
    await db.message.create({ data: { clinicId: clinic.id, identityId: chat.id, direction: "inbound", text: `Пишу ${HOSTILE}`, createdAt: new Date("2026-11-20T09:00:00Z") } });
    await db.npsResponse.create({ data: { clinicId: clinic.id, patientId, score: 9, category: "promoter", doctor: `Доктор ${HOSTILE}`, createdAt: new Date("2026-11-10T09:00:00Z") } });

    const clock = new FixedClock("2026-11-23T08:00:00Z");
    const logger = createLogger({ level: "silent", pretty: false });
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.ready();
    const res = await app.inject({ method: "POST", url: "/console/login", payload: { login: "hostile-admin", password: PASSWORD }, remoteAddress: "10.0.7.1" });
    expect(res.statusCode, res.body).toBe(200);
    cookie = `carebot_console=${/carebot_console=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!}`;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("on the login page: the clinic's name, a typed login sent back with its error, the page to return to", async () => {
    const form = await app.inject({ method: "GET", url: `/console/login?next=${encodeURIComponent(`/console/patients?q=${HOSTILE}`)}` });
    expectText(form.body, ['<p class="clinic">Клиника HOSTILE</p>', 'name="next" value="/console/patients?q=HOSTILE"']);
    const wrong = await app.inject({ method: "POST", url: "/console/login", headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" }, payload: `login=${encodeURIComponent(HOSTILE)}&password=wrong`, remoteAddress: "10.0.7.2" });
    expect(wrong.statusCode).toBe(401);
    expectText(wrong.body, ['name="login" autocomplete="username" required value="HOSTILE"']);
  });

  it("in the console's header and title on every console page", async () => {
    const pages = ["/console", "/console/patients", "/console/dashboard", "/console/flows", "/console/texts", "/console/settings", "/console/clinic", "/console/team", "/console/promo-codes", "/console/certificates", "/console/password"];
    for (const url of pages) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain("<img");
      expect(res.body, url).toContain(`<span class="clinic">Клиника ${SHOWN}</span>`);
      expect(res.body, url).toContain(`<a class="me" href="/console/password" title="Сменить пароль">Админ ${SHOWN}</a>`);
    }
    expectText((await get("/console")).body, ["<title>Консоль операторов — Клиника HOSTILE</title>"]);
  });

  it("on the dashboard: branch, doctor and campaign in headings, tables and the charts' SVG", async () => {
    const res = await get("/console/dashboard?branch=north");
    expect(res.statusCode).toBe(200);
    expectText(res.body, [
      "<title>Показатели клиники — Клиника HOSTILE</title>",
      "<h1>Показатели клиники — Филиал HOSTILE</h1>",
      '<option value="north" selected>Филиал HOSTILE</option>',
    ]);
    // The whole network's figures: the answer names the doctor (no branch), the campaign is the network's.
    expectText((await get("/console/dashboard")).body, [
      '<th scope="row">Доктор HOSTILE</th>',
      // The bar's label is cut to 32 characters (before escaping, so never inside an entity).
      '<text class="label" x="0" y="13">Доктор &#60;img src=x onerror=alert…</text>',
      "<title>Доктор HOSTILE: NPS",
      "<h3>Кампания HOSTILE</h3>",
    ]);
  });

  it("on the patients' pages: the patient's name and what the patient wrote", async () => {
    expectText((await get("/console/patients")).body, ["Пациент HOSTILE"]);
    expectText((await get(`/console/patients/${patientId}`)).body, ['<span class="text">Пишу HOSTILE</span>', "Пациент HOSTILE"]);
  });

  it("on the service's front door", async () => {
    expectText((await app.inject({ method: "GET", url: "/" })).body, ["<li><b>Клиника HOSTILE</b>"]);
  });
});
