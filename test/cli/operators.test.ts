import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { verifyPassword } from "../../src/operators/password.ts";
import { runCliWithInput } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

/** `carebot <args>` with the given stdin (piped), to completion. */
const carebot = (args: string[], stdin: string, env: Record<string, string>) => runCliWithInput(args, stdin, env);

describe(`carebot operators add on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    const clinic = await createClinic(t.db.prisma);
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
  });
  afterAll(async () => t?.dispose());

  it("adds an operator with the piped password hashed, printing the login and never the password", async () => {
    const res = await carebot(["operators", "add", "--login", "maria", "--role", "admin", "--name", "Мария"], "s3cret-password-xyz\nignored\n", env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("maria");
    expect(res.stdout + res.stderr).not.toContain("s3cret-password-xyz");
    const db = openDatabase(t.config);
    try {
      const op = await db.prisma.operator.findUniqueOrThrow({ where: { login: "maria" } });
      expect(op).toMatchObject({ role: "admin", displayName: "Мария" });
      expect(op.passwordHash).not.toContain("s3cret-password-xyz");
      expect(await verifyPassword("s3cret-password-xyz", op.passwordHash)).toBe(true);
    } finally {
      await db.close();
    }
  }, 60_000);

  it.each([
    [["--login", "maria"], "another-long-password", /already exists/],
    [["--login", "ivan"], "short", /at least 10 characters/],
    [["--login", "ivan", "--role", "boss"], "another-long-password", /--role: must be operator or admin/],
    [["--login", "a b"], "another-long-password", /--login:/],
    [["--login", "ivan", "--clinic", "no-such-clinic"], "another-long-password", /no clinic "no-such-clinic"/],
  ])("refuses %j with exit 2 and one clear line", async (args, stdin, message) => {
    const res = await carebot(["operators", "add", ...args], `${stdin}\n`, env);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toContain(stdin);
  }, 60_000);
});
