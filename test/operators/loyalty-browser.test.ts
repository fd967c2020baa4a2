// The loyalty program in the console, in a real browser: a manager sets status levels in the
// settings form and saves them; a patient's card shows their level, promo codes and certificates.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { issueCertificate } from "../../src/domain/loyalty/certificates/index.ts";
import { redeemPromo, savePromoCode, promoCodeInputSchema } from "../../src/domain/loyalty/promo/index.ts";
import { recordVisit } from "../../src/domain/visits/record-visit.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { addPatients } from "../campaigns/helpers.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

const PASSWORD = "loyalty-browser-pass-7";

describe.skipIf(!HAS_CHROMIUM)(`loyalty in the console in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let url: string;
  let clinicId: number;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-24T09:00:00Z");
  const status = () => page.locator("#status");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, {});
    clinicId = clinic.id;
    await addPatients(t.db.prisma, clinicId, [{ key: "loy-1", fullName: "Смирнова Ольга Петровна" }]);
    ({ url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems));
    void browser;
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("a manager sets status levels in the settings form, in Russian, and they are saved", async () => {
    await logInAt(page, url, "/console/settings", "glavvrach", PASSWORD);
    await status().getByText("Последнее сохранение").waitFor();
    const levels = page.locator("#f-bonus-levels");
    await levels.getByText("Уровней нет: у всех пациентов одинаковое начисление.").waitFor();
    const add = async (name: string, nameEn: string, from: string, percent: string, share: string, i: number) => {
      await page.getByRole("button", { name: "+ Добавить уровень" }).click();
      const row = levels.locator(`[data-item='${i}']`);
      await row.getByLabel("Название", { exact: true }).fill(name);
      await row.getByLabel("Название по-английски").fill(nameEn);
      await row.getByLabel("От суммы за период, ₽").fill(from);
      await row.getByLabel("Начисление, %").fill(percent);
      await row.getByLabel("Доля счёта баллами (0–1)").fill(share);
    };
    await add("Базовый", "Basic", "0", "5", "0.3", 0);
    await add("Серебряный", "Silver", "30000", "7", "0.4", 1);
    await add("Золотой", "Gold", "80000", "10", "0.5", 2);
    for (const [size, name] of [[{ width: 1280, height: 800 }, "desktop"], [{ width: 390, height: 844 }, "phone"]] as const) {
      await page.setViewportSize(size);
      await levels.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `settings-levels-${name}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("button", { name: "Сохранить" }).click();
    await status().getByText("Сохранено.").waitFor();
    const saved = parseClinicSettings((await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings);
    expect(saved.bonus.levels).toEqual([
      { id: "level-1", name: "Базовый", nameEn: "Basic", fromRoubles: 0, accrualPercent: 5, maxBillShare: 0.3 },
      { id: "level-2", name: "Серебряный", nameEn: "Silver", fromRoubles: 30_000, accrualPercent: 7, maxBillShare: 0.4 },
      { id: "level-3", name: "Золотой", nameEn: "Gold", fromRoubles: 80_000, accrualPercent: 10, maxBillShare: 0.5 },
    ]);
    expect(saved.bonus.levelPeriodMonths).toBe(12);
  });

  it("the patient card shows the level, the promo codes used and the certificates held", async () => {
    const patient = await t.db.prisma.patient.findFirstOrThrow({ where: { clinicId, fullName: "Смирнова Ольга Петровна" } });
    const now = clock.now();
    await t.db.transaction(async (tx) => {
      await recordVisit(tx, { clinicId, now }, {
        externalId: "LOY-V1", patientExternalId: patient.externalId!, doctor: "Орлова И. В.", service: "Имплантация", serviceCategory: "surgery", isProcedure: false, amount: 4_500_000, status: "completed", startsAt: now,
      });
      await savePromoCode(tx, clinicId, promoCodeInputSchema.parse({ code: "LETO2027", reward: "discount", value: 15 }));
      const settings = parseClinicSettings((await tx.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings);
      await redeemPromo(tx, { clinicId, patientId: patient.id, code: "LETO2027", key: "card-1", via: "api", rules: settings.bonus, now });
      await issueCertificate(tx, { clinicId, amount: 500_000, validDays: 365, buyerPatientId: patient.id, ownerPatientId: patient.id, key: "card-sale", now });
    });
    await page.goto(`${url}/console/patients/${patient.id}`);
    const box = page.getByTestId("loyalty");
    await box.waitFor();
    const text = await box.innerText();
    expect(text).toContain("Серебряный");
    expect(text).toContain("7 % баллами, оплата баллами до 40 % счёта");
    expect(text).toMatch(/45\s000 ₽/);
    expect(text).toContain("LETO2027 · скидка 15 %");
    expect(text).toMatch(/GC-[A-Z0-9]{4}-[A-Z0-9]{4} · 5\s000 ₽ из 5\s000 ₽ · до 24 (нояб|ноя)/);
    expect(text.replace(/GC-[A-Z0-9]{4}-[A-Z0-9]{4}|LETO2027/g, "").match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
    for (const [size, name] of [[{ width: 1280, height: 800 }, "desktop"], [{ width: 390, height: 844 }, "phone"]] as const) {
      await page.setViewportSize(size);
      await box.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `patient-loyalty-${name}.png`) });
    }
  });
});
