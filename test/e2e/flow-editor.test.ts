// Issue #17 (flows in the browser), as a clinic lives it: a manager in Chromium rewrites the NPS
// question and adds a button, tries the draft in the preview sandbox, publishes; a patient in
// Telegram (real grammY against the loopback fake Bot API) gets the new text while a conversation
// started before finishes on the old version; a rollback brings the old text back.
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
import { logInAt, SHOTS } from "../support/console-server.ts";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeUser, SentMessage } from "../support/fake-bot-api/index.ts";

const TOKEN = "123456:FLOW-EDITOR-E2E-TOKEN-000000";
const PASSWORD = "flow-editor-admin-pass-7";
const NEW_ASK = "Как вам у нас сегодня? Оцените визит от 0 до 10 — нам важно каждое мнение.";
const NEW_BUTTON = "Перезвоните мне";

describe.skipIf(!HAS_CHROMIUM)(`flows edited in the browser, published to Telegram, rolled back on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let target: TestDatabase;
  let api: FakeBotApi;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const clock = new FixedClock("2026-12-03T08:00:00Z");

  const buttons = (m: SentMessage) => ((m.replyMarkup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat();
  const linked = async (n: number): Promise<{ user: FakeUser; identityId: number }> => {
    const patient = (await service.db.prisma.patient.findMany({ where: { phone: { not: null }, optedOutAt: null }, orderBy: { id: "asc" }, take: 2 }))[n]!;
    const user = fakeUser(700 + n, { firstName: patient.fullName.split(" ")[1], languageCode: "ru" });
    api.sendCommand(user, "/start");
    await api.waitForMessages(user.id, 1, 10_000);
    api.sendContact(user, { phone: patient.phone!.slice(1) });
    await api.waitForMessages(user.id, 3, 10_000);
    const identity = await service.db.prisma.channelIdentity.findFirstOrThrow({ where: { externalChatId: String(user.id) } });
    return { user, identityId: identity.id };
  };
  const nextMessage = async (user: FakeUser): Promise<SentMessage> => {
    const count = (await api.waitForMessages(user.id, 0, 100)).length;
    return (await api.waitForMessages(user.id, count + 1, 10_000))[count]!;
  };
  const startNps = async (who: { user: FakeUser; identityId: number }) => {
    const pending = nextMessage(who.user);
    await service.carebot.router.startFlow(who.identityId, "nps", { category: "care" });
    return pending;
  };

  beforeAll(async () => {
    target = await createEmptyDatabase();
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig(
      { DATABASE_URL: target.config.url, PORT: "0", TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_CHAT_INTERVAL_MS: "0", SCHEDULER_ENABLED: "0" },
      ROOT,
    );
    service = await startService(config, { logger: createLogger({ level: "silent", pretty: false }), clock });
    await service.db.prisma.operator.create({
      data: { clinicId: service.carebot.clinic.id, login: "manager", role: "admin", passwordHash: await hashPassword(PASSWORD), displayName: "Ольга Менеджер" },
    });
    ({ browser, page } = await openPage(problems));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await api?.close();
    await target?.drop();
  });

  it("edit, try the draft in the sandbox, publish, patients see it (a running chat finishes on the old one), roll back", async () => {
    const anna = await linked(0);
    const boris = await linked(1);
    // Anna's survey starts before anything changes.
    const oldAsk = await startNps(anna);
    expect(oldAsk.text).toContain("Оцените, пожалуйста, насколько вероятно");

    await logInAt(page, service.url, "/console/flows", "manager", PASSWORD);
    await page.locator('tr[data-flow="nps"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, "flows-list-desktop.png") });
    await page.locator('tr[data-flow="nps"] a').click();
    await page.waitForURL(`${service.url}/console/flows/nps`);
    await page.getByText("Новые разговоры начинаются по файлу из поставки (версия 0).").waitFor();
    // The diagram draws every state with its text and buttons.
    expect(await page.locator('.node[data-state="score"] .say').textContent()).toContain("Оцените, пожалуйста");
    expect(await page.locator(".node").count()).toBeGreaterThan(8);
    // The page and its steps are named in Russian; the file's ids are only small secondary labels.
    expect(await page.locator("h1").textContent()).toMatch(/^Опрос после визита/);
    expect(await page.locator('.node[data-state="comment"] h3').textContent()).toContain("Что нам стоит улучшить?");
    expect(await page.locator('.node[data-state="comment"] h3').textContent()).not.toContain("comment");
    expect(await page.locator('.node[data-state="comment"] > .step-id').textContent()).toBe("comment");
    expect(await page.locator('.node[data-state="recorded"] h3').textContent()).toContain("Развилка");
    expect(await page.locator('.node[data-state="score"] li').allTextContents()).toContain("оценка: 0–8 → 2. «Что нам стоит улучшить?»");
    expect(await page.locator('fieldset[data-path="states.comment"] legend').textContent()).toContain("Шаг 2 «Что нам стоит улучшить?»");
    expect(await page.locator("#nb-score-target option:checked").textContent()).toMatch(/^1\. [А-ЯЁ]/);

    await page.getByLabel("Текст по-русски").first().fill(NEW_ASK);
    await page.getByLabel("Надпись по-русски").first().fill(NEW_BUTTON);
    await page.getByLabel("Надпись по-английски").first().fill("Please call me");
    await page.locator("#nb-score-target").selectOption("comment");
    await page.getByRole("button", { name: "Добавить кнопку" }).first().click();
    await page.screenshot({ path: path.join(SHOTS, "flows-desktop.png"), fullPage: true });
    await page.getByRole("button", { name: "Сохранить черновик", exact: true }).click();
    await page.getByText("Черновик сохранён: версия 1.").waitFor();
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain("черновик");

    // A mistake in the JSON mode is named in Russian next to the field; nothing is saved.
    await page.locator("#advanced summary").click();
    const json = JSON.parse(await page.locator("#json").inputValue());
    json.states.score.on.NUMBER[0].target = "nowhere";
    await page.locator("#json").fill(JSON.stringify(json, null, 2));
    await page.getByRole("button", { name: "Сохранить черновик из JSON" }).click();
    await page.locator("#json-problems").getByText("states.score.on.NUMBER[0].target: нет шага «nowhere»", { exact: false }).waitFor();
    expect(await service.db.prisma.contentVersion.count()).toBe(1);

    // Try the draft: the preview opens with it, for a patient of the clinic, in the sandbox.
    const [preview] = await Promise.all([page.waitForEvent("popup"), page.locator('a[data-preview="1"]').click()]);
    await preview.locator("#patient-list button").first().click();
    await preview.locator("#chat-sub").getByText("чат preview-").waitFor();
    await preview.getByText("Черновик версии 1 (ещё не опубликован)", { exact: false }).waitFor();
    await preview.getByRole("button", { name: "Запустить" }).click();
    await preview.locator("#messages").getByText(NEW_ASK).waitFor();
    await preview.locator("#messages").getByRole("button", { name: NEW_BUTTON }).waitFor();
    await preview.close();
    // The sandbox changed nothing for patients: still the file.
    expect((await startNps(boris)).text).toContain("Оцените, пожалуйста, насколько вероятно");

    page.on("dialog", (dialog) => void dialog.accept());
    await page.locator("#publish-1").click();
    await page.getByText("Опубликована версия 1: новые разговоры начнутся по ней.").waitFor();
    await page.getByText("Новые разговоры начинаются по версии 1.").waitFor();

    // Boris's next survey is the new one, with the new button leading to the comment question.
    const newAsk = await startNps(boris);
    expect(newAsk.text).toBe(NEW_ASK);
    const call = buttons(newAsk).find((b) => b.text === NEW_BUTTON);
    expect(call, JSON.stringify(buttons(newAsk))).toBeDefined();
    const pending = nextMessage(boris.user);
    api.pressButton(boris.user, newAsk.messageId, call!.callback_data);
    expect((await pending).text).toContain("Напишите пару слов");

    // Anna's survey, started before, finishes on the old version.
    const annaNext = nextMessage(anna.user);
    api.sendText(anna.user, "9");
    expect((await annaNext).text).toContain("Что вам понравилось больше всего?");

    await page.reload();
    await page.locator('tr[data-version="1"]').waitFor();
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain("действует");
    // Comparing the file with version 1, in words.
    await page.locator("#compare-from").selectOption("0");
    await page.locator("#compare-to").selectOption("1");
    await page.getByRole("button", { name: "Сравнить" }).click();
    // Steps are named by their question, not by the file's ids.
    await page.locator("#changes").getByText(`новая кнопка «${NEW_BUTTON}», ведёт к шагу «Что нам стоит улучшить?»`, { exact: false }).waitFor();
    expect(await page.locator("#changes").textContent()).toContain(`→ «${NEW_ASK}»`);
    await page.screenshot({ path: path.join(SHOTS, "flows-versions-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, "flows-phone.png") });
    await page.locator("#editor").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "flows-editor-phone.png") });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Roll back to the shipped file: new conversations get the old text again.
    await page.locator("#rollback-0").click();
    await page.getByText("Возвращено: действует версия 0.").waitFor();
    expect((await startNps(boris)).text).toContain("Оцените, пожалуйста, насколько вероятно");

    const audit = await service.db.prisma.auditEntry.findMany({ where: { target: "flow:nps" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["flow.draft", "flow.publish", "flow.rollback"]);
    expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
  }, 120_000);
});
