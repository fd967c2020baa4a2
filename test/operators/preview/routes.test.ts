import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../../src/api/health.ts";
import { buildServer } from "../../../src/api/server.ts";
import type { ChatState } from "../../../src/channels/web/chat-state.ts";
import { PreviewSandboxes } from "../../../src/operators/preview/sandbox/preview-sandboxes.ts";
import { loadConfig } from "../../../src/config.ts";
import { createCareBot } from "../../../src/core.ts";
import type { CareBot } from "../../../src/core.ts";
import type { Db } from "../../../src/db/client.ts";
import { createLogger } from "../../../src/logger.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { hashPassword } from "../../../src/operators/password.ts";
import { ROOT } from "../../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { englishWordsIn } from "../../support/english-words.ts";
import { createClinic, createPatient, linkChat } from "../../support/fixtures.ts";

type Patient = Awaited<ReturnType<typeof createPatient>>;

describe(`flow preview API on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let app: FastifyInstance;
  let carebot: CareBot;
  let sandboxes: PreviewSandboxes;
  /** The database of a patient's open preview sandbox, where the preview's writes go. */
  const sandboxDb = async (patientId: number): Promise<Db> => (await sandboxes.find(patientId))!.db.prisma;
  let clinicId: number;
  let anna: Patient;
  let boris: Patient;
  const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow

  // The preview sits behind the operators' console login.
  let cookie = "";
  const post = async (url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as object, headers: { cookie } });
  const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });
  const state = (res: { statusCode: number; json(): unknown; body: string }): ChatState => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ChatState;
  };
  const session = async (patientId: number) => {
    const res = await post("/preview/api/session", { patientId });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { chatId: string }).chatId;
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    anna = await createPatient(db, clinicId, { fullName: "Петрова Анна Сергеевна", balance: 350 });
    boris = await createPatient(db, clinicId, { fullName: "Иванов Борис Петрович", locale: "en" });
    await db.patient.update({ where: { id: boris.id }, data: { optedOutAt: clock.now() } });
    // A patient of another clinic never shows up here.
    const other = await createClinic(db);
    await createPatient(db, other.id, { fullName: "Петров Чужой" });

    const logger = createLogger({ level: "silent", pretty: false });
    carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    sandboxes = new PreviewSandboxes(carebot);
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot, previewSandboxes: sandboxes });
    await app.ready();
    await db.operator.create({ data: { clinicId, login: "preview-staff", passwordHash: await hashPassword("preview-staff-password"), displayName: "Staff" } });
    const login = await app.inject({ method: "POST", url: "/console/login", payload: { login: "preview-staff", password: "preview-staff-password" } });
    // The console in English: the API's errors below are checked in its English wording.
    cookie = `${/carebot_console=[^;]+/.exec(String(login.headers["set-cookie"]))![0]}; carebot_lang=en`;
  });

  it("is closed to anyone not logged in to the console", async () => {
    expect((await app.inject({ method: "GET", url: "/preview/api/flows" })).statusCode).toBe(401);
    expect((await app.inject({ method: "POST", url: "/preview/api/session", payload: { patientId: anna.id } })).statusCode).toBe(401);
    const page = await app.inject({ method: "GET", url: "/preview", headers: { accept: "text/html" } });
    expect([page.statusCode, page.headers.location]).toEqual([303, "/console/login?next=%2Fpreview"]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it("serves the page in Russian with its own script only", async () => {
    const res = await get("/preview");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.headers["content-security-policy"]).toMatch(/script-src 'nonce-[^']+'/);
    expect(res.body).toContain('<html lang="ru">');
    expect(res.body).toContain("Клиника «Здоровье»");
    for (const label of ["Запустить", "Сбросить", "Пропустить ожидание", "Отправить", "Состояние"]) expect(res.body).toContain(label);
    expect(res.body).not.toMatch(/https?:\/\//);
    // Its one script is its own bundle (src/browser/preview.ts); the only other <script> is its data.
    const links = [...res.body.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith("data:"));
    expect(links).toEqual([expect.stringMatching(/^\/assets\/preview\.js\?v=[0-9a-f]{12}$/)]);
    const scripts = [...res.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs, body]) => (attrs!.includes('type="application/json"') ? "data" : body!.trim() === "" ? "bundle" : "inline"))).toEqual(["data", "bundle"]);
    const bundle = await get(links[0]!);
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers["content-type"]).toContain("javascript");
  });

  it("lists the clinic's patients by name, filtered in any case", async () => {
    const all = (await get("/preview/api/patients")).json() as { patients: unknown[] };
    expect(all.patients).toEqual([
      { id: boris.id, fullName: "Иванов Борис Петрович", locale: "en", balance: 0, optedOut: true },
      { id: anna.id, fullName: "Петрова Анна Сергеевна", locale: null, balance: 350, optedOut: false },
    ]);
    const found = (await get(`/preview/api/patients?q=${encodeURIComponent("пЕТРОВ")}`)).json() as { patients: { id: number }[] };
    // Both Petrovs of this clinic (Анна by family name, Борис by patronymic), not the other clinic's.
    expect(found.patients.map((p) => p.id)).toEqual([boris.id, anna.id]);
    const anyCase = (await get(`/preview/api/patients?q=${encodeURIComponent("анна")}`)).json() as { patients: { id: number }[] };
    expect(anyCase.patients.map((p) => p.id)).toEqual([anna.id]);
  });

  it("lists the loaded flows", async () => {
    const { flows } = (await get("/preview/api/flows")).json() as { flows: { id: string }[] };
    // Other flows come and go with the clinic's files; these ship with CareBot.
    const ids = flows.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["main-menu", "operator-request", "opt-out"]));
    expect(ids).toEqual([...ids].sort());
    expect(flows.find((f) => f.id === "opt-out")).toEqual({ id: "opt-out", version: 1, description: expect.stringContaining("больше не присылать сообщения"), category: "transactional" });
  });

  it("opens one linked web chat per patient, in the patient's sandbox only", async () => {
    const chatId = await session(anna.id);
    expect(chatId).toBe(`preview-${anna.id}`);
    expect(await session(anna.id)).toBe(chatId);
    const identities = await (await sandboxDb(anna.id)).channelIdentity.findMany({ where: { externalChatId: chatId } });
    expect(identities).toHaveLength(1);
    expect(await db.channelIdentity.count({ where: { externalChatId: chatId } })).toBe(0);
    expect(identities[0]).toMatchObject({ clinicId, channel: "web", patientId: anna.id, linkedAt: clock.now() });
    const empty = state(await get(`/preview/api/state?chatId=${chatId}`));
    expect(empty).toEqual({ transcript: [], conversation: null, escalations: [] });
  });

  it("talks through the router: menu, a pressed button, an escalation", async () => {
    const chatId = await session(anna.id);
    const menu = state(await post("/preview/api/send", { chatId, text: "меню" }));
    expect(menu.transcript).toMatchObject([
      { direction: "inbound", text: "меню", at: clock.now().toISOString() },
      {
        direction: "outbound",
        text: "Анна, чем мы можем помочь? Выберите, пожалуйста:",
        options: expect.arrayContaining([{ value: "menu-operator-request", label: "Связаться с администратором" }]),
      },
    ]);
    expect(menu.conversation).toMatchObject({ flowId: "main-menu", flowVersion: 1, state: "menu", status: "closed", timers: [] });

    const asked = state(await post("/preview/api/send", { chatId, choice: "menu-operator-request" }));
    // The pressed button reads as its label.
    expect(asked.transcript[2]).toMatchObject({ direction: "inbound", text: "Связаться с администратором" });
    expect(asked.transcript[3]!.text).toContain("ответят здесь же, в этом чате, до 23 ноября в 15:00");
    expect(asked.conversation).toMatchObject({ flowId: "operator-request", state: "requested", status: "bot", context: { question: null } });
    expect(asked.escalations).toEqual([
      { id: expect.any(Number), reason: "operator_request", priority: "high", status: "open", slaDueAt: "2026-11-23T12:00:00.000Z" },
    ]);

    const noted = state(await post("/preview/api/send", { chatId, text: "Болит зуб" }));
    expect(noted.conversation).toMatchObject({ state: "waiting", context: { question: "Болит зуб" } });
    // Each request is a new update: the same text twice is two messages.
    await post("/preview/api/send", { chatId, text: "Болит зуб" });
    expect(await (await sandboxDb(anna.id)).message.count({ where: { identity: { externalChatId: chatId }, direction: "inbound", text: "Болит зуб" } })).toBe(2);
    // The clinic's queue never saw the preview's escalation.
    expect(await db.escalation.count()).toBe(0);
  });

  it("sends a number choice as NUMBER and the contact button as the patient's phone", async () => {
    const chatId = await session(anna.id);
    await post("/preview/api/send", { chatId, choice: 7 });
    const contact = state(await post("/preview/api/send", { chatId, contact: true }));
    const inbound = await (await sandboxDb(anna.id)).message.findMany({ where: { identity: { externalChatId: chatId }, direction: "inbound" }, orderBy: { id: "desc" }, take: 2 });
    expect(inbound.map((m) => m.payload)).toEqual([
      { type: "CONTACT", phone: anna.phone, own: true },
      { type: "NUMBER", value: 7 },
    ]);
    expect(contact.transcript.filter((m) => m.direction === "inbound").at(-1)!.text).toBe(`[номер телефона ${anna.phone}]`);
  });

  it("skips the wait: «стоп» left unanswered ends in kept-silently, other chats keep their timers", async () => {
    const chatId = await session(anna.id);
    const borisChat = await session(boris.id);
    await post("/preview/api/send", { chatId: borisChat, text: "stop" });
    const asked = state(await post("/preview/api/send", { chatId, text: "стоп" }));
    expect(asked.conversation).toMatchObject({
      flowId: "opt-out",
      state: "confirm",
      status: "bot",
      timers: [{ event: "xstate.after.86400000.opt-out.confirm", dueAt: "2026-11-24T08:00:00.000Z" }],
    });

    const skipped = (await post("/preview/api/timers", { chatId })).json() as ChatState & { fired: number };
    expect(skipped.fired).toBe(1);
    expect(skipped.conversation).toMatchObject({ flowId: "opt-out", state: "kept-silently", status: "closed", timers: [] });
    const sandbox = await sandboxDb(anna.id);
    const conversation = await sandbox.conversation.findUniqueOrThrow({ where: { id: skipped.conversation!.id } });
    expect(conversation).toMatchObject({ status: "closed", timerDueAt: null });
    expect((await sandbox.patient.findUniqueOrThrow({ where: { id: anna.id } })).optedOutAt).toBeNull();

    const other = state(await get(`/preview/api/state?chatId=${borisChat}`));
    expect(other.conversation).toMatchObject({ flowId: "opt-out", state: "confirm", timers: [{ dueAt: "2026-11-24T08:00:00.000Z" }] });
    // Nothing waits any more in Anna's chat: a second skip fires nothing.
    expect(((await post("/preview/api/timers", { chatId })).json() as { fired: number }).fired).toBe(0);
  });

  it("starts a flow CareBot would start on its own", async () => {
    const chatId = await session(anna.id);
    const started = state(await post("/preview/api/start", { chatId, flowId: "opt-out" }));
    expect(started.conversation).toMatchObject({ flowId: "opt-out", state: "confirm", status: "bot" });
    expect(started.transcript.at(-1)).toMatchObject({ direction: "outbound", options: [{ value: "yes" }, { value: "no" }] });
    const kept = state(await post("/preview/api/send", { chatId, choice: "no" }));
    expect(kept.conversation).toMatchObject({ state: "kept", status: "closed" });
  });

  it("resets a preview chat into a fresh sandbox: transcript, conversations, escalations and outbox gone, the clinic's changes copied in", async () => {
    const chatId = await session(anna.id);
    await post("/preview/api/send", { chatId, text: "оператор" });
    const before = await sandboxDb(anna.id);
    expect(await before.outbox.count({ where: { identity: { externalChatId: chatId } } })).toBeGreaterThan(0);
    // The clinic renamed Anna meanwhile: a reset copies the patient again.
    await db.patient.update({ where: { id: anna.id }, data: { fullName: "Петрова Анна Викторовна" } });

    const reset = state(await post("/preview/api/reset", { chatId }));
    expect(reset).toEqual({ transcript: [], conversation: null, escalations: [] });
    const after = await sandboxDb(anna.id);
    expect(after).not.toBe(before);
    expect(await after.message.count()).toBe(0);
    expect(await after.conversation.count()).toBe(0);
    expect(await after.escalation.count()).toBe(0);
    expect(await after.outbox.count()).toBe(0);
    expect((await after.patient.findUniqueOrThrow({ where: { id: anna.id } })).fullName).toBe("Петрова Анна Викторовна");
    // Nothing of it ever was in the clinic's database.
    expect(await db.outbox.count()).toBe(0);
    expect(await db.conversation.count()).toBe(0);

    // The chat goes on afresh.
    const again = state(await post("/preview/api/send", { chatId, text: "меню" }));
    expect(again.transcript).toHaveLength(2);
    expect(again.conversation).toMatchObject({ flowId: "main-menu" });
  });

  it("refuses to reset a web chat that is not the preview's", async () => {
    await linkChat(db, clinicId, boris.id, `cli-${boris.id}`, "web");
    const res = await post("/preview/api/reset", { chatId: `cli-${boris.id}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: "chatId: only preview chats (preview-…) can be reset" });
  });

  it.each([
    ["/preview/api/session", {}, "patientId: is required"],
    ["/preview/api/session", { patientId: "7" }, "patientId: must be a patient id (a number)"],
    ["/preview/api/session", { patientId: 1.5 }, "patientId: must be a whole number"],
    ["/preview/api/send", { text: "меню" }, "chatId: is required"],
    ["/preview/api/send", { chatId: "" }, "chatId: must not be empty"],
    ["/preview/api/send", { chatId: "preview-1" }, "text: is required (or choice, or contact)"],
    ["/preview/api/send", { chatId: "preview-1", text: 5 }, "text: must be text"],
    ["/preview/api/send", { chatId: "preview-1", text: "   " }, "text: must not be empty"],
    ["/preview/api/send", { chatId: "preview-1", text: "да", choice: "yes" }, "choice: cannot come with text: send one at a time"],
    ["/preview/api/send", { chatId: "preview-1", choice: { value: 1 } }, "choice: must be an option's value (text or a number)"],
    ["/preview/api/start", { chatId: "preview-1" }, "flowId: is required"],
    ["/preview/api/timers", [], "body: must be a JSON object"],
    ["/preview/api/reset", { chatId: 12 }, "chatId: must be text"],
  ])("answers a bad body with 400 naming the field: POST %s %j", async (url, payload, error) => {
    const res = await post(url, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error });
  });

  it("answers in Russian when the console speaks Russian (its default)", async () => {
    const russian = cookie.replace("; carebot_lang=en", "");
    const ru = (url: string, payload: unknown) => app.inject({ method: "POST", url, payload: payload as object, headers: { cookie: russian } });
    const cases: [string, unknown, string][] = [
      ["/preview/api/session", {}, "patientId: нужно указать"],
      ["/preview/api/session", { patientId: "7" }, "patientId: нужен номер пациента (число)"],
      ["/preview/api/send", { chatId: "preview-1" }, "text: нужно указать (или choice, или contact)"],
      ["/preview/api/send", { chatId: "preview-1", text: "да", choice: "yes" }, "choice: нельзя вместе с text: отправляйте что-то одно"],
      ["/preview/api/timers", [], "запрос: нужен объект JSON"],
      ["/preview/api/send", { chatId: "preview-999999", text: "меню" }, "chatId: нет чата предпросмотра «preview-999999»; откройте его через POST /preview/api/session"],
    ];
    for (const [url, payload, error] of cases) {
      const res = await ru(url, payload);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json()).toEqual({ error });
      expect(englishWordsIn(error)).toEqual([]);
    }
    const broken = await app.inject({ method: "POST", url: "/preview/api/send", headers: { "content-type": "application/json", cookie: russian }, payload: "{chatId:" });
    expect([broken.statusCode, broken.json()]).toEqual([400, { error: "запрос: не читается как JSON" }]);
    const chatId = await session(anna.id);
    const unknownFlow = await ru("/preview/api/start", { chatId, flowId: "no-such-flow" });
    expect([unknownFlow.statusCode, unknownFlow.json()]).toEqual([400, { error: "flowId: сценарий «no-such-flow» не загружен" }]);
  });

  it("answers a bad query, a body that is not JSON and an unknown flow with 400", async () => {
    const noChat = await get("/preview/api/state");
    expect([noChat.statusCode, noChat.json()]).toEqual([400, { error: "chatId: is required" }]);
    const twoQ = await get("/preview/api/patients?q=a&q=b");
    expect([twoQ.statusCode, twoQ.json()]).toEqual([400, { error: "q: must be text (one q)" }]);
    const broken = await app.inject({ method: "POST", url: "/preview/api/send", headers: { "content-type": "application/json", cookie }, payload: "{chatId:" });
    expect(broken.statusCode).toBe(400);
    expect((broken.json() as { error: string }).error).toMatch(/^body: /);
    const chatId = await session(anna.id);
    const unknownFlow = await post("/preview/api/start", { chatId, flowId: "no-such-flow" });
    expect([unknownFlow.statusCode, unknownFlow.json()]).toEqual([400, { error: 'flowId: no flow "no-such-flow" is loaded' }]);
  });

  it("answers 404 for a chat or patient it does not know, and never reaches other channels' chats", async () => {
    await linkChat(db, clinicId, anna.id, "555000111", "telegram");
    for (const chatId of ["preview-999999", "555000111"]) {
      const res = await get(`/preview/api/state?chatId=${chatId}`);
      expect(res.statusCode).toBe(404);
      expect((res.json() as { error: string }).error).toMatch(/^chatId: no preview chat/);
      expect((await post("/preview/api/send", { chatId, text: "меню" })).statusCode).toBe(404);
      expect((await post("/preview/api/timers", { chatId })).statusCode).toBe(404);
      expect((await post("/preview/api/reset", { chatId })).statusCode).toBe(404);
    }
    // Nothing was written for the unknown chats.
    expect(await db.channelIdentity.count({ where: { externalChatId: "preview-999999" } })).toBe(0);
    const other = await db.patient.findFirstOrThrow({ where: { clinicId: { not: clinicId } } });
    const res = await post("/preview/api/session", { patientId: other.id });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: string }).error).toMatch(/^patientId: no patient/);
  });
});
