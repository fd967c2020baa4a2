import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { bundleCli } from "./cli-bundle.ts";
import type { CliBundle } from "./cli-bundle.ts";
import { ensureTemplate } from "./template-database.ts";
import type { MigratedTemplate } from "./template-database.ts";

/**
 * Says once which database the integration tests use, fails fast when it is unreachable, and
 * makes the migrated template every test file copies (test/support/template-database.ts) and the
 * command line's bundle the CLI tests spawn (test/support/cli-bundle.ts).
 */
/**
 * Made once per run: vitest loads this file anew for each test project (vitest.config.ts), so the
 * run's one template and bundle are kept on globalThis of its main process, not in a module variable.
 */
const shared = globalThis as typeof globalThis & { carebotTestSetup?: { prepared: Promise<{ template: MigratedTemplate; cli: CliBundle }>; users: number } };

export default async function setup(project: TestProject): Promise<() => void> {
  const run = (shared.carebotTestSetup ??= { prepared: prepare(), users: 0 });
  const { template, cli } = await run.prepared;
  project.provide("migratedTemplate", template);
  project.provide("cliBundle", cli.entry);
  run.users++;
  // The bundle goes when the last project that uses it is done.
  return () => {
    if (--run.users === 0) cli.remove();
  };
}

async function prepare(): Promise<{ template: MigratedTemplate; cli: CliBundle }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log("integration tests: SQLite files (set TEST_DATABASE_URL=postgresql://… to use PostgreSQL)");
  } else {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ version: string }>("SELECT version()");
      console.log(`integration tests: ${rows[0]?.version.split(" on ")[0]}`);
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const started = performance.now();
  const { template, built } = await ensureTemplate(url);
  const where = template.provider === "sqlite" ? template.file : `database ${template.database}`;
  console.log(`migrated template: ${where} (${built ? `built in ${Math.round(performance.now() - started)} ms` : "reused"})`);

  const bundling = performance.now();
  const cli = await bundleCli(path.resolve(import.meta.dirname, "../.."));
  console.log(`command line bundled: ${cli.entry} (${Math.round(performance.now() - bundling)} ms)`);
  return { template, cli };
}
