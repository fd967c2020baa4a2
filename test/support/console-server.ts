// The console of one clinic served over real HTTP, with an admin account and a Chromium page on
// it: what the dashboard's and the settings' browser tests start from.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { HealthRegistry } from "../../src/api/health.ts";
import { buildServer } from "../../src/api/server.ts";
import { loadConfig } from "../../src/config.ts";
import { createCareBot } from "../../src/core.ts";
import type { CareBot } from "../../src/core.ts";
import { createLogger } from "../../src/logger.ts";
import { hashPassword } from "../../src/operators/password.ts";
import type { Clock } from "../../src/util/clock.ts";
import { openPage } from "./browser.ts";
import { ROOT } from "./cli.ts";
import type { MigratedDatabase } from "./db.ts";

export const SHOTS = path.join(ROOT, "test-results");

export interface ConsoleInBrowser {
  app: FastifyInstance;
  carebot: CareBot;
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startConsoleInBrowser(
  t: MigratedDatabase,
  clinic: { id: number; slug: string },
  admin: { login: string; displayName: string; password: string },
  clock: Clock,
  problems: string[],
): Promise<ConsoleInBrowser> {
  await t.db.prisma.operator.create({
    data: { clinicId: clinic.id, login: admin.login, role: "admin", passwordHash: await hashPassword(admin.password), displayName: admin.displayName },
  });
  const logger = createLogger({ level: "silent", pretty: false });
  const carebot = await createCareBot(loadConfig({ DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug }, ROOT), t.db, { clock, logger });
  const app = buildServer({ db: t.db, logger, health: new HealthRegistry(), carebot });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const { browser, page } = await openPage(problems);
  mkdirSync(SHOTS, { recursive: true });
  return {
    app,
    carebot,
    url,
    browser,
    page,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** Opens a guarded console page, is sent to the login form, logs in and lands back on it. */
export async function logInAt(page: Page, url: string, pathname: string, login: string, password: string): Promise<void> {
  await page.goto(`${url}${pathname}`);
  await page.waitForURL(/\/console\/login/);
  await page.getByLabel("Логин", { exact: true }).fill(login);
  await page.getByLabel("Пароль", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.waitForURL(`${url}${pathname}`);
}
