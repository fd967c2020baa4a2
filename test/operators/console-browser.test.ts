// The console in a real browser (Debian's Chromium driven by playwright-core), against the whole
// service: the real grammY bot on the loopback fake Bot API, the outbox dispatcher, the HTTP server.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { CHROMIUM, HAS_CHROMIUM, openPage } from "../support/browser.ts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/app.ts";
import type { RunningService } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { ROOT } from "../support/cli.ts";
import { createMigratedTarget, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";

const SHOTS = path.join(ROOT, "test-results");
const TOKEN = "123456:CONSOLE-E2E-TOKEN-00000000";
const API_TOKEN = "console-e2e-api-token-0123456789";
const PASSWORD = "operator-password-42";

describe.skipIf(!HAS_CHROMIUM)(`operators' console in Chromium, whole service on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T07:00:00Z"); // Monday 10:00 in Moscow

  beforeAll(async () => {
    target = await createMigratedTarget();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", API_TOKEN, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    await service.db.prisma.operator.create({
      data: { clinicId: service.carebot.clinic.id, login: "olga", passwordHash: await hashPassword(PASSWORD), displayName: "Ольга Смирнова" },
    });
    const clinic = await service.db.prisma.clinic.findUniqueOrThrow({ where: { id: service.carebot.clinic.id } });
    await service.db.prisma.clinic.update({
      where: { id: clinic.id },
      data: {
        settings: parseClinicSettings({
          ...parseClinicSettings(clinic.settings),
          cannedReplies: [
            { id: "hello", title: "Приветствие", text: "{{patient.firstName}}, здравствуйте! Это {{operator.name}}, администратор." },
            { id: "address", title: "Как нас найти", text: "Мы находимся по адресу: {{clinic.address}}." },
          ],
        }),
      },
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

  it("a detractor's NPS answer opens an urgent escalation; the operator takes over, answers, sees the patient live, hands back", async () => {
    const mis = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    // The patient: registered by the MIS, links the Telegram chat by contact.
    expect((await mis("/api/patients", { externalId: "CON-1", fullName: "Лебедева Ирина Олеговна", phone: "+79165550101" })).status).toBeLessThan(300);
    const user = fakeUser(901, { firstName: "Ирина" });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone: "+79165550101" });
    await api.waitForMessages(user.id, 3, 10_000);
    // A tooth out this morning; two hours later the survey comes, and the patient is unhappy.
    const visit = { externalId: "CON-V1", patientExternalId: "CON-1", doctor: "Громов Артур Сергеевич", service: "Удаление зуба", serviceCategory: "dentistry", isProcedure: true, amount: 500_000, status: "completed", startsAt: "2026-11-23T06:00:00Z" };
    expect((await mis("/api/visits", visit)).status).toBeLessThan(300);
    clock.advance(2 * 3600_000 + 60_000);
    await service.dispatcher.drain();
    const survey = (await api.waitForMessages(user.id, 4, 10_000))[3]!;
    expect(survey.text).toContain("насколько вероятно, что вы порекомендуете нас");
    const two = (survey.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat().find((b) => b.text === "2")!;
    api.pressButton(user, survey.messageId, two.callback_data);
    await api.waitForMessages(user.id, 5, 10_000);
    api.sendText(user, "После удаления зуба опухла щека и болит");
    expect((await api.waitForMessages(user.id, 6, 10_000))[5]!.text).toMatch(/^Спасибо, что рассказали\. Мы срочно передали ваше сообщение врачу \(Громов Артур Сергеевич\)/);

    // The operator logs in and finds the escalation in the queue.
    await page.goto(`${service.url}/console`);
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel("Логин").fill("olga");
    await page.getByLabel("Пароль").fill(PASSWORD);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.waitForURL(`${service.url}/console`);
    const item = page.locator("[data-testid=queue-item]").filter({ hasText: "Лебедева Ирина Олеговна" });
    await item.waitFor();
    expect(await item.innerText()).toContain("жалоба на самочувствие");
    expect(await item.locator(".badge.urgent").first().innerText()).toBe("срочно");
    await page.locator("#live").getByText("онлайн").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-queue.png") });

    // English and back: the switch in the header keeps the page and its live updates.
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(`${service.url}/console`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.locator("#live").getByText("online").waitFor();
    expect(await item.innerText()).toContain("health complaint");
    expect(await item.innerText()).toMatch(/answer by \d{1,2} Nov/);
    await page.getByRole("button", { name: "Take over" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-queue-en.png") });
    await page.getByRole("link", { name: "Русский" }).click();
    await page.waitForURL(`${service.url}/console`);
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await item.innerText()).toContain("жалоба на самочувствие");
    await page.locator("#live").getByText("онлайн").waitFor();

    // Takes it over and answers: the answer reaches the patient's Telegram chat.
    await item.click();
    await page.locator("#chat-title").getByText("Лебедева Ирина Олеговна").waitFor();
    await page.getByRole("button", { name: "Взять диалог" }).click();
    await page.locator("#chat-status").getByText("у оператора: Ольга Смирнова").waitFor();
    await page.getByRole("button", { name: "Диалог у вас" }).waitFor();
    // A canned reply, written for this patient, goes into the reply box; the operator adds to it.
    await page.getByLabel("Шаблон ответа…").selectOption({ label: "Приветствие" });
    expect(await page.getByLabel("Текст").inputValue()).toBe("Ирина, здравствуйте! Это Ольга Смирнова, администратор.");
    await page.getByLabel("Текст").press("End");
    await page.getByLabel("Текст").pressSequentially(" Чем помочь?");
    await page.getByRole("button", { name: "Ответить", exact: true }).click();
    expect((await api.waitForMessages(user.id, 7, 10_000))[6]!.text).toBe("Ирина, здравствуйте! Это Ольга Смирнова, администратор. Чем помочь?");

    // The patient's next message shows up without a reload (Server-Sent Events); the bot stays quiet.
    api.sendText(user, "Да, могу подъехать сегодня после обеда");
    await page.locator("[data-testid=message][data-direction=inbound]").filter({ hasText: "могу подъехать сегодня" }).waitFor({ timeout: 10_000 });
    await page.getByLabel("Текст").fill("Позвонила пациентке, записали на осмотр");
    await page.getByRole("button", { name: "Заметка", exact: true }).click();
    await page.locator("[data-testid=message][data-direction=note]").filter({ hasText: "Позвонила пациентке" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "console-conversation.png") });
    const sentSoFar = (await api.waitForMessages(user.id, 7, 1000)).length;
    expect(sentSoFar).toBe(7);

    // On a phone: one section at a time; the chat keeps its composer on screen, the tabs reach the rest.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const composer = (await page.getByRole("button", { name: "Ответить", exact: true }).boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);
    expect(await page.getByLabel("Текст").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "console-conversation-phone.png") });
    await page.getByRole("button", { name: "Очередь", exact: true }).click();
    await item.waitFor({ state: "visible" });
    expect(await page.locator("#messages").isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, "console-queue-phone.png") });
    await page.getByRole("button", { name: "Карточка", exact: true }).click();
    await page.locator("#card-body").getByText("+79165550101").waitFor({ state: "visible" });
    // The short card links to the patient's full card.
    expect(await page.locator("[data-testid=open-card]").innerText()).toBe("Открыть карточку пациента");
    expect(await page.locator("[data-testid=open-card]").getAttribute("href")).toMatch(/^\/console\/patients\/\d+$/);
    await page.screenshot({ path: path.join(SHOTS, "console-card-phone.png") });
    // Back to the chat from the queue, as an operator on the go would.
    await page.getByRole("button", { name: "Очередь", exact: true }).click();
    await item.click();
    await page.locator("[data-testid=message][data-direction=note]").filter({ hasText: "Позвонила пациентке" }).waitFor({ state: "visible" });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Hands back: the bot speaks again and answers the patient's next message.
    await page.getByRole("button", { name: "Вернуть боту" }).click();
    await page.locator("#chat-status").getByText("завершён").or(page.locator("#chat-status").getByText("ведёт бот")).waitFor();
    // The survey had ended, so the bot has nothing to resume and says nothing until the patient writes.
    api.sendText(user, "меню");
    const menu = (await api.waitForMessages(user.id, 8, 10_000))[7]!;
    expect(menu.text).toMatch(/чем мы можем помочь/);

    // The escalation stays taken until resolved; resolving empties the queue.
    await page.getByRole("button", { name: "Решено" }).click();
    await page.locator("#queue").getByText("Очередь пуста").waitFor();
    const escalation = await service.db.prisma.escalation.findFirstOrThrow({ where: { patient: { externalId: "CON-1" } } });
    expect(escalation.status).toBe("resolved");

    // Phone width, empty queue: nothing sticks out sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, "console-phone.png") });

    // A link from an operators' alert opens its conversation directly.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${service.url}/console?conversation=${escalation.conversationId}`);
    await page.locator("#chat-title").getByText("Лебедева Ирина Олеговна").waitFor();

    // Logging out from the header's form lands on the login page; the console is closed again.
    await page.getByRole("button", { name: "Выйти" }).click();
    await page.waitForURL(/\/console\/login$/);
    await page.goto(`${service.url}/console`);
    await page.waitForURL(/\/console\/login\?next=/);
    expect(problems).toEqual([]);
  }, 90_000);
});
