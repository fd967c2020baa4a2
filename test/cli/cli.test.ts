import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { TestDatabase } from "../support/db.ts";
import { runCli, startCli, waitForExit } from "../support/cli.ts";

describe("carebot command line", () => {
  it.each([
    [{ PORT: "http" }, /^carebot: configuration: PORT must be a number \(got "http"\)\n$/],
    [{ DATABASE_URL: "sqlite.db" }, /^carebot: configuration: DATABASE_URL must be "file:<path>"/],
    [{ CLINIC_TIMEZONE: "MSK+3" }, /^carebot: configuration: CLINIC_TIMEZONE must be an IANA time zone/],
  ])("refuses bad configuration %o with one line and exit code 2", async (env, line) => {
    const result = await runCli(["start"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(line);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  // Most tests run the command line in this process (test/support/cli.ts). This one and the first
  // start below run bin/carebot.js through tsx, as README documents; the exit codes 2 and 1 are also
  // checked on a process of its own (the run's bundle of src/cli.ts, test/support/cli-bundle.ts).
  it("explains each command with --help", async () => {
    const top = await runCli(["--help"], {}, 60_000, "bin");
    expect(top.code).toBe(0);
    for (const command of ["start", "migrate", "seed"]) expect(top.stdout).toContain(command);
    const seed = await runCli(["seed", "--help"]);
    expect(seed.stdout).toContain("--demo");
    const migrate = await runCli(["migrate", "--help"]);
    expect(migrate.stdout).toContain("--status");
  });

  it("answers an unknown command with exit code 2", async () => {
    const result = await runCli(["launch"], {}, 60_000, "bundle");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command");
  });
});

describe(`carebot on ${TEST_PROVIDER}`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createEmptyDatabase();
  });
  afterAll(() => target.drop());

  it("reports pending migrations, applies them, then reports none", async () => {
    const env = { DATABASE_URL: target.config.url };
    const before = await runCli(["migrate", "--status"], env);
    expect(before.stdout).toMatch(/^pending: \d+_init/);
    const applied = await runCli(["migrate"], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/applied \d+_init/);
    const after = await runCli(["migrate", "--status"], env);
    expect(after.stdout).toContain("the database is up to date");
  });

  it("starts on an empty database: seeds the demo clinic, serves /health, stops on SIGTERM", async () => {
    const { child, url, output } = await startCli({ DATABASE_URL: target.config.url, PORT: "0" }, 60_000, "bin");
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, db: TEST_PROVIDER });
      const home = await (await fetch(url)).text();
      expect(home).toContain("Клиника «Добрый доктор»");
      expect(output()).toMatch(/operator login "admin", password [a-z2-9-]{19}/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await waitForExit(child)).toBe(0);

    // A second start finds the clinic and seeds nothing.
    const again = await startCli({ DATABASE_URL: target.config.url, PORT: "0" });
    again.child.kill("SIGTERM");
    await waitForExit(again.child);
    expect(again.output()).not.toContain("password");
  }, 120_000); // two starts of the service in child processes

  it("refuses to seed the demo clinic into a database that has it", async () => {
    const result = await runCli(["seed", "--demo"], { DATABASE_URL: target.config.url }, 60_000, "bundle");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^carebot: the demo clinic already exists/);
  });
});
