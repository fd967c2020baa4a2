// The dashboard in a real browser (Debian's Chromium through playwright-core) against the real
// HTTP server and database: an admin logs in, opens the dashboard, and every chart shows, with
// no label running into another, on a laptop and on a phone. Screenshots go to test-results/.
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignKey } from "../../src/campaigns/keys.ts";
import type { Db } from "../../src/db/client.ts";
import { npsCategory } from "../../src/domain/nps/category.ts";
import { checkinKey, npsKey } from "../../src/domain/visits/care-outbox.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";
import { clippedHeader, cutTables } from "../support/layout-checks.ts";

const PASSWORD = "dashboard-browser-42";
const NOW = new Date("2026-11-23T08:00:00Z");
const DAY = 86_400_000;
const DOCTORS = ["Иванова Елена Петровна", "Петров Сергей Николаевич", "Константинопольская Александра Владимировна", "Ли Вэй", null];

/** A year of a busy clinic's answers, escalations, reminders and a campaign: enough to fill every chart. */
async function seedClinicHistory(db: Db, clinicId: number): Promise<void> {
  const patients = [];
  for (let i = 0; i < 12; i++) patients.push(await createPatient(db, clinicId, { balance: 300 + i * 150 }));
  const answers = [];
  for (let i = 0; i < 240; i++) {
    // Scores lean high, with a bad spell in the spring; spread over 360 days.
    const createdAt = new Date(NOW.getTime() - ((i * 1.5 + 0.3) * DAY));
    const spring = createdAt.getUTCMonth() >= 2 && createdAt.getUTCMonth() <= 4;
    const score = spring ? [2, 5, 6, 7, 9, 10, 4][i % 7]! : [10, 9, 10, 8, 6, 9, 10, 7, 10, 3][i % 10]!;
    answers.push({ clinicId, patientId: patients[i % patients.length]!.id, score, category: npsCategory(score), doctor: DOCTORS[i % DOCTORS.length] ?? null, createdAt });
  }
  await db.npsResponse.createMany({ data: answers });

  const escalations: { priority: "urgent" | "high" | "normal" | "low"; status: "open" | "taken" | "resolved"; hoursAgo: number; slaHours: number; takenMin?: number; resolvedMin?: number }[] = [
    { priority: "urgent", status: "open", hoursAgo: 2, slaHours: 0.5 },
    { priority: "high", status: "open", hoursAgo: 1, slaHours: 4 },
    { priority: "high", status: "taken", hoursAgo: 3, slaHours: 4, takenMin: 35 },
    { priority: "normal", status: "open", hoursAgo: 5, slaHours: 24 },
    { priority: "normal", status: "open", hoursAgo: 30, slaHours: 24 },
    { priority: "low", status: "open", hoursAgo: 10, slaHours: 72 },
    { priority: "normal", status: "resolved", hoursAgo: 100, slaHours: 24, takenMin: 42, resolvedMin: 190 },
    { priority: "high", status: "resolved", hoursAgo: 200, slaHours: 4, takenMin: 15, resolvedMin: 300 },
    { priority: "urgent", status: "resolved", hoursAgo: 300, slaHours: 0.5, takenMin: 8, resolvedMin: 55 },
  ];
  for (const e of escalations) {
    const createdAt = new Date(NOW.getTime() - e.hoursAgo * 3600_000);
    const after = (min?: number) => (min === undefined ? null : new Date(createdAt.getTime() + min * 60_000));
    await db.escalation.create({
      data: { clinicId, reason: "operator_request", priority: e.priority, status: e.status, createdAt, slaDueAt: new Date(createdAt.getTime() + e.slaHours * 3600_000), takenAt: after(e.takenMin), resolvedAt: after(e.resolvedMin) },
    });
  }

  let n = 0;
  const account = async (patientId: number) => (await db.bonusAccount.findUniqueOrThrow({ where: { patientId } })).id;
  for (const p of patients.slice(0, 6)) {
    const accountId = await account(p.id);
    await db.bonusEntry.create({ data: { clinicId, accountId, patientId: p.id, kind: "accrual", amount: 450, remaining: 450, expiresAt: new Date(NOW.getTime() + (5 + n) * DAY), sourceKey: `b:${++n}`, createdAt: new Date(NOW.getTime() - 10 * DAY) } });
    await db.bonusEntry.create({ data: { clinicId, accountId, patientId: p.id, kind: "redemption", amount: -120, sourceKey: `b:${++n}`, createdAt: new Date(NOW.getTime() - 3 * DAY) } });
  }

  const sent = (key: string, daysAgo: number, patientId: number, extra: { status?: "sent" | "skipped" | "dead"; campaignId?: string } = {}) => ({
    clinicId,
    patientId,
    idempotencyKey: key,
    kind: "start-flow",
    category: extra.campaignId ? ("marketing" as const) : ("care" as const),
    campaignId: extra.campaignId ?? null,
    payload: { startFlow: "test" },
    status: extra.status ?? ("sent" as const),
    attempts: 1,
    dueAt: new Date(NOW.getTime() - daysAgo * DAY),
    sentAt: (extra.status ?? "sent") === "sent" ? new Date(NOW.getTime() - daysAgo * DAY) : null,
    createdAt: new Date(NOW.getTime() - daysAgo * DAY),
    updatedAt: new Date(NOW.getTime() - daysAgo * DAY),
  });
  const rows = [];
  for (const [i, p] of patients.entries()) {
    rows.push(sent(`balance:2026-11:${p.id}`, 22, p.id));
    rows.push(sent(npsKey(1000 + i), 1 + (i % 20), p.id, i % 5 === 0 ? { status: "dead" } : {}));
    if (i % 2 === 0) rows.push(sent(checkinKey(2000 + i), 2 + i, p.id, i % 4 === 0 ? { status: "skipped" } : {}));
    if (i % 3 === 0) rows.push(sent(`birthday:2026:${p.id}`, 4 + i, p.id));
    if (i < 8) rows.push(sent(campaignKey("autumn", p.id), 15, p.id, { campaignId: "autumn" }));
  }
  await db.outbox.createMany({ data: rows });
  for (const p of patients.slice(0, 3)) {
    await db.visit.create({
      data: { clinicId, patientId: p.id, externalId: `V-${p.id}`, doctor: "Иванова Елена Петровна", service: "Гигиена", amount: 420_000, status: "completed", startsAt: new Date(NOW.getTime() - 5 * DAY), completedAt: new Date(NOW.getTime() - 5 * DAY) },
    });
  }
}

