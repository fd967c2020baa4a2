import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser, SentMessage } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const TOKEN = "123456:BRANCH-E2E-TOKEN-00000000";
const API_TOKEN = "branch-e2e-api-token-0123456789";
const ADMIN_PASSWORD = "branch-admin-pass-42";

type Button = { text: string; callback_data?: string; url?: string };
type ReviewFigures = { invited: number; clicked: number; sites: { site: string; invited: number; clicked: number }[]; detractors: number; detractorsReturned: number; detractorReturnRate: number | null };

/**
 * A network's branch end to end: the MIS posts a visit at a branch, the promoter gets that branch's
 * review sites as link buttons (real grammY against the fake Bot API), following one is counted
 * once (real HTTP, the 302 to the site), and the branch's dashboard shows invited, clicked and
 * the detractors who came back.
 */
describe(`branches and review routing end to end on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  let admin: { cookie: string };
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow
  let userIds = 900;

  const mis = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const linkedPatient = async (externalId: string, fullName: string, phone: string): Promise<FakeUser> => {
    expect((await mis("POST", "/api/patients", { externalId, fullName, phone })).status).toBeLessThan(300);
    const user = fakeUser(++userIds, { firstName: fullName.split(" ")[1] });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone });
    await api.waitForMessages(user.id, 3, 10_000);
    return user;
  };
  const next = async (user: FakeUser, count: number): Promise<SentMessage> => (await api.waitForMessages(user.id, count, 10_000))[count - 1]!;
  const buttons = (message: SentMessage): Button[] => ((message.replyMarkup as { inline_keyboard?: Button[][] })?.inline_keyboard ?? []).flat();
  const press = (user: FakeUser, message: SentMessage, label: string) => api.pressButton(user, message.messageId, buttons(message).find((b) => b.text === label)!.callback_data!);
  const advance = async (ms: number) => {
    clock.advance(ms);
    await service.dispatcher.drain();
  };
  const visit = (externalId: string, patientExternalId: string, branch: string | undefined) => ({
    externalId, patientExternalId, doctor: "Орлова Ирина Викторовна", service: "Консультация терапевта", serviceCategory: "therapy", amount: 300_000, status: "completed",
    startsAt: clock.now().toISOString(), ...(branch ? { branch } : {}),
  });
  const reviews = async (branch: string): Promise<ReviewFigures> => {
    const res = await fetch(`${service.url}/console/api/dashboard?branch=${branch}`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { reviews: ReviewFigures }).reviews;
  };

  /** The manager logs in to the console (again after the clock jumps past the session's life). */
  const logIn = async () => {
    const login = await fetch(`${service.url}/console/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "branch-admin", password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    admin = { cookie: /carebot_console=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0] };
  };

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    const db = service.db.prisma;
    const clinic = await db.clinic.findFirstOrThrow();
    await db.branch.create({
      data: {
        clinicId: clinic.id, code: "north", name: "Филиал на Северной", address: "ул. Северная, 5", phone: "+74957771122",
        reviewLinks: [{ label: "Яндекс Карты", url: "https://yandex.ru/maps/org/north/reviews" }, { label: "2ГИС", url: "https://2gis.ru/firm/north" }],
      },
    });
    await db.branch.create({ data: { clinicId: clinic.id, code: "south", name: "Филиал на Южной", reviewLinks: [] } });
    await db.operator.create({ data: { clinicId: clinic.id, login: "branch-admin", role: "admin", displayName: "Админ сети", passwordHash: await hashPassword(ADMIN_PASSWORD) } });
    await logIn();
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("refuses a visit at a branch the clinic does not list with 400 naming the code", async () => {
    await linkedPatient("BR-0", "Антонова Вера", "+79165551000");
    const refused = await mis("POST", "/api/visits", visit("BR-V0", "BR-0", "nowhere"));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('unknown branch "nowhere"; the clinic\'s branches: north, south');
    expect(await service.db.prisma.visit.count({ where: { externalId: "BR-V0" } })).toBe(0);
  });

  it("a promoter of the branch gets its review sites as buttons; a click is counted once and redirects", async () => {
    const user = await linkedPatient("BR-1", "Лебедева Ирина", "+79165551001");
    expect((await mis("POST", "/api/visits", visit("BR-V1", "BR-1", "north"))).status).toBe(201);
    expect(await service.db.prisma.visit.findFirstOrThrow({ where: { externalId: "BR-V1" }, select: { branch: { select: { code: true } } } })).toEqual({ branch: { code: "north" } });
    await advance(2 * 3600_000 + 60_000);
    const question = await next(user, 4);
    press(user, question, "10");
    expect((await next(user, 5)).text).toMatch(/Что вам понравилось/);
    api.sendText(user, "Всё понравилось, спасибо");
    const thanks = await next(user, 6);
    expect(thanks.text).toMatch(/^Спасибо, нам очень приятно! Если будет минутка, оставьте, пожалуйста, отзыв — он поможет другим пациентам выбрать врача\. Кнопки ниже ведут на сайты отзывов\./);
    const links = buttons(thanks).filter((b) => b.url);
    expect(links.map((b) => b.text)).toEqual(["Яндекс Карты", "2ГИС"]);
    // The link names no patient: CareBot's own address and a random token.
    for (const link of links) expect(link.url).toMatch(/^http:\/\/localhost:\d+\/r\/[A-Za-z0-9_-]{22}$/);
    expect(buttons(thanks).some((b) => b.text === "Пригласить друга")).toBe(true);

    const path = new URL(links[0]!.url!).pathname;
    const first = await fetch(`${service.url}${path}`, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("https://yandex.ru/maps/org/north/reviews");
    const again = await fetch(`${service.url}${path}`, { redirect: "manual" });
    expect(again.status).toBe(302);
    expect((await fetch(`${service.url}/r/AAAAAAAAAAAAAAAAAAAAAA`, { redirect: "manual" })).status).toBe(404);

    const north = await reviews("north");
    expect(north).toMatchObject({ invited: 1, clicked: 1 });
    expect(north.sites).toEqual([
      { site: "Яндекс Карты", invited: 1, clicked: 1 },
      { site: "2ГИС", invited: 1, clicked: 0 },
    ]);
    expect(await reviews("south")).toMatchObject({ invited: 0, clicked: 0, sites: [] });
  });

  it("the branch's detractors' return rate: those who answered badly and had a later visit ÷ all of them", async () => {
    const back = await linkedPatient("BR-2", "Козлов Павел", "+79165551002");
    const gone = await linkedPatient("BR-3", "Зайцева Ольга", "+79165551003");
    for (const [user, id] of [[back, "BR-2"], [gone, "BR-3"]] as const) {
      await mis("POST", "/api/visits", visit(`${id}-V1`, id, "north"));
    }
    await advance(2 * 3600_000 + 60_000);
    for (const user of [back, gone]) {
      const question = await next(user, 4);
      press(user, question, "3");
      expect((await next(user, 5)).text).toContain("Что нам стоит улучшить?");
      api.sendText(user, "Долго ждали в коридоре");
      expect((await next(user, 6)).text).toContain("Нам очень жаль");
    }
    expect(await reviews("north")).toMatchObject({ detractors: 2, detractorsReturned: 0, detractorReturnRate: 0 });
    // A week later one of them comes back.
    clock.advance(7 * 24 * 3600_000);
    expect((await mis("POST", "/api/visits", visit("BR-2-V2", "BR-2", "north"))).status).toBe(201);
    await logIn();
    expect(await reviews("north")).toMatchObject({ detractors: 2, detractorsReturned: 1, detractorReturnRate: 0.5 });
    const page = await fetch(`${service.url}/console/dashboard?branch=north`, { headers: { cookie: admin.cookie } });
    const html = await page.text();
    expect(html).toContain(" — Филиал на Северной</h1>");
    expect(html).toContain("Отзывы и возвраты");
    expect((await fetch(`${service.url}/console/api/dashboard?branch=west`, { headers: { cookie: admin.cookie } })).status).toBe(400);
  });
});
