// The gift certificates page in a real browser (Chromium through playwright-core) against the real
// server and database: an admin comes from the settings' bonus section and sees each certificate —
// issued, holder, what is left, expiry — with its history: a payment, a gift to a friend, and the
// expiry the scheduler's certificates job wrote. The search finds one by the holder's name or its
// code, and the patient card's loyalty box shows the holder's certificates. Screenshots at laptop
// and phone sizes go to test-results/certificates-*.png; in Russian mode no English shows.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimGift, issueCertificate, spendCertificate, startGift } from "../../src/domain/loyalty/certificates/index.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";
import { englishWordsIn } from "../support/english-words.ts";
import { clippedHeader } from "../support/layout-checks.ts";

const PASSWORD = "certificates-browser-pass-3";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Money is printed with the locale's no-break spaces («3 000 ₽»): compared as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe.skipIf(!HAS_CHROMIUM)(`gift certificates page in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let page: Page;
  let browser: Browser;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-12-03T08:00:00Z");
  const codes = { expired: "", gifted: "", fresh: "" };
  let holderId = 0;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    const clinicId = clinic.id;
    const anna = await createPatient(t.db.prisma, clinicId, { fullName: "Соколова Анна Петровна" });
    const olga = await createPatient(t.db.prisma, clinicId, { fullName: "Белова Ольга Игоревна" });
    holderId = anna.id;
    const at = (iso: string) => new Date(iso);
    // One short transaction per step, as the MIS and the chat make them.
    const step = <T>(work: Parameters<typeof t.db.transaction<T>>[0]) => t.db.transaction(work);
    // Bought by Anna a year ago for 3 000 ₽, 500 ₽ spent at a visit; it expired on 1 December.
    const expired = await step((tx) => issueCertificate(tx, { clinicId, amount: 300_000, validDays: 365, buyerPatientId: anna.id, ownerPatientId: anna.id, key: "sale-101", now: at("2025-12-01T09:00:00Z") }));
    codes.expired = expired.certificate.code;
    await step((tx) => spendCertificate(tx, { clinicId, code: codes.expired, amount: 50_000, key: "pay-1", patientId: anna.id, visitExternalId: "V-2041", now: at("2026-04-10T09:00:00Z") }));
    // Bought by Anna for 5 000 ₽ and given to Olga in the chat.
    const gifted = await step((tx) => issueCertificate(tx, { clinicId, amount: 500_000, validDays: 365, buyerPatientId: anna.id, ownerPatientId: anna.id, key: "sale-102", now: at("2026-11-01T09:00:00Z") }));
    const link = await step((tx) => startGift(tx, { clinicId, certificateId: gifted.certificate.id, ownerPatientId: anna.id, now: at("2026-11-02T09:00:00Z") }));
    const claimed = await step((tx) => claimGift(tx, { clinicId, token: link!.token, patientId: olga.id, now: at("2026-11-03T09:00:00Z") }));
    codes.gifted = claimed.certificate!.code;
    // A paper certificate of the clinic's: nobody named.
    codes.fresh = (await step((tx) => issueCertificate(tx, { clinicId, amount: 200_000, validDays: 180, buyerPatientId: null, ownerPatientId: null, key: "promo-stand", now: at("2026-12-01T09:00:00Z") }))).certificate.code;
    // The daily certificates job on the scheduler's clock writes the expiry off.
    const run = await runPlanner(t.db, "certificates", { clinicId, now: clock.now() });
    expect(run.counts).toMatchObject({ certificatesExpired: 1, certificateKopecksExpired: 250_000 });
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
  }, 90_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("an admin sees the certificates with holders, what is left, expiry and history, finds one, and the card shows them", async () => {
    await logInAt(page, url, "/console/settings", "glavvrach", PASSWORD);
    await page.locator("#s-bonus").getByRole("link", { name: "Подарочные сертификаты →" }).click();
    await page.waitForURL(`${url}/console/certificates`);
    await page.getByRole("heading", { name: "Подарочные сертификаты" }).waitFor();
    expect(await page.locator("tbody tr").count()).toBe(3);

    const expired = page.locator(`tr[data-code="${codes.expired}"]`);
    expect(plain(await expired.locator('[data-cell="balance"]').innerText())).toBe("0 ₽\nиз 3 000 ₽");
    expect(await expired.innerText()).toContain("истёк 1 дек. 2026");
    expect(await expired.innerText()).toContain("Соколова Анна Петровна");
    await expired.getByText("История (3)").click();
    expect((await expired.locator("li").allInnerTexts()).map(plain)).toEqual([
      "1 дек. 2025 — Выпущен на 3 000 ₽",
      "10 апр. 2026 — Оплата визита V-2041: −500 ₽",
      "1 дек. 2026 — Истёк срок действия: списан остаток 2 500 ₽",
    ]);

    const gifted = page.locator(`tr[data-code="${codes.gifted}"]`);
    const giftedText = await gifted.innerText();
    expect(giftedText).toContain("Белова Ольга Игоревна");
    expect(giftedText).toContain("купил(а): Соколова Анна Петровна");
    expect(giftedText).toContain("до 1 нояб. 2027");
    await gifted.getByText("История (2)").click();
    expect((await gifted.locator("li").allInnerTexts()).map(plain)).toEqual(["1 нояб. 2026 — Выпущен на 5 000 ₽", "3 нояб. 2026 — Подарен: теперь владелец — Белова Ольга Игоревна"]);
    expect(await page.locator(`tr[data-code="${codes.fresh}"]`).innerText()).toContain("не указан (бумажный сертификат)");

    expect(englishWordsIn(await page.locator("body").innerText())).toEqual([]);
    await page.setViewportSize(DESKTOP);
    expect(await clippedHeader(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "certificates-desktop.png"), fullPage: true });
    await page.setViewportSize(PHONE);
    expect(await clippedHeader(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "certificates-phone.png"), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);

    // Found by the holder's name (as staff type it) and by the code as read at the desk.
    await page.getByLabel("Код или пациент").fill("белова");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.waitForURL(/q=/);
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").getAttribute("data-code")).toBe(codes.gifted);
    await page.getByLabel("Код или пациент").fill(codes.expired.toLowerCase().replace(/-/g, " "));
    await page.getByRole("button", { name: "Найти" }).click();
    await page.locator(`tr[data-code="${codes.expired}"]`).waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("Код или пациент").fill("Никто Такой");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.getByText("Ничего не нашлось: проверьте код или имя.").waitFor();

    // The holder's card: the loyalty box lists her certificates.
    await page.goto(`${url}/console/patients/${holderId}`);
    const loyalty = page.locator('[data-testid="loyalty"]');
    await loyalty.waitFor();
    const box = plain(await loyalty.innerText());
    expect(box).toContain(codes.expired);
    expect(box).toContain("0 ₽ из 3 000 ₽");
    expect(box).toContain("истёк");
    expect(englishWordsIn(box)).toEqual([]);
    expect(problems).toEqual([]);
    expect(browser.isConnected()).toBe(true);
  });
});