/** Pairs of text labels in one chart whose boxes overlap (a label running into another). */
async function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const clashes: string[] = [];
    for (const svg of Array.from(document.querySelectorAll("svg.chart"))) {
      const boxes = Array.from(svg.querySelectorAll("text")).filter((t) => t.textContent).map((t) => ({ text: t.textContent!, r: t.getBoundingClientRect() }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!.r;
          const b = boxes[j]!.r;
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) clashes.push(`${boxes[i]!.text} × ${boxes[j]!.text}`);
        }
      }
      // Nothing outside the chart's own box (cut off by the card).
      const frame = svg.getBoundingClientRect();
      for (const b of boxes) if (b.r.left < frame.left - 1 || b.r.right > frame.right + 1) clashes.push(`${b.text} sticks out of its chart`);
    }
    return clashes;
  });
}

describe.skipIf(!HAS_CHROMIUM)(`dashboard in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const db = t.db.prisma;
    const clinic = await createClinic(db, {
      segments: [{ id: "everyone", title: "Все" }],
      campaigns: [{ id: "autumn", title: "Осенняя профессиональная гигиена со скидкой 15 %", segment: "everyone" }],
    });
    await seedClinicHistory(db, clinic.id);
    ({ app, url, browser, page, close } = await startConsoleInBrowser(t, clinic, { login: "irina", displayName: "Ирина Управляющая", password: PASSWORD }, new FixedClock(NOW), problems));
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await t?.dispose();
  });

  it("an admin logs in and sees every chart, readable on a laptop and on a phone", async () => {
    await logInAt(page, url, "/console/dashboard", "irina", PASSWORD);
    await page.getByRole("heading", { name: "Показатели клиники" }).waitFor();

    for (const name of ["NPS по месяцам", "NPS по врачам", "Распределение оценок", "Обращения к операторам: ждут + в работе", "Напоминания за 30 дней: отправлено"]) {
      expect(await page.getByRole("img", { name }).first().isVisible(), name).toBe(true);
    }
    expect(await page.locator("svg.chart").count()).toBe(6); // months, doctors, scores, escalations, reminders, the campaign's funnel
    expect(await page.locator("svg.chart rect.promoter").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.chart rect.detractor").count()).toBeGreaterThan(0);
    expect(await overlappingLabels(page)).toEqual([]);
    // At 1280 px every table shows its last column inside its card, and the top bar shows the clinic's name whole.
    expect(await cutTables(page)).toEqual([]);
    expect(await clippedHeader(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "dashboard.png") });
    // Reachability per messenger: its own card, six figures.
    const channels = page.locator("[data-testid=channels]");
    expect(await channels.getByRole("heading", { name: "Доступность пациентов в мессенджерах" }).isVisible()).toBe(true);
    expect(await channels.locator(".tile dt").allTextContents()).toEqual(["Доступны в Telegram", "Доступны в MAX", "Доступны в WhatsApp", "Недоступны нигде", "Заблокировали бота", "Ушли в другой мессенджер"]);
    await channels.screenshot({ path: path.join(SHOTS, "dashboard-channels-desktop.png") });
    await page.screenshot({ path: path.join(SHOTS, "dashboard-full.png"), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, "dashboard-desktop.png"), fullPage: true });

    // The tables folded under the charts open and carry the numbers.
    await page.locator("[data-testid=nps-months] summary").click();
    expect(await page.locator("[data-testid=nps-months] table tbody tr").count()).toBe(12);

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Every table fits the phone's width: no column hidden behind a sideways scroll.
    expect(await cutTables(page)).toEqual([]);
    expect(await clippedHeader(page)).toEqual([]);
    expect(await overlappingLabels(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "dashboard-phone.png") });
    await page.locator("[data-testid=channels]").screenshot({ path: path.join(SHOTS, "dashboard-channels-phone.png") });
    await page.screenshot({ path: path.join(SHOTS, "dashboard-phone-full.png"), fullPage: true });

    // English, through the header's switch.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { name: "Clinic dashboard" }).waitFor();
    expect(await page.getByRole("img", { name: /^NPS by month/ }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Patients' reachability per messenger" }).isVisible()).toBe(true);
    expect(await overlappingLabels(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "dashboard-en.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);
});
