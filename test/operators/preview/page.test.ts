// The preview page in a real browser (Debian's Chromium driven by playwright-core).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { CHROMIUM, HAS_CHROMIUM, openPage } from "../../support/browser.ts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRegistry } from "../../../src/api/health.ts";
import { buildServer } from "../../../src/api/server.ts";
import { loadConfig } from "../../../src/config.ts";
import { createCareBot } from "../../../src/core.ts";
import { createLogger } from "../../../src/logger.ts";
import { FixedClock } from "../../../src/util/clock.ts";
import { hashPassword } from "../../../src/operators/password.ts";
import { ROOT } from "../../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";

const SHOTS = path.join(ROOT, "test-results");

describe.skipIf(!HAS_CHROMIUM)(`flow preview page in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed; CI installs it)`}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let url: string;
  let annaId: number;
  const problems: string[] = [];

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    annaId = (await createPatient(t.db.prisma, clinic.id, { fullName: "Петрова Анна Сергеевна", balance: 1250 })).id;
    await createPatient(t.db.prisma, clinic.id, { fullName: "Иванов Борис Петрович", locale: "en" });
    await createPatient(t.db.prisma, clinic.id, { fullName: "Смирнова Екатерина Александровна" });
    const logger = createLogger({ level: "silent", pretty: false });
    const clock = new FixedClock("2026-11-23T08:00:00Z"); // Monday 11:00 in Moscow
    const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
    app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    ({ browser, page } = await openPage(problems));
    mkdirSync(SHOTS, { recursive: true });
    // The preview sits behind the operators' console login: log in through its form first.
    await t.db.prisma.operator.create({ data: { clinicId: clinic.id, login: "preview-staff", passwordHash: await hashPassword("preview-staff-password"), displayName: "Staff" } });
    await page.goto(`${url}/console/login?next=/preview`);
    await page.getByLabel("Логин").fill("preview-staff");
    await page.getByLabel("Пароль").fill("preview-staff-password");
    await page.getByRole("button", { name: "Войти" }).click();
    await page.waitForURL(`${url}/preview`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.dispose();
  });

  it("talks as a picked patient: menu, a pressed button, the escalation in the state panel", async () => {
    await page.goto(`${url}/preview`);
    await page.getByRole("heading", { name: "Предпросмотр сценариев" }).waitFor();
    await page.getByRole("button", { name: /Петрова Анна Сергеевна/ }).click();
    await page.locator("#chat-sub").getByText(`чат preview-${annaId}`).waitFor();
    expect(await page.locator("#patient-list [aria-pressed=true]").innerText()).toContain("баллов: 1");

    await page.getByLabel("Сообщение").fill("меню");
    await page.getByRole("button", { name: "Отправить" }).click();
    const menu = page.locator("[data-testid=message][data-direction=outbound]").filter({ hasText: "Анна, чем мы можем помочь?" });
    await menu.waitFor();
    const operatorButton = menu.getByRole("button", { name: "Связаться с администратором" });
    expect(await operatorButton.isEnabled()).toBe(true);
    await page.locator("[data-testid=state-flow-id]").getByText("main-menu").waitFor();

    await operatorButton.click();
    await page.locator("[data-testid=message][data-direction=outbound]").filter({ hasText: "ваш запрос передан администратору клиники" }).waitFor();
    await page.locator("[data-testid=message][data-direction=inbound]").filter({ hasText: "Связаться с администратором" }).waitFor();
    await page.locator("[data-testid=state-flow-id]").getByText("operator-request").waitFor();
    const escalation = page.locator("[data-testid=escalation]");
    await escalation.first().waitFor();
    expect(await escalation.count()).toBe(1);
    expect(await escalation.innerText()).toMatch(/открыто[\s\S]*просит связаться с человеком/);
    // The menu's buttons are history now: only the last message's buttons can be pressed.
    expect(await operatorButton.isDisabled()).toBe(true);
    expect(await page.locator("#state-flow").innerText()).toMatch(/Состояние\s+requested/);
    expect(await page.locator("#timers").isDisabled()).toBe(true);

    // What a patient types is text, never markup.
    await page.getByLabel("Сообщение").fill("<b>x</b> & <img src=x onerror=alert(1)>");
    await page.keyboard.press("Enter");
    const typed = page.locator("[data-testid=message][data-direction=inbound] .bubble").filter({ hasText: "<b>x</b>" });
    await typed.waitFor();
    expect(await typed.innerText()).toBe("<b>x</b> & <img src=x onerror=alert(1)>");
    expect(await page.locator("#messages b, #messages img").count()).toBe(0);
    await page.locator("#state-flow").getByText("waiting").waitFor();

    await page.screenshot({ path: path.join(SHOTS, "preview-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, "preview-phone.png") });
    await page.screenshot({ path: path.join(SHOTS, "preview-phone-full.png"), fullPage: true });
    // On a phone nothing spills sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  }, 60_000);

  it("skips the wait and resets from the side panel", async () => {
    await page.getByLabel("Сообщение").fill("стоп");
    await page.getByRole("button", { name: "Отправить" }).click();
    await page.locator("#state-flow").getByText("confirm").waitFor();
    await page.locator("#state-timers").getByText("xstate.after.86400000.opt-out.confirm").waitFor();
    await page.getByRole("button", { name: "Пропустить ожидание" }).click();
    await page.locator("#state-flow").getByText("kept-silently").waitFor();
    expect(await page.locator("#state-flow").innerText()).toContain("завершён");
    await page.getByRole("button", { name: "Сбросить" }).click();
    await page.getByText("Сообщений пока нет.").waitFor();
    expect(await page.locator("[data-testid=message]").count()).toBe(0);
    expect(await page.locator("[data-testid=escalation]").count()).toBe(0);

    await page.getByLabel("Сценарий", { exact: true }).selectOption("opt-out");
    await page.getByRole("button", { name: "Запустить" }).click();
    await page.getByRole("button", { name: "Нет, оставить" }).click();
    await page.getByText("всё остаётся как было").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "preview-desktop-reset.png") });
    expect(problems).toEqual([]);
  }, 60_000);

  it("answers a patient who writes as patients do: «хочу записаться», then «меню»", async () => {
    await page.getByRole("button", { name: "Сбросить" }).click();
    await page.getByText("Сообщений пока нет.").waitFor();
    const outbound = page.locator("[data-testid=message][data-direction=outbound] .bubble");
    await page.getByLabel("Сообщение").fill("хочу записаться");
    await page.keyboard.press("Enter");
    await outbound.first().waitFor();
    const booking = await outbound.last().innerText();
    // A request for a person to book (not the menu, not an apology), with when they will answer.
    expect(booking).toMatch(/^Передали администратору, что вы хотите записаться, — вам ответят здесь до /);
    const before = await outbound.count();
    await page.getByLabel("Сообщение").fill("меню");
    await page.keyboard.press("Enter");
    await page.locator("[data-testid=message][data-direction=outbound]").filter({ hasText: "Анна, чем мы можем помочь?" }).waitFor();
    expect(await outbound.count()).toBeGreaterThan(before);
    await page.screenshot({ path: path.join(SHOTS, "preview-desktop-booking.png") });
    expect(problems).toEqual([]);
  }, 60_000);
});
