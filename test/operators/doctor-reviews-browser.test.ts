// A doctor's own review links (settings.doctorReviewLinks) on the settings page in a real browser
// against the real server and database: the manager picks a doctor the clinic's visits name, gives
// them a ProDoctorov link, sees a bad address refused in Russian next to that link, saves, reloads
// and finds it; the bot then sends that doctor's patients there (src/domain/reviews/sites.ts).
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { reviewSitesFor } from "../../src/domain/reviews/sites.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

const PASSWORD = "doctor-reviews-pass-7";
const GROMOV = "Громов Артур Сергеевич";
const PRODOCTOROV = "https://prodoctorov.ru/moskva/vrach/123456-gromov/";

describe.skipIf(!HAS_CHROMIUM)(`doctors' review links on the settings page in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-24T09:00:00Z");

  const storedSettings = async () => parseClinicSettings((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings);
  const doctors = () => page.locator("#f-doctorReviewLinks");
  const firstDoctor = () => doctors().locator(".doctor").first();
  const visitBy = async (clinic: number, doctor: string, n: number) => {
    const patient = await createPatient(t.db.prisma, clinic, { fullName: `Пациент ${n}` });
    await t.db.prisma.visit.create({
      data: { clinicId: clinic, patientId: patient.id, externalId: `V-${n}`, doctor, service: "Осмотр", amount: 0, status: "completed", startsAt: new Date("2026-11-20T08:00:00Z"), completedAt: new Date("2026-11-20T09:00:00Z") },
    });
  };
  /** Latin words a Russian-speaking manager would see in the doctors' form and its errors (typed values and example addresses are not text). */
  const latinWords = async () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("[data-field='doctorReviewLinks'], #summary")].flatMap((el) => el.innerText.replace(/https?:\/\/\S+/g, "").match(/[A-Za-z]{2,}/g) ?? []),
    );

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, { reviewLinks: [{ label: "Яндекс Карты", url: "https://yandex.ru/maps/org/1/reviews" }] });
    clinicId = clinic.id;
    await visitBy(clinicId, GROMOV, 1);
    await visitBy(clinicId, GROMOV, 2);
    await visitBy(clinicId, "Лисицына Мария Олеговна", 3);
    // Another clinic's doctor is never offered here.
    const other = await createClinic(t.db.prisma, {});
    await visitBy(other.id, "Чужой Доктор Иванович", 4);
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("adds a doctor with a ProDoctorov link, refuses a bad address next to it, saves and finds it after a reload", async () => {
    // The clinic's page, where the clinic's own review links are, leads to the doctors' ones.
    await logInAt(page, url, "/console/clinic", "glavvrach", PASSWORD);
    await page.getByRole("link", { name: "Настройки → Отзывы о врачах" }).click();
    await page.waitForURL(`${url}/console/settings#f-doctorReviewLinks`);
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    // The doctors the clinic's visits name, once each, and no other clinic's.
    expect(await page.locator("#doctor-names option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([GROMOV, "Лисицына Мария Олеговна"]);
    await doctors().getByText("Своих ссылок у врачей нет").waitFor();

    await page.getByRole("button", { name: "+ Добавить врача" }).click();
    const name = firstDoctor().getByLabel("Врач (как в МИС)", { exact: true });
    expect(await name.getAttribute("list")).toBe("doctor-names");
    await name.fill(GROMOV);
    await firstDoctor().getByLabel("Подпись", { exact: true }).fill("ПроДокторов");
    await firstDoctor().getByLabel("Адрес страницы", { exact: true }).fill("prodoctorov.ru/gromov");
    // A second link row added and removed again leaves nothing behind.
    await firstDoctor().getByRole("button", { name: "+ Добавить ссылку" }).click();
    expect(await firstDoctor().locator(".doctor-link").count()).toBe(2);
    await firstDoctor().locator(".doctor-link").nth(1).getByRole("button", { name: /^Удалить/ }).click();
    expect(await firstDoctor().locator(".doctor-link").count()).toBe(1);

    const before = (await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString();
    await page.getByRole("button", { name: "Сохранить" }).click();
    const error = page.locator("#e-f-doctorReviewLinks");
    await error.waitFor();
    expect(await error.textContent()).toBe(`${GROMOV} › Адрес страницы: нужен адрес сайта, например https://example.ru/reviews`);
    expect(await firstDoctor().getByLabel("Адрес страницы", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await latinWords()).toEqual([]);
    await doctors().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "doctor-reviews-errors.png") });
    expect((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString()).toBe(before);

    await firstDoctor().getByLabel("Адрес страницы", { exact: true }).fill(PRODOCTOROV);
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#status").getByText("Сохранено").waitFor();
    expect((await storedSettings()).doctorReviewLinks).toEqual({ [GROMOV]: [{ label: "ПроДокторов", url: PRODOCTOROV }] });

    await page.reload();
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    expect(await firstDoctor().getByLabel("Врач (как в МИС)", { exact: true }).inputValue()).toBe(GROMOV);
    expect(await firstDoctor().getByLabel("Подпись", { exact: true }).inputValue()).toBe("ПроДокторов");
    expect(await firstDoctor().getByLabel("Адрес страницы", { exact: true }).inputValue()).toBe(PRODOCTOROV);
    expect(await latinWords()).toEqual([]);

    // What the bot does with it: Громов's patients go to ProDoctorov, the others to the clinic's page.
    const settings = await storedSettings();
    expect(reviewSitesFor(settings, null, GROMOV)).toEqual([{ label: "ПроДокторов", url: PRODOCTOROV }]);
    expect(reviewSitesFor(settings, null, "Лисицына Мария Олеговна")).toEqual([{ label: "Яндекс Карты", url: "https://yandex.ru/maps/org/1/reviews" }]);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator("#s-clinic").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "doctor-reviews-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await doctors().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "doctor-reviews-phone.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(problems.splice(0).filter((p) => !p.includes("the server responded with a status of 422 "))).toEqual([]);
  }, 90_000);

  it("names a doctor left without a name or listed twice, in Russian, before anything is sent", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("button", { name: "+ Добавить врача" }).click();
    const second = doctors().locator(".doctor").nth(1);
    await second.getByLabel("Адрес страницы", { exact: true }).fill(PRODOCTOROV);
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#e-f-doctorReviewLinks").getByText("укажите имя врача").waitFor();
    expect(await second.getByLabel("Врач (как в МИС)", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    await second.getByLabel("Врач (как в МИС)", { exact: true }).fill(GROMOV);
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#e-f-doctorReviewLinks").getByText(`врач «${GROMOV}» указан дважды`).waitFor();
    expect(await latinWords()).toEqual([]);
    expect((await storedSettings()).doctorReviewLinks).toEqual({ [GROMOV]: [{ label: "ПроДокторов", url: PRODOCTOROV }] });
    expect(problems.splice(0)).toEqual([]);
  }, 60_000);
});
