// The staff page, the password page and the clinic page in a real browser (Chromium through
// playwright-core) against the real server and database: an admin adds an operator and reads the
// one-time password, the operator's first login goes through choosing a new password, the admin
// disables them; the clinic's profile is edited, refused in Russian, saved. Screenshots at laptop
// and phone sizes go to test-results/ (team-*, clinic-*).
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { clippedHeader } from "../support/layout-checks.ts";

const PASSWORD = "team-browser-pass-7";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!HAS_CHROMIUM)(`staff and clinic pages in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  const shoot = async (p: Page, name: string) => {
    await p.setViewportSize(DESKTOP);
    // The top bar keeps every piece whole (the clinic's name was cut to «К…» at 1280 px) at both widths.
    expect(await clippedHeader(p), `${name} at 1280 px`).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
    await p.setViewportSize(PHONE);
    expect(await clippedHeader(p), `${name} at 390 px`).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
    // Nothing wider than the phone's screen.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await p.setViewportSize(DESKTOP);
  };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    clinicId = clinic.id;
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
    page.on("dialog", (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("an admin adds an operator, whose first login sets a new password; then disables them", async () => {
    await logInAt(page, url, "/console/team", "glavvrach", PASSWORD);
    await page.locator('tr[data-login="glavvrach"]').getByText("это вы").waitFor();
    await page.getByLabel("Логин", { exact: true }).fill("olga.s");
    await page.getByLabel("Имя", { exact: true }).fill("Ольга Смирнова");
    await page.getByRole("button", { name: "Добавить" }).click();
    await page.waitForFunction(() => Boolean(document.getElementById("otp-value")?.textContent));
    const otp = (await page.locator("#otp-value").textContent()) ?? "";
    expect(otp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await page.locator("#otp-for").textContent()).toBe("— Ольга Смирнова");
    const row = page.locator('tr[data-login="olga.s"]');
    expect(await row.textContent()).toContain("ждём смены пароля");
    expect(await row.textContent()).toContain("входов ещё не было");
    await shoot(page, "team");

    // The operator, in a browser of their own.
    const theirs = await browser.newPage({ viewport: DESKTOP, locale: "ru-RU" });
    await theirs.goto(`${url}/console/login`);
    await theirs.getByLabel("Логин", { exact: true }).fill("olga.s");
    await theirs.getByLabel("Пароль", { exact: true }).fill(otp);
    await theirs.getByRole("button", { name: "Войти" }).click();
    await theirs.waitForURL(/\/console\/password\?next=/);
    expect(await theirs.locator("main").textContent()).toContain("Вы вошли с одноразовым паролем");
    await theirs.screenshot({ path: path.join(SHOTS, "password-desktop.png") });
    await theirs.setViewportSize(PHONE);
    await theirs.screenshot({ path: path.join(SHOTS, "password-phone.png"), fullPage: true });
    await theirs.setViewportSize(DESKTOP);
    await theirs.getByLabel("Одноразовый пароль", { exact: true }).fill(otp);
    await theirs.getByLabel("Новый пароль", { exact: true }).fill("коротко");
    await theirs.getByLabel("Новый пароль ещё раз", { exact: true }).fill("коротко");
    // The browser's own minlength check would stop the form: the server's answer is what is tested.
    await theirs.evaluate(() => document.querySelectorAll("input[minlength]").forEach((i) => i.removeAttribute("minlength")));
    await theirs.getByRole("button", { name: "Сменить пароль" }).click();
    await theirs.getByText("Пароль должен быть не короче 10 символов.").waitFor();
    await theirs.getByLabel("Одноразовый пароль", { exact: true }).fill(otp);
    await theirs.getByLabel("Новый пароль", { exact: true }).fill("мой новый пароль");
    await theirs.getByLabel("Новый пароль ещё раз", { exact: true }).fill("мой новый пароль");
    await theirs.getByRole("button", { name: "Сменить пароль" }).click();
    await theirs.waitForURL(`${url}/console`);

    await page.reload();
    await row.getByRole("button", { name: "Отключить" }).click();
    await row.getByText("Отключён").waitFor();
    await theirs.goto(`${url}/console`);
    await theirs.waitForURL(/\/console\/login/);
    await theirs.close();
    const olga = await t.db.prisma.operator.findUniqueOrThrow({ where: { login: "olga.s" } });
    expect(olga.disabledAt).not.toBeNull();
    expect(olga.mustChangePassword).toBe(false);
    expect(problems.splice(0)).toEqual([]);
  });

  it("the clinic's profile: the phone shown formatted, a mistake refused in Russian, a save kept", async () => {
    await page.goto(`${url}/console/clinic`);
    expect(await page.locator("#phone-link").textContent()).toBe("+7 495 123-45-67");
    expect(await page.locator("#phone-link").getAttribute("href")).toBe("tel:+74951234567");
    await page.getByLabel("Телефон", { exact: true }).fill("123");
    await page.getByRole("button", { name: "Сохранить", exact: true }).click();
    await page.getByText("Это не похоже на номер телефона.").waitFor();

    await page.getByLabel("Название", { exact: true }).fill("Клиника «Добрый доктор»");
    await page.getByLabel("Часовой пояс", { exact: true }).selectOption({ label: "Новосибирск (UTC+7)" });
    await page.getByLabel("Телефон", { exact: true }).fill("8 (383) 555-12-34");
    const labels = page.getByLabel("Подпись", { exact: true });
    const urls = page.getByLabel("Адрес страницы", { exact: true });
    await labels.nth(0).fill("Яндекс Карты");
    await urls.nth(0).fill("https://yandex.ru/maps/org/dobryi-doktor");
    await labels.nth(1).fill("2ГИС");
    await urls.nth(1).fill("https://2gis.ru/novosibirsk/firm/1");
    await page.getByRole("button", { name: "Добавить ссылку" }).click();
    await labels.nth(2).fill("ПроДокторов");
    await urls.nth(2).fill("https://prodoctorov.ru/novosibirsk/lpu/1");
    await page.getByLabel("Суббота: Рабочий день", { exact: true }).check();
    await page.getByLabel("Суббота: с", { exact: true }).fill("10:00");
    await page.getByLabel("Суббота: до", { exact: true }).fill("16:00");
    await page.getByRole("button", { name: "Сохранить", exact: true }).click();
    await page.getByText("Сохранено.").waitFor();
    expect(await page.locator("#phone-link").textContent()).toBe("+7 383 555-12-34");
    await shoot(page, "clinic");

    const row = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(row).toMatchObject({ name: "Клиника «Добрый доктор»", timezone: "Asia/Novosibirsk" });
    const settings = parseClinicSettings(row.settings);
    expect(settings.phone).toBe("+73835551234");
    expect(settings.reviewLinks.map((l) => l.label)).toEqual(["Яндекс Карты", "2ГИС", "ПроДокторов"]);
    expect(settings.calendar.week.sat).toEqual({ start: "10:00", end: "16:00" });
    expect(problems.splice(0).filter((p) => !p.includes("status of 422"))).toEqual([]);
  });
});
