// The clinic page's branches form in Chromium against the real server and database: a manager adds
// a branch with its address, phone, review sites and own hours, is refused a wrong phone in
// Russian, and saves. Screenshots of the card: test-results/clinic-branches-{desktop,phone}.png.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "branches-browser-pass-3";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!HAS_CHROMIUM)(`the clinic page's branches in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
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
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("a manager adds a branch, is told in Russian what is wrong, and saves it", async () => {
    expect(browser).toBeDefined();
    await logInAt(page, url, "/console/clinic", "glavvrach", PASSWORD);
    const card = page.locator("#branches");
    await card.getByText("Филиалов пока нет").waitFor();
    const fresh = card.locator('fieldset[data-branch="new"]');
    await fresh.getByLabel("Название филиала").fill("Филиал на Северной");
    await fresh.getByLabel("Код для МИС").fill("north");
    await fresh.getByLabel("Адрес филиала").fill("Москва, ул. Северная, 5");
    await fresh.getByLabel("Телефон филиала").fill("12345");
    await fresh.getByLabel("Сайты отзывов филиала").fill("Яндекс Карты https://yandex.ru/maps/org/north\n2ГИС https://2gis.ru/firm/north");
    await fresh.getByLabel("Свой график работы").check();
    await fresh.getByLabel("Сб").fill("10:00-16:00");
    await card.getByRole("button", { name: "Сохранить филиалы" }).click();
    await page.locator("#branches").getByText("Филиалы не сохранены: исправьте отмеченные поля.").waitFor();
    await page.locator("#branches").getByText("Это не похоже на номер телефона").waitFor();
    expect(await t.db.prisma.branch.count({ where: { clinicId } })).toBe(0);

    await page.locator('#branches fieldset[data-branch="north"]').getByLabel("Телефон филиала").fill("8 (495) 777-11-22");
    await page.locator("#branches").getByRole("button", { name: "Сохранить филиалы" }).click();
    await page.locator("#branches").getByText("Филиалы сохранены.").waitFor();
    const stored = await t.db.prisma.branch.findFirstOrThrow({ where: { clinicId } });
    expect(stored).toMatchObject({
      code: "north",
      name: "Филиал на Северной",
      address: "Москва, ул. Северная, 5",
      phone: "+74957771122",
      reviewLinks: [
        { label: "Яндекс Карты", url: "https://yandex.ru/maps/org/north" },
        { label: "2ГИС", url: "https://2gis.ru/firm/north" },
      ],
    });
    expect((stored.calendar as { week: Record<string, unknown> }).week).toMatchObject({ mon: { start: "09:00", end: "20:00" }, sat: { start: "10:00", end: "16:00" }, sun: null });
    // The saved branch shows as itself, with a spare fieldset for the next one; no English word in Russian mode.
    await page.locator('#branches fieldset[data-branch="north"] legend', { hasText: "Филиал на Северной" }).waitFor();
    const words = await page.locator("#branches").innerText();
    expect(words).not.toMatch(/\b(Branch|Save|Name|Address|Phone|Remove|Code)\b/);

    await page.setViewportSize(DESKTOP);
    await page.locator("#branches").screenshot({ path: path.join(SHOTS, "clinic-branches-desktop.png") });
    await page.setViewportSize(PHONE);
    await page.locator("#branches").screenshot({ path: path.join(SHOTS, "clinic-branches-phone.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // The refused post answers 422 on purpose; nothing else went wrong in the page.
    expect(problems.splice(0).filter((p) => !p.includes("status of 422"))).toEqual([]);
  });
});
