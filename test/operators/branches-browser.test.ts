// Branches in Chromium against the real server and database: a manager gives a branch its own
// days off and special hours on the clinic page (a wrong date refused in Russian, naming the
// field), picks a branch on the dashboard, and a branch's receptionist finds only their branch's
// patients. Screenshots: test-results/branch-calendar-{desktop,phone}.png and
// test-results/branch-patients-{desktop,phone}.png.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/operators/password.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { englishWordsIn } from "../support/english-words.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";

const PASSWORD = "branch-browser-pass-5";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!HAS_CHROMIUM)(`branches in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  const branch = { north: 0, south: 0 };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    branch.north = (await db.branch.create({ data: { clinicId, code: "north", name: "Филиал на Северной", address: "Москва, ул. Северная, 5", reviewLinks: [] } })).id;
    branch.south = (await db.branch.create({ data: { clinicId, code: "south", name: "Филиал на Южной", address: "Москва, ул. Южная, 12", reviewLinks: [] } })).id;
    let seq = 0;
    const seenAt = async (fullName: string, branchIds: number[]) => {
      const p = await createPatient(db, clinicId, { fullName });
      await linkChat(db, clinicId, p.id, `browser-${++seq}`);
      for (const branchId of branchIds) {
        await db.visit.create({ data: { clinicId, patientId: p.id, externalId: `BB-${++seq}`, doctor: "Громов А. С.", service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z"), completedAt: new Date("2026-11-20T09:00:00Z"), branchId } });
      }
    };
    await seenAt("Северова Анна Ивановна", [branch.north]);
    await seenAt("Кузнецов Игорь Павлович", [branch.north]);
    await seenAt("Общая Мария Львовна", [branch.north, branch.south]);
    await seenAt("Южанина Ольга Петровна", [branch.south]);
    const desk = await db.operator.create({ data: { clinicId, login: "north-desk", passwordHash: await hashPassword(PASSWORD), displayName: "Регистратура Северной" } });
    await db.operatorBranch.create({ data: { operatorId: desk.id, branchId: branch.north } });
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("a manager gives a branch its own days off and special hours, told in Russian what is wrong", async () => {
    expect(browser).toBeDefined();
    await page.setViewportSize(DESKTOP);
    await logInAt(page, url, "/console/clinic", "glavvrach", PASSWORD);
    const north = () => page.locator('#branches fieldset[data-branch="north"]');
    await north().getByLabel("Выходные дни филиала").fill("2026-12-30, 2026-13-01");
    await north().getByLabel("Особые часы работы").fill("2026-12-31 09:00-15:00\n2026-12-26 10:00-14:00");
    await page.locator("#branches").getByRole("button", { name: "Сохранить филиалы" }).click();
    await page.locator("#branches").getByText("Филиалы не сохранены: исправьте отмеченные поля.").waitFor();
    await north().getByText("Выходные дни филиала: «2026-13-01» — не дата.").waitFor();
    expect(await t.db.prisma.branch.findUniqueOrThrow({ where: { id: branch.north } })).toMatchObject({ calendar: null });

    await north().getByLabel("Выходные дни филиала").fill("2026-12-30, 2027-01-11");
    await page.locator("#branches").getByRole("button", { name: "Сохранить филиалы" }).click();
    await page.locator("#branches").getByText("Филиалы сохранены.").waitFor();
    const stored = await t.db.prisma.branch.findUniqueOrThrow({ where: { id: branch.north } });
    expect(stored.calendar).toEqual({
      version: 2,
      week: null,
      daysOff: ["2026-12-30", "2027-01-11"],
      specialHours: [
        { date: "2026-12-26", start: "10:00", end: "14:00" },
        { date: "2026-12-31", start: "09:00", end: "15:00" },
      ],
    });
    // The saved dates come back as the manager typed them; no English word in Russian mode.
    expect(await north().getByLabel("Выходные дни филиала").inputValue()).toBe("2026-12-30, 2027-01-11");
    expect(await north().getByLabel("Особые часы работы").inputValue()).toBe("2026-12-26 10:00-14:00\n2026-12-31 09:00-15:00");
    expect(englishWordsIn(await page.locator("#branches").innerText())).toEqual([]);

    await north().screenshot({ path: path.join(SHOTS, "branch-calendar-desktop.png") });
    await page.setViewportSize(PHONE);
    await north().screenshot({ path: path.join(SHOTS, "branch-calendar-phone.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // The refused post answers 422 on purpose; nothing else went wrong in the page.
    expect(problems.splice(0).filter((p) => !p.includes("status of 422"))).toEqual([]);
  });

  it("a manager picks a branch on the dashboard", async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${url}/console/dashboard`);
    await page.getByLabel("Филиал").selectOption({ label: "Филиал на Южной" });
    await page.getByRole("button", { name: "Показать" }).click();
    await page.waitForURL(`${url}/console/dashboard?branch=south`);
    await page.getByRole("heading", { level: 1, name: /Филиал на Южной/ }).waitFor();
    await page.getByText("по всей сети").waitFor();
    expect(problems.splice(0)).toEqual([]);
  });

  it("a branch's receptionist finds only their branch's patients", async () => {
    await page.context().clearCookies();
    await page.setViewportSize(DESKTOP);
    await logInAt(page, url, "/console/patients", "north-desk", PASSWORD);
    const names = async () => page.locator('[data-testid="patient-row"] .r-name').allInnerTexts();
    expect(await names()).toEqual(["Кузнецов Игорь Павлович", "Общая Мария Львовна", "Северова Анна Ивановна"]);
    expect(await page.getByTestId("branch-scope").innerText()).toContain("Филиал на Северной");
    await page.getByLabel("Имя или телефон").fill("Южанина");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.getByText("Никого не нашли").waitFor();
    await page.getByLabel("Имя или телефон").fill("");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.getByText("Северова Анна Ивановна").waitFor();
    expect(englishWordsIn(await page.locator("body").innerText())).toEqual([]);

    await page.screenshot({ path: path.join(SHOTS, "branch-patients-desktop.png") });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(SHOTS, "branch-patients-phone.png"), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(problems.splice(0)).toEqual([]);
  });
});
