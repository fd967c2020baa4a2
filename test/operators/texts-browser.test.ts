// The texts page in a real browser (Debian's Chromium driven by playwright-core) against the real
// server and database: a manager opens «nps.ask», edits the Russian text, sees it rendered for a
// patient as she types, gets a Russian error at the line of a typo, fixes it and publishes.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const PASSWORD = "texts-browser-pass-7";

describe.skipIf(!HAS_CHROMIUM)(`texts page in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    clinicId = clinic.id;
    await createPatient(t.db.prisma, clinicId, { fullName: "Смирнова Ольга Игоревна", balance: 700 });
    await createPatient(t.db.prisma, clinicId, { fullName: "Кузнецов Пётр Андреевич", balance: 0 });
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("a manager edits «nps.ask» in Russian with a live rendering, gets a Russian error at the line, fixes it and publishes", async () => {
    await logInAt(page, url, "/console/texts", "glavvrach", PASSWORD);
    await page.getByRole("heading", { name: "Тексты сообщений" }).waitFor();
    await page.getByLabel("Найти текст").fill("оцените");
    await page.locator('#list button[data-key="nps.ask"]').click();
    await page.getByRole("heading", { name: "nps.ask" }).waitFor();
    expect(await page.locator("#patient option:checked").textContent()).toBe("Кузнецов Пётр Андреевич");
    await page.locator("#patient").selectOption({ label: "Смирнова Ольга Игоревна" });
    await page.locator("#preview-ru").getByText(/^Ольга, спасибо, что были у нас!/).waitFor();
    await page.locator("#preview-en").getByText(/^Ольга, thank you for visiting us!/).waitFor();

    const ru = page.getByRole("textbox", { name: "Русский" });
    await ru.fill("Здравствуйте!\n{{patient.frstName}}, оцените, пожалуйста, визит от 0 до 10.");
    await page.locator("#problems-ru li").getByText("Строка 2: неизвестная переменная «patient.frstName»").waitFor();
    expect(await page.locator("#editor .gutter div.bad").allTextContents()).toEqual(["2"]);
    expect(await page.locator("#preview-ru").textContent()).toBe("Показать не получилось — см. ошибки выше.");
    await page.getByRole("button", { name: "Опубликовать" }).click();
    await page.locator("#status").getByText("Не опубликовано: исправьте ошибки, отмеченные у строк.").waitFor();
    expect(await t.db.prisma.contentVersion.count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "texts-errors.png") });

    await ru.fill("Здравствуйте!\n");
    await page.locator('#chips button[data-variable="patient.firstName"]').click();
    await ru.press("End");
    await ru.pressSequentially(", оцените, пожалуйста, визит от 0 до 10.");
    await page.locator("#preview-ru").getByText("Здравствуйте!\nОльга, оцените, пожалуйста, визит от 0 до 10.").waitFor();
    await page.locator("#problems-ru li.ok").getByText("Ошибок нет.").waitFor();
    expect(await page.locator("#editor .gutter div.bad").count()).toBe(0);

    await page.getByRole("button", { name: "Сравнить с поставкой" }).first().click();
    await page.locator("#diff-ru .add").first().waitFor();
    expect(await page.locator("#diff-ru .add").allTextContents()).toEqual(["+ Здравствуйте!", "+ {{patient.firstName}}, оцените, пожалуйста, визит от 0 до 10."]);
    await page.screenshot({ path: path.join(SHOTS, "texts-desktop.png") });

    await page.getByRole("button", { name: "Опубликовать" }).click();
    await page.locator("#status").getByText("Опубликовано: новые сообщения пациентам идут с этим текстом.").waitFor();
    expect(await page.locator("#state-ru").textContent()).toBe("Сейчас у пациентов: версия 1");
    expect(await page.locator("#history tbody tr").first().locator("td").allTextContents()).toEqual(["Русский", "1", "опубликован", "Ирина Главврач", expect.stringMatching(/^23\.11\.2026/), "Сравнить"]);
    const live = await t.db.prisma.contentVersion.findFirstOrThrow({ where: { clinicId, key: "nps.ask:ru", status: "published" } });
    expect(live.body).toEqual({ source: "Здравствуйте!\n{{patient.firstName}}, оцените, пожалуйста, визит от 0 до 10." });
    expect(await page.locator('#list button[data-key="nps.ask"] .tag.own').textContent()).toBe("изменён");

    // In Russian mode no English word shows outside the texts themselves.
    const words = await page.locator("aside h1, aside .intro, #list h2, .tag, #editor h3, #editor .state, #editor label, #editor button, #editor th, #status, .bubble-title, .chips-title, .used").allTextContents();
    expect(words.join(" ").replace(/\b(?:nps|English|CareBot)\b/g, "").replace(/[a-zA-Z]+\.[a-zA-Z.]+/g, "")).not.toMatch(/[A-Za-z]{3,}/);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, "texts-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "texts-desktop-published.png") });
  }, 90_000);
});
