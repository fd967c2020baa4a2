// Issue #17: "no console page shows English in Russian mode". A logged-in admin walks every HTML
// page the server answers with GET (read from Fastify's route table, so a page somebody adds is
// walked without editing this test) in a real Chromium, so text a page's script renders counts
// too, and the test fails on English UI words. Then a mistake on the settings page must be
// explained in Russian next to its field.
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toInboundMessage } from "../../src/channels/web/inbound.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { CHROMIUM, HAS_CHROMIUM } from "../support/browser.ts";
import { logInAt, SHOTS, startConsoleInBrowser } from "../support/console-server.ts";
import type { ConsoleInBrowser } from "../support/console-server.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { routeTable } from "../security/route-table.ts";
import type { RouteEntry } from "../security/route-table.ts";
import { englishWordsIn, latinWordsIn } from "../support/english-words.ts";

const PASSWORD = "russian-pages-pass-7";

/** Not pages: bundled scripts, JSON APIs, the live stream, redirects and machine endpoints. */
const notAPage = (url: string) =>
  url.startsWith("/assets/") || url.startsWith("/api/") || url.includes("/api/") || url === "/health" || url === "/console/lang" || url.startsWith("/telegram/");

describe.skipIf(!HAS_CHROMIUM)(`every console page in Russian, in Chromium on ${TEST_PROVIDER}${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} is not installed)`}`, () => {
  let t: MigratedDatabase;
  let c: ConsoleInBrowser;
  let page: Page;
  const problems: string[] = [];
  const clock = new FixedClock("2026-11-23T08:00:00Z");
  // A route's parameter by its folder: "/console/flows/:flowId" walks the NPS survey's page.
  const ids: Record<string, number | string> = { flows: "nps" };

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma, { segments: [{ id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 }] });
    c = await startConsoleInBrowser(t, clinic, { login: "glavvrach", displayName: "Ирина Главврач", password: PASSWORD }, clock, problems);
    page = c.page;
    // A patient who asked for a person, so the queue, the conversation and the patient pages have something to show.
    const patient = await createPatient(t.db.prisma, clinic.id, { fullName: "Смирнова Ольга Игоревна", balance: 700 });
    const chat = await linkChat(t.db.prisma, clinic.id, patient.id, `preview-${patient.id}`, "web");
    await c.carebot.router.handle(toInboundMessage(chat.externalChatId, { text: "оператор" }));
    const escalation = await t.db.prisma.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    ids.patients = patient.id;
    ids.escalations = escalation.id;
    ids.conversations = escalation.conversationId!;
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await t?.dispose();
  });

  /** Fills a route's parameters with this clinic's ids: "/console/patients/:id" → the patient's. */
  const pathOf = (route: RouteEntry) =>
    route.url.replace(/\/([a-z-]+)\/:[A-Za-z]+/g, (_all, folder: string) => `/${folder}/${ids[folder] ?? 1}`).replace(/:[A-Za-z]+/g, "1");

  /**
   * Everything a person reads on the page: its text, title, and the words in attributes and form
   * controls. Code (JSON examples in <code>, <pre>) and what a person typed (fields) are not UI words.
   */
  const visibleText = (p: Page) =>
    p.evaluate(() => {
      let text = document.body.innerText;
      // Longest first, so an id inside a longer one ("referral" in "referral-arrival") leaves nothing behind.
      const shown = Array.from(document.querySelectorAll("code,pre,kbd,samp"), (code) => (code as HTMLElement).innerText).sort((a, b) => b.length - a.length);
      for (const code of shown) if (code) text = text.split(code).join(" ");
      const parts = [document.title, text];
      for (const el of Array.from(document.querySelectorAll("[placeholder],[title],[aria-label],[alt]"))) {
        for (const name of ["placeholder", "title", "aria-label", "alt"]) {
          const value = el.getAttribute(name);
          if (value) parts.push(value);
        }
      }
      // A button input shows its value; an option shows its text (its value is never on screen).
      for (const el of Array.from(document.querySelectorAll("input[type=submit],input[type=button]"))) parts.push((el as HTMLInputElement).value);
      for (const el of Array.from(document.querySelectorAll("option"))) parts.push(el.textContent ?? "");
      return parts.join("\n");
    });

  /** Waits until the page's scripts have drawn it: the text stops changing. */
  const settled = async (p: Page) => {
    await p.waitForLoadState("load");
    let previous = "";
    for (let i = 0; i < 20; i++) {
      const now = await visibleText(p);
      if (now === previous && !/Загрузка|Loading/.test(now)) return now;
      previous = now;
      await p.waitForTimeout(250);
    }
    return previous;
  };

  it("the login page speaks Russian", async () => {
    const response = await page.goto(`${c.url}/console/login`);
    expect(response?.status()).toBe(200);
    const text = await settled(page);
    expect(text).toContain("Войти");
    expect(englishWordsIn(text), "English on /console/login").toEqual([]);
  });

  it("walks every HTML page of the route table as a logged-in admin and finds no English", async () => {
    await logInAt(page, c.url, "/console", "glavvrach", PASSWORD);
    const pages = routeTable(c.app).filter((r) => r.method === "GET" && !notAPage(r.url));
    const walked: string[] = [];
    const found: string[] = [];
    for (const route of pages) {
      const url = pathOf(route);
      const response = await page.goto(`${c.url}${url}`);
      if (!(response?.headers()["content-type"] ?? "").startsWith("text/html")) continue;
      // A page that sent us elsewhere (the login form while logged in) is the other page's business.
      if (new URL(page.url()).pathname !== url) continue;
      const text = await settled(page);
      walked.push(url);
      const english = englishWordsIn(text);
      if (english.length > 0) found.push(`${url}: ${english.join(", ")}`);
      const name = url.replace(/^\//, "").replace(/[/:]/g, "-") || "home";
      await page.screenshot({ path: path.join(SHOTS, `russian-${name}.png`), fullPage: true });
    }
    expect(walked).toEqual(expect.arrayContaining(["/console", "/console/dashboard", "/console/settings", "/preview", "/console/flows/nps"]));
    expect(found, "pages that show English in Russian mode").toEqual([]);
    expect(problems.filter((p) => !p.includes("status of 4"))).toEqual([]);
  });

  it("names a flow and its steps in Russian: the file's ids are only small labels", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const url of ["/console/flows", "/console/flows/nps"]) {
      await page.goto(`${c.url}${url}`);
      await page.locator(url === "/console/flows" ? 'tr[data-flow="nps"]' : ".node").first().waitFor();
      const text = await settled(page);
      // Every Latin word outside code (ids, JSON) would be a step or flow id shown as a name (but the language
      // switch's «English» and the clinic's review address in a sample text).
      const words = latinWordsIn(text.replace(/https?:\/\/\S+/g, " "));
      expect(words.filter((w) => w !== "English"), `Latin words on ${url}`).toEqual([]);
    }
  });

  it("explains a settings mistake in Russian next to its field", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${c.url}/console/settings`);
    await page.locator("#status").getByText("Последнее сохранение").waitFor();
    await page.getByLabel("Начисление, % от оплаты", { exact: true }).fill("150");
    await page.getByLabel("Тихие часы: с", { exact: true }).fill("25:00");
    await page.getByRole("button", { name: "Сохранить" }).click();
    const accrual = page.locator("#e-f-bonus-accrualPercent");
    await accrual.filter({ hasText: /\S/ }).waitFor();
    const status = (await page.locator("#status").textContent()) ?? "";
    const messages = [await accrual.textContent(), await page.locator("#e-f-quietHours-start").textContent(), status].join("\n");
    expect(messages).toMatch(/не больше 100/);
    expect(englishWordsIn(messages), `English in: ${messages}`).toEqual([]);
    expect(messages).not.toMatch(/[A-Za-z]{3,}/);
    await accrual.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "russian-errors-desktop.png") });
  });
});
