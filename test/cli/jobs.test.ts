import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { clinicHelpers } from "../scheduler/helpers.ts";

describe("carebot jobs run: usage", () => {
  it("explains itself, and that sending is the running service's job", async () => {
    const help = await runCli(["jobs", "run", "--help"]);
    expect(help.code).toBe(0);
    for (const word of ["balance", "expiry", "birthday", "checkin", "followup", "timers", "--at", "--dry-run", "dispatcher"]) expect(help.stdout).toContain(word);
  });

  it("refuses an unknown kind and a bad --at with exit code 2", async () => {
    const kind = await runCli(["jobs", "run", "reactivation"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("Allowed choices are balance, expiry, certificates, birthday, checkin, followup, reminder, waitlist, timers");
    const at = await runCli(["jobs", "run", "balance", "--at", "tomorrow"], { DATABASE_URL: "file:/nonexistent/never-opened.db" });
    expect(at.code).toBe(2);
    expect(at.stderr).toBe('carebot jobs run: --at must be an ISO date-time such as 2026-12-01T11:00 (clinic time) or 2026-12-01T08:00:00Z (got "tomorrow")\n');
  });
});

describe(`carebot jobs run on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
    const { id: clinicId } = await h.clinic({ birthdayWindow: { daysBefore: 0, daysAfter: 0 } }, "Europe/Moscow");
    ids.moscow = (await h.patient(clinicId, { birthDate: "1990-03-15" })).externalId;
    ids.vladivostok = (await h.patient(clinicId, { birthDate: "1991-03-15", timezone: "Asia/Vladivostok" })).externalId;
    ids.optedOut = (await h.patient(clinicId, { birthDate: "1992-03-15", optedOut: true })).externalId;
    env = { DATABASE_URL: t.config.url };
  });
  afterAll(() => t.dispose());

  it("--dry-run prints what would be planned at --at (clinic time) and queues nothing", async () => {
    // 07:00 on 15 March in Moscow.
    const dry = await runCli(["jobs", "run", "birthday", "--at", "2026-03-15T07:00", "--dry-run"], env);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("birthday for Клиника «Здоровье» at 2026-03-15 07:00 Europe/Moscow (2026-03-15T04:00:00.000Z), dry run: rolled back, nothing queued");
    expect(dry.stdout).toMatch(/planned\s+2\n/);
    expect(dry.stdout).toMatch(/skipped by rule 1 {2}\(opted out 1\)\n/);
    expect(dry.stdout).toMatch(/already queued\s+0\n/);
    expect(dry.stdout).toContain(`patients        ${ids.moscow}, ${ids.vladivostok}\n`);
    expect(await h.prisma.outbox.count()).toBe(0);
  });

  it("plans on the patient's own date: at 23:30 in Moscow only Vladivostok's birthday has come", async () => {
    const early = await runCli(["jobs", "run", "birthday", "--at", "2026-03-14T20:30:00Z"], env);
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/planned\s+1\n/);
    expect(early.stdout).toContain("The running service's dispatcher sends them");
    const later = await runCli(["jobs", "run", "birthday", "--at", "2026-03-15T10:00"], env);
    expect(later.stdout).toMatch(/planned\s+1\n/);
    expect(later.stdout).toMatch(/already queued\s+1\n/);
    const again = await runCli(["jobs", "run", "birthday", "--at", "2026-03-15T10:00"], env);
    expect(again.stdout).toMatch(/planned\s+0\n[\s\S]*already queued\s+2\n/);
    expect(await h.prisma.outbox.count()).toBe(2);
    // The command runs the planner only: it claims no cron slot.
    expect(await h.prisma.jobRun.count()).toBe(0);
  });

  it("counts due flow timers in a dry run", async () => {
    const timers = await runCli(["jobs", "run", "timers", "--dry-run", "--at", "2026-03-15T10:00"], env);
    expect(timers.code).toBe(0);
    expect(timers.stdout).toMatch(/timers due\s+0\n/);
  });
});
