// The settings page in a real browser (Debian's Chromium driven by playwright-core) against the
// real HTTP server and database: an admin edits, saves, reloads; mistakes show next to their field.
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "settings-browser-pass-3";

describe.skipIf(!HAS_CHROMIUM)(`clinic settings page in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const storedSettings = async () => parseClinicSettings((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings);
  const hint = (id: string) => page.locator(`#h-${id}`);
  const error = (id: string) => page.locator(`#e-${id}`);
  /** Page problems other than Chromium's log line for an error answer the test asked for (422, 409). */
  const unexpectedProblems = (...expected: number[]) =>
    problems.splice(0).filter((p) => !expected.some((status) => p.includes(`the server responded with a status of ${status} `)));

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, { segments: [{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }] });
    clinicId = clinic.id;
    ({ app, url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("an admin logs in, reads the schedules in words, changes values, saves, and sees them after a reload", async () => {
    await logInAt(page, url, "/console/settings", "glavvrach", PASSWORD);
    await page.locator("#status").getByText("Последнее сохранение").waitFor();

    const accrual = page.getByLabel("Начисление, % от оплаты", { exact: true });
    expect(await accrual.inputValue()).toBe("5");
    expect(await page.getByLabel("Тихие часы: с", { exact: true }).inputValue()).toBe("21:00");
    expect(await page.getByLabel("Дни между напоминаниями", { exact: true }).inputValue()).toBe("0, 3, 7");
    expect(await hint("f-schedules-balanceReminder").textContent()).toBe("1-го числа каждого месяца в 11:00");
    expect(await hint("f-schedules-birthday").textContent()).toBe("каждый день в 10:00");
    expect(await hint("f-schedules-timers").textContent()).toBe("каждую минуту");
    expect(JSON.parse(await page.getByLabel("Сегменты пациентов", { exact: true }).inputValue())).toEqual([{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }]);
    await page.screenshot({ path: path.join(SHOTS, "settings.png") });
    await page.screenshot({ path: path.join(SHOTS, "settings-full.png"), fullPage: true });

    await accrual.fill("7,5");
    await page.getByLabel("Тихие часы: с", { exact: true }).fill("22:00");
    await page.getByLabel("Свой процент для категорий услуг", { exact: true }).fill("hygiene = 10\nimplants: 3");
    await page.getByLabel("Сгорание баллов", { exact: true }).fill("30 9 * * 1-5");
    expect(await hint("f-schedules-bonusExpiry").textContent()).toBe("по будням в 09:30");
    await page.getByLabel("Кампании", { exact: true }).fill(JSON.stringify([{ id: "spring", title: "Весенняя гигиена", segment: "sleeping", offer: { bonusPoints: 300 } }]));
    await page.locator("#status").getByText("Есть несохранённые изменения").waitFor();
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#status").getByText("Сохранено.").waitFor();

    const saved = await storedSettings();
    expect(saved.bonus.accrualPercent).toBe(7.5);
    expect(saved.bonus.categoryPercent).toEqual({ hygiene: 10, implants: 3 });
    expect(saved.quietHours.start).toBe("22:00");
    expect(saved.schedules.bonusExpiry).toBe("30 9 * * 1-5");
    expect(saved.campaigns.map((c) => c.id)).toEqual(["spring"]);

    await page.reload();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    expect(await page.getByLabel("Начисление, % от оплаты", { exact: true }).inputValue()).toBe("7.5");
    expect(await page.getByLabel("Тихие часы: с", { exact: true }).inputValue()).toBe("22:00");
    expect(await page.getByLabel("Свой процент для категорий услуг", { exact: true }).inputValue()).toBe("hygiene = 10\nimplants = 3");
    expect(JSON.parse(await page.getByLabel("Кампании", { exact: true }).inputValue())[0]).toMatchObject({ id: "spring", segment: "sleeping", flow: "reactivation" });
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);

  it("shows each server error next to its field and in the summary, and saves nothing", async () => {
    const before = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await page.getByLabel("Начисление, % от оплаты", { exact: true }).fill("150");
    await page.getByLabel("Пауза между рекламой, дней", { exact: true }).fill("три");
    const campaigns = JSON.parse(await page.getByLabel("Кампании", { exact: true }).inputValue());
    campaigns[0].offer.bonusPoints = 0;
    await page.getByLabel("Кампании", { exact: true }).fill(JSON.stringify(campaigns, null, 2));
    await page.getByRole("button", { name: "Сохранить" }).click();

    // The console is in Russian, and so are the server's problems (issue #17).
    await error("f-bonus-accrualPercent").getByText("не больше 100").waitFor();
    expect(await error("f-marketingCapDays").textContent()).toBe("нужно число");
    expect(await error("f-campaigns").textContent()).toBe("запись 1 › offer › bonusPoints: нужно целое число баллов, не меньше 1");
    expect(await page.getByLabel("Начисление, % от оплаты", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#summary-title").textContent()).toBe("Не сохранено: исправьте 3 — подробности у полей ниже.");
    expect(await page.locator("#summary-list li").allTextContents()).toEqual([
      "Начисление, % от оплаты — не больше 100",
      "Пауза между рекламой, дней — нужно число",
      "Кампании — запись 1 › offer › bonusPoints: нужно целое число баллов, не меньше 1",
    ]);
    expect(await page.locator('.toc a[data-toc="bonus"]').getAttribute("class")).toBe("has-error");
    await page.screenshot({ path: path.join(SHOTS, "settings-errors.png") });
    const after = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(after.updatedAt.toISOString()).toBe(before.updatedAt.toISOString());

    // A JSON slip is caught in the page, with its position, before anything is sent.
    await page.getByLabel("Начисление, % от оплаты", { exact: true }).fill("6");
    await page.getByLabel("Пауза между рекламой, дней", { exact: true }).fill("3");
    await page.getByLabel("Кампании", { exact: true }).fill('[{ "id": "spring", }]');
    await page.getByRole("button", { name: "Сохранить" }).click();
    await error("f-campaigns").getByText(/^ошибка в JSON: /).waitFor();
    expect(await error("f-bonus-accrualPercent").isHidden()).toBe(true);
    expect((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString()).toBe(before.updatedAt.toISOString());
    expect(unexpectedProblems(422)).toEqual([]);
  }, 60_000);

  it("tells the admin when a colleague saved first, and loads the fresh version on request", async () => {
    await page.reload();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    // A colleague saves through the API meanwhile.
    const row = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await t.db.prisma.clinic.update({ where: { id: clinicId }, data: { settings: { ...(row.settings as object), npsDelayMinutes: 90 } } });
    await page.getByLabel("Опрос NPS: через минут", { exact: true }).fill("60");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#summary-title").getByText("Пока вы редактировали, настройки сохранил кто-то другой").waitFor();
    await page.getByRole("button", { name: "Открыть свежую версию" }).click();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    expect(await page.getByLabel("Опрос NPS: через минут", { exact: true }).inputValue()).toBe("90");
    expect(await page.locator("#summary").isHidden()).toBe(true);
    expect(unexpectedProblems(409)).toEqual([]);
  }, 60_000);

  it("speaks English when the language cookie asks for it, hints included", async () => {
    await page.context().addCookies([{ name: "carebot_lang", value: "en", url }]);
    await page.reload();
    await page.locator("#status").getByText("Last saved").waitFor();
    expect(await page.locator("h1").textContent()).toBe("Clinic settings");
    expect(await page.getByLabel("Accrual, % of the amount paid", { exact: true }).inputValue()).toBe("7.5");
    expect(await hint("f-schedules-birthday").textContent()).toBe("every day at 10:00");
    expect(await hint("f-schedules-balanceReminder").textContent()).toBe("on day 1 of every month at 11:00");
    await page.getByLabel("Conversation timers", { exact: true }).fill("0 8 1 1 *");
    expect(await hint("f-schedules-timers").textContent()).toBe("minute 0, hour 8, day 1, month 1, weekday *");
    await page.getByLabel("Conversation timers", { exact: true }).fill("0 8 *");
    expect(await hint("f-schedules-timers").textContent()).toBe("needs five space-separated fields: minute hour day month weekday");
    await page.screenshot({ path: path.join(SHOTS, "settings-en.png") });
    await page.context().clearCookies({ name: "carebot_lang" });
    await page.reload();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);

  it("fits a phone screen (390×844) without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    expect(await page.getByRole("button", { name: "Сохранить" }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "settings-phone.png") });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);
});
