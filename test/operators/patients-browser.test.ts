// The patients section in a real browser (Debian's Chromium via playwright-core) against the whole
// service: an operator finds a patient by «8 916», opens the card and writes first; the message
// leaves through the outbox dispatcher and the real grammY bot to the loopback fake Bot API.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM, openPage } from "../support/browser.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";

const SHOTS = path.join(ROOT, "test-results");
const TOKEN = "123456:PATIENTS-E2E-TOKEN-00000000";
const API_TOKEN = "patients-e2e-api-token-0123456789";
const PASSWORD = "operator-password-42";

describe.skipIf(!HAS_CHROMIUM)(`patients section in Chromium, whole service on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow

  const mis = (route: string, body: unknown) =>
    fetch(`${service.url}${route}`, { method: "POST", headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    // A shift operator, not an admin: the patients section is every operator's.
    await service.db.prisma.operator.create({
      data: { clinicId: service.carebot.clinic.id, login: "olga", passwordHash: await hashPassword(PASSWORD), displayName: "Ольга Смирнова" },
    });
    ({ browser, page } = await openPage(problems));
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("an operator finds a patient by «8 916», opens the card and writes first; the patient gets it in Telegram", async () => {
    // Patients from the MIS; one links her Telegram chat by sharing her contact.
    expect((await mis("/api/patients", { externalId: "PAT-1", fullName: "Лебедева Ирина Олеговна", phone: "+79165550101", birthDate: "1986-03-02" })).status).toBeLessThan(300);
    expect((await mis("/api/patients", { externalId: "PAT-3", fullName: "Орлова Мария Викторовна", phone: "+79167770000" })).status).toBeLessThan(300);
    // Five days ago: past the clinic's three days for a survey, so her chat holds only what this test says
    // (a survey due at once would go out whenever the dispatcher meets it, before or after the operator's words).
    const visit = { externalId: "PAT-V1", patientExternalId: "PAT-1", doctor: "Громов Артур Сергеевич", service: "Профессиональная гигиена", serviceCategory: "dentistry", amount: 450_000, status: "completed", startsAt: "2026-11-18T07:00:00Z" };
    expect((await mis("/api/visits", visit)).status).toBeLessThan(300);
    const user = fakeUser(951, { firstName: "Ирина" });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone: "+79165550101" });
    await api.waitForMessages(user.id, 3, 10_000);
    const before = api.messagesTo(user.id).length;

    // Logs in at the patients section and searches the way people read a number out.
    await page.goto(`${service.url}/console/patients`);
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel("Логин").fill("olga");
    await page.getByLabel("Пароль").fill(PASSWORD);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.waitForURL(`${service.url}/console/patients`);
    // The demo clinic's patients are listed too, a page at a time.
    expect(await page.locator("[data-testid=patient-row]").count()).toBe(25);
    await page.getByLabel("Имя или телефон").fill("8 916");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.waitForURL(/q=8\+916/);
    const rows = page.locator("[data-testid=patient-row]");
    // Every result has a number starting +7 916 (masked).
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/\+7916\*\*\*\d{4}/);
    const irina = rows.filter({ hasText: "Лебедева Ирина Олеговна" });
    expect(await irina.innerText()).toContain("+7916***0101");
    expect(await irina.innerText()).toContain("Telegram");
    expect(await page.locator("main").innerText()).not.toContain("5550101");
    await page.screenshot({ path: path.join(SHOTS, "patients-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, "patients-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The card: what the clinic knows of her, in Russian.
    await irina.click();
    await page.getByRole("heading", { name: "Лебедева Ирина Олеговна" }).waitFor();
    const card = await page.locator("main").innerText();
    for (const text of ["2 марта 1986", "+7 916 555 01 01", "Профессиональная гигиена", "Громов Артур Сергеевич", "состоялся", "Telegram · можно написать", "получает"]) {
      expect(card, text).toContain(text);
    }
    expect(await page.getByRole("link", { name: "+7 916 555 01 01" }).getAttribute("href")).toBe("tel:+79165550101");

    // Writes first: the message goes out through the dispatcher to her Telegram chat.
    await page.getByLabel("Текст сообщения").fill("Ирина Олеговна, здравствуйте! Это клиника. Врач просил напомнить о контрольном снимке.");
    await page.getByRole("button", { name: "Отправить" }).click();
    await page.locator("[data-testid=notice]").getByText("Сообщение отправляется в Telegram.").waitFor();
    const received = await api.waitForMessages(user.id, before + 1, 10_000);
    expect(received[before]!.text).toBe("Ирина Олеговна, здравствуйте! Это клиника. Врач просил напомнить о контрольном снимке.");
    // Her answer goes to the bot like any message; the card shows it among the latest messages.
    api.sendText(user, "Спасибо! А в какое время можно подъехать на снимок?");
    await api.waitForMessages(user.id, before + 2, 10_000);
    await page.reload();
    await page.locator("[data-testid=card-message]").filter({ hasText: "в какое время можно подъехать" }).waitFor();
    const line = page.locator("[data-testid=card-message]").filter({ hasText: "контрольном снимке" });
    expect(await line.innerText()).toContain("Ольга Смирнова");
    expect(await line.innerText()).toContain("отправлено 10:00");
    await page.screenshot({ path: path.join(SHOTS, "patient-card-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, "patient-card-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // A patient with no messenger: the card says so before the operator types a word.
    await page.goto(`${service.url}/console/patients?q=${encodeURIComponent("орлова")}`);
    await page.locator("[data-testid=patient-row]").filter({ hasText: "Орлова Мария Викторовна" }).click();
    await page.getByText("Написать некуда: пациент не подключил Telegram, MAX или WhatsApp, или заблокировал бота.").waitFor();
    expect(await page.getByRole("button", { name: "Отправить" }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  }, 90_000);
});
