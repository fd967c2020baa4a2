// The settings page in a real browser (Debian's Chromium driven by playwright-core) against the
// real HTTP server and database: a manager builds a segment and sees its live count, picks a
// monthly schedule, builds a campaign with its dry run, adds a canned reply, saves and reloads;
// mistakes show next to their field in Russian; a colleague's save is caught; phone and English.
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { addPatients } from "../campaigns/helpers.ts";
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
  const clock = new FixedClock("2026-11-24T09:00:00Z"); // 12:00 in Moscow

  const storedSettings = async () => parseClinicSettings((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings);
  const hint = (id: string) => page.locator(`#h-${id}`);
  const error = (id: string) => page.locator(`#e-${id}`);
  const status = () => page.locator("#status");
  /** Page problems other than Chromium's log line for an error answer the test asked for (422, 409). */
  const unexpectedProblems = (...expected: number[]) =>
    problems.splice(0).filter((p) => !expected.some((code) => p.includes(`the server responded with a status of ${code} `)));
  /** Latin words a Russian-speaking manager would see in the forms, their hints and errors (codes typed into inputs are values, not text). */
  const latinWords = async () =>
    (await page.evaluate(() => [...document.querySelectorAll<HTMLElement>(".form, .hint.live, .error, #summary")].flatMap((el) => el.innerText.match(/[A-Za-z]{2,}/g) ?? [])))
      // The messenger's own name is not English.
      .filter((word) => !["WhatsApp", "Telegram", "MAX"].includes(word));

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, { segments: [{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }] });
    clinicId = clinic.id;
    await addPatients(t.db.prisma, clinicId, [
      { key: "st-1", fullName: "Смирнова Ольга Петровна", tags: ["students"], lastVisitAt: "2026-02-01T09:00:00Z", balance: 400 },
      { key: "st-2", fullName: "Орлов Денис Игоревич", tags: ["students"], lastVisitAt: "2026-09-01T09:00:00Z" },
      { key: "st-out", tags: ["students"], optedOut: true },
      { key: "other", tags: ["family"], lastVisitAt: "2026-01-15T09:00:00Z" },
    ]);
    const other = await createClinic(t.db.prisma, {});
    await addPatients(t.db.prisma, other.id, [{ key: "b-st", tags: ["students"] }]);
    ({ app, url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("shows schedules as pickers with their meaning in words, and the lists as forms", async () => {
    await logInAt(page, url, "/console/settings", "glavvrach", PASSWORD);
    await status().getByText("Последнее сохранение").waitFor();

    expect(await page.getByLabel("Начисление, % от оплаты", { exact: true }).inputValue()).toBe("5");
    expect(await page.getByLabel("Дни между напоминаниями", { exact: true }).inputValue()).toBe("0, 3, 7");
    // «каждый месяц 1-го в 11:00», as picked; the every-five-minutes one stays a line, read in words.
    expect(await page.getByLabel("Напоминание о балансе: Как часто").inputValue()).toBe("month");
    expect(await page.getByLabel("Напоминание о балансе: Число").inputValue()).toBe("1");
    expect(await page.getByLabel("Напоминание о балансе: Время").inputValue()).toBe("11:00");
    expect(await hint("f-schedules-balanceReminder").textContent()).toBe("1-го числа каждого месяца в 11:00");
    expect(await hint("f-schedules-birthday").textContent()).toBe("каждый день в 10:00");
    expect(await page.getByLabel("Напоминания о визитах: Как часто").inputValue()).toBe("custom");
    expect(await hint("f-schedules-visitReminders").textContent()).toBe("раз в 5 минут");
    expect(await hint("f-schedules-timers").textContent()).toBe("каждую минуту");
    // The stored segment, as a card with its condition row and live count.
    const sleeping = page.locator("#f-segments [data-item='0']");
    expect(await sleeping.getByLabel("Последний визит больше, месяцев назад", { exact: true }).inputValue()).toBe("6");
    await sleeping.locator(".count").getByText("Сейчас в сегменте: 2 пациента").waitFor();
    // Working week and reminders as rows, no JSON anywhere.
    // The working calendar is the clinic page's, not here twice.
    expect(await page.getByLabel("Суббота: рабочий день").count()).toBe(0);
    expect(await page.locator("textarea.code, #f-segments textarea").count()).toBe(0);
    expect(await latinWords()).toEqual([]);
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);

  it("a manager builds a segment and sees its count and sample, sets a monthly schedule, builds a campaign, saves, and sees it all after a reload", async () => {
    await page.getByRole("button", { name: "+ Добавить сегмент" }).click();
    const card = page.locator("#f-segments [data-item='1']");
    await card.getByLabel("Название", { exact: true }).fill("Студенты");
    await card.getByLabel("Код (латиницей, для кампаний)").fill("students");
    await card.getByLabel("Добавить условие…").selectOption({ label: "Есть метка" });
    await card.getByLabel("Есть метка", { exact: true }).fill("students");
    // Clinic B's student is not counted; the opted-out one is named apart.
    await card.locator(".count").getByText("Сейчас в сегменте: 2 пациента").waitFor();
    expect(await card.locator(".outcome .muted").first().textContent()).toBe("Подходят под условия, но не войдут: 1 отказались от сообщений, 0 без чата с клиникой.");
    const rows = await card.locator("table.sample tbody tr").allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^С\*\*\* О\*\*\*\t\+7999\*\*\*\d{4}\t01\.02\.2026\t400$/);
    expect(rows.join(" ")).not.toContain("Смирнова");

    // «каждый месяц 15-го в 10:30» with the picker.
    await page.getByLabel("Сгорание баллов: Как часто").selectOption({ label: "каждый месяц" });
    await page.getByLabel("Сгорание баллов: Число").fill("15");
    await page.getByLabel("Сгорание баллов: Время").fill("10:30");
    expect(await hint("f-schedules-bonusExpiry").textContent()).toBe("15-го числа каждого месяца в 10:30");
    // Weekly: Monday and Friday.
    await page.getByLabel("Поздравления с днём рождения: Как часто").selectOption({ label: "каждую неделю" });
    await page.locator("#f-schedules-birthday").getByText("Пт", { exact: true }).click();
    expect(await hint("f-schedules-birthday").textContent()).toBe("по понедельникам и пятницам в 10:00");

    await page.getByRole("button", { name: "+ Добавить кампанию" }).click();
    const campaign = page.locator("#f-campaigns [data-item='0']");
    await campaign.getByLabel("Название", { exact: true }).fill("Весенняя гигиена");
    await campaign.getByLabel("Код (латиницей)").fill("spring");
    await campaign.getByLabel("Кому: сегмент").selectOption("students");
    await campaign.getByLabel("Подарок, баллов").fill("300");
    await campaign.getByLabel("Текст предложения в сообщении").fill("Гигиена со скидкой 15 % до конца декабря");
    // The dry run of the students' segment (the card first counted the segment it offered first).
    await campaign.locator(".outcome").getByText("Не получат: 1 отказались от сообщений, 0 без чата с клиникой, 0 уже получили эту кампанию, 0 без согласия на рекламу.").waitFor();
    expect(await campaign.locator(".count").textContent()).toBe("Получат сейчас: 2 пациента");

    // The clinic's order of messengers: MAX first.
    await page.getByLabel("Порядок мессенджеров", { exact: true }).fill("MAX, Telegram, WhatsApp");
    await page.getByRole("button", { name: "+ Добавить шаблон" }).click();
    await page.locator("#f-cannedReplies [data-item='0']").getByLabel("Название", { exact: true }).fill("Часы работы");
    await page.locator("#f-cannedReplies [data-item='0']").getByLabel("Текст ответа").fill("Мы работаем с 9 до 21, без выходных.");

    // The template a WhatsApp Cloud API reminder goes as outside the 24-hour window.
    await page.getByRole("button", { name: "+ Добавить WhatsApp-шаблон" }).click();
    const wa = page.locator("#f-whatsappTemplates [data-item='0']");
    await wa.getByLabel("Вместо сообщения (ключ текста)", { exact: true }).fill("visit.reminder");
    await wa.getByLabel("Имя шаблона в WhatsApp", { exact: true }).fill("visit_reminder");
    await wa.getByLabel("Параметры {{1}}, {{2}}… — по одному в строке", { exact: true }).fill("{{patient.firstName}}\n{{datetime result.visit.startsAt}}");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator("#f-whatsappTemplates").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "settings-whatsapp-desktop.png") });

    await status().getByText("Есть несохранённые изменения").waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator("#s-lists").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "settings-desktop.png") });
    await page.screenshot({ path: path.join(SHOTS, "settings-full.png"), fullPage: true });
    await page.getByRole("button", { name: "Сохранить" }).click();
    await status().getByText("Сохранено.").waitFor();
    // While the conditions were being typed, the count was asked for incomplete ones (422, shown as «не посчитать»).
    expect(unexpectedProblems(422)).toEqual([]);

    const saved = await storedSettings();
    expect(saved.schedules.bonusExpiry).toBe("30 10 15 * *");
    expect(saved.schedules.birthday).toBe("0 10 * * 1,5");
    expect(saved.schedules.visitReminders).toBe("*/5 * * * *");
    expect(saved.segments).toEqual([
      { id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 },
      { id: "students", title: "Студенты", tagsAny: ["students"] },
    ]);
    expect(saved.campaigns).toEqual([
      { id: "spring", title: "Весенняя гигиена", segment: "students", flow: "reactivation", offer: { bonusPoints: 300, text: "Гигиена со скидкой 15 % до конца декабря" }, cameBackWithinDays: 60 },
    ]);
    expect(saved.channelOrder).toEqual(["max", "telegram", "whatsapp"]);
    expect(saved.cannedReplies).toEqual([{ id: "reply-1", title: "Часы работы", text: "Мы работаем с 9 до 21, без выходных." }]);
    expect(saved.whatsappTemplates).toEqual({ "visit.reminder": { name: "visit_reminder", language: "ru", params: ["{{patient.firstName}}", "{{datetime result.visit.startsAt}}"] } });

    await page.reload();
    await status().getByText("Последнее сохранение").waitFor();
    expect(await page.getByLabel("Сгорание баллов: Как часто").inputValue()).toBe("month");
    expect(await page.getByLabel("Сгорание баллов: Число").inputValue()).toBe("15");
    expect(await page.getByLabel("Сгорание баллов: Время").inputValue()).toBe("10:30");
    expect(await hint("f-schedules-bonusExpiry").textContent()).toBe("15-го числа каждого месяца в 10:30");
    await page.locator("#f-segments [data-item='1']").locator(".count").getByText("Сейчас в сегменте: 2 пациента").waitFor();
    expect(await page.locator("#f-campaigns [data-item='0']").getByLabel("Кому: сегмент").inputValue()).toBe("students");
    expect(await page.locator("#f-cannedReplies [data-item='0']").getByLabel("Текст ответа").inputValue()).toBe("Мы работаем с 9 до 21, без выходных.");
    expect(await page.locator("#f-whatsappTemplates [data-item='0']").getByLabel("Имя шаблона в WhatsApp", { exact: true }).inputValue()).toBe("visit_reminder");
    expect(unexpectedProblems()).toEqual([]);
  }, 90_000);

  it("explains a schedule the picker cannot say, refuses one that is not a schedule in Russian, and shows server errors in Russian by their field", async () => {
    const before = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await page.getByLabel("Таймеры диалогов: Строка расписания").fill("0 8 1 1 *");
    expect(await hint("f-schedules-timers").textContent()).toBe("1 января в 08:00");
    await page.getByLabel("Таймеры диалогов: Строка расписания").fill("0 25 * * *");
    expect(await hint("f-schedules-timers").textContent()).toBe("Расписание не принято: час «25» — часы бывают от 0 до 23.");
    expect(await hint("f-schedules-timers").getAttribute("class")).toContain("bad");
    await page.getByLabel("Начисление, % от оплаты", { exact: true }).fill("150");
    await page.getByLabel("Пауза между рекламой, дней", { exact: true }).fill("три");
    await page.getByLabel("Порядок мессенджеров", { exact: true }).fill("Telegram, Viber");
    await page.locator("#f-campaigns [data-item='0']").getByLabel("Подарок, баллов").fill("0");
    await page.getByRole("button", { name: "Сохранить" }).click();

    await error("f-bonus-accrualPercent").getByText("не больше 100").waitFor();
    expect(await error("f-marketingCapDays").textContent()).toBe("нужно число");
    expect(await error("f-channelOrder").textContent()).toContain("нужен мессенджер: Telegram, MAX или WhatsApp");
    expect(await error("f-schedules-timers").textContent()).toBe("Расписание не принято: час «25» — часы бывают от 0 до 23.");
    expect(await error("f-campaigns").textContent()).toBe("Весенняя гигиена › Подарок, баллов: нужно целое число баллов, не меньше 1");
    expect(await page.locator("#f-campaigns [data-item='0']").getByLabel("Подарок, баллов").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#summary-title").textContent()).toBe("Не сохранено: исправьте 5 — подробности у полей ниже.");
    expect(await page.locator('.toc a[data-toc="bonus"]').getAttribute("class")).toBe("has-error");
    expect(await latinWords()).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "settings-errors.png") });
    expect((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString()).toBe(before.updatedAt.toISOString());

    // A pick that is not finished is caught in the page before anything is sent.
    await page.reload();
    await status().getByText("Последнее сохранение").waitFor();
    await page.getByLabel("Сгорание баллов: Время").fill("25:00");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await error("f-schedules-bonusExpiry").getByText("Время — в виде ЧЧ:ММ, например 11:00.").waitFor();
    expect((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).updatedAt.toISOString()).toBe(before.updatedAt.toISOString());
    expect(unexpectedProblems(422)).toEqual([]);
  }, 60_000);

  it("tells the admin when a colleague saved first, and loads the fresh version on request", async () => {
    await page.reload();
    await status().getByText("Последнее сохранение").waitFor();
    const row = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await t.db.prisma.clinic.update({ where: { id: clinicId }, data: { settings: { ...(row.settings as object), npsDelayMinutes: 90 } } });
    await page.getByLabel("Опрос NPS: через минут", { exact: true }).fill("60");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await page.locator("#summary-title").getByText("Пока вы редактировали, настройки сохранил кто-то другой").waitFor();
    await page.getByRole("button", { name: "Открыть свежую версию" }).click();
    await status().getByText("Последнее сохранение").waitFor();
    expect(await page.getByLabel("Опрос NPS: через минут", { exact: true }).inputValue()).toBe("90");
    expect(await page.locator("#summary").isHidden()).toBe(true);
    expect(unexpectedProblems(409)).toEqual([]);
  }, 60_000);

  it("exports the document as a file and imports one, checked before it fills the form", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Скачать файл настроек" }).click()]);
    const file = path.join(SHOTS, "settings-export.json");
    await download.saveAs(file);
    const exported = JSON.parse(await (await import("node:fs/promises")).readFile(file, "utf8"));
    expect(exported.schedules.bonusExpiry).toBe("30 10 15 * *");

    exported.bonus.accrualPercent = 8;
    await page.locator("#import-file").setInputFiles({ name: "новые.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(exported)) });
    await page.locator("#summary-title").getByText("Настройки из файла «новые.json» подставлены в форму").waitFor();
    expect(await page.getByLabel("Начисление, % от оплаты", { exact: true }).inputValue()).toBe("8");
    expect(await page.locator("#summary-list").textContent()).toBe("Бонусная программа");
    expect((await storedSettings()).bonus.accrualPercent).toBe(5);

    await page.locator("#import-file").setInputFiles({ name: "сломанный.json", mimeType: "application/json", buffer: Buffer.from("{ нет") });
    await page.locator("#summary-title").getByText("Файл «сломанный.json» не загружен: это не файл настроек.").waitFor();
    await page.locator("#import-file").setInputFiles({ name: "ошибки.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ bonus: { accrualPercent: 150 } })) });
    await page.locator("#summary-title").getByText("Файл «ошибки.json» не загружен: исправьте в нём 1").waitFor();
    expect(await page.locator("#summary-list").textContent()).toBe("bonus.accrualPercent: не больше 100");
    expect(unexpectedProblems(422)).toEqual([]);
  }, 60_000);

  it("speaks English when the language cookie asks for it", async () => {
    await page.context().addCookies([{ name: "carebot_lang", value: "en", url }]);
    await page.reload();
    await status().getByText("Last saved").waitFor();
    expect(await page.locator("h1").textContent()).toBe("Clinic settings");
    expect(await hint("f-schedules-balanceReminder").textContent()).toBe("on the 1st of every month at 11:00");
    await page.getByLabel("Conversation timers: Cron expression").fill("0 8 *");
    expect(await hint("f-schedules-timers").textContent()).toBe("Not a schedule: it needs five space-separated fields (minute, hour, day of the month, month, weekday), not 3.");
    await page.locator("#f-segments [data-item='1']").locator(".count").getByText("In the segment now: 2 patients").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "settings-en.png") });
    await page.context().clearCookies({ name: "carebot_lang" });
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);

  it("fits a phone screen (390×844) without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await status().getByText("Последнее сохранение").waitFor();
    await page.locator("#f-segments [data-item='1']").locator(".count").getByText("Сейчас в сегменте: 2 пациента").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    expect(await page.getByRole("button", { name: "Сохранить" }).isVisible()).toBe(true);
    await page.locator("#s-lists").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "settings-phone.png") });
    await page.locator("#f-whatsappTemplates").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "settings-whatsapp-phone.png") });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(unexpectedProblems()).toEqual([]);
  }, 60_000);
});
