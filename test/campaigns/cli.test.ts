import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { addPatients } from "./helpers.ts";
import type { PatientSpec } from "./helpers.ts";

// Each command is a process of its own (tsx, migrations check): seconds apiece.
describe(`carebot campaigns preview|run on ${TEST_PROVIDER}`, { timeout: 120_000 }, () => {
  let t: MigratedDatabase;
  let db: Db;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    env = { DATABASE_URL: t.config.url };
    const clinic = await createClinic(db, {
      segments: [{ id: "sleeping-students", title: "Студенты, давно не были", tagsAny: ["students"], lastVisitOlderThanMonths: 6 }],
      campaigns: [
        { id: "winter-return", title: "Давно не виделись", segment: "sleeping-students", offer: { text: "скидка 15 % на гигиену" } },
        { id: "wrong-flow", title: "Не тот сценарий", segment: "sleeping-students", flow: "birthday" },
        { id: "missing-flow", title: "Нет сценария", segment: "sleeping-students", flow: "no-such-flow" },
      ],
    });
    // Times relative to the real clock: the command runs on it.
    const monthsAgo = (m: number, days = 0) => DateTime.now().minus({ months: m, days }).toUTC().toISO()!;
    const students: PatientSpec[] = Array.from({ length: 12 }, (_, i) => ({
      key: `MIS-${100 + i}`,
      fullName: i === 0 ? "Смирнова Ольга Петровна" : "Петрова Анна Сергеевна",
      tags: ["students"],
      lastVisitAt: monthsAgo(8, i),
      balance: i * 100,
    }));
    await addPatients(db, clinic.id, [
      ...students,
      { key: "MIS-recent", tags: ["students"], lastVisitAt: monthsAgo(1) },
      { key: "MIS-opted-out", tags: ["students"], lastVisitAt: monthsAgo(8), optedOut: true },
      { key: "MIS-web", tags: ["students"], lastVisitAt: monthsAgo(8), chat: "web" },
    ]);
  });
  afterAll(() => t?.dispose());

  it("previews the segment's size and ten patients, names masked", async () => {
    const result = await runCli(["campaigns", "preview", "winter-return"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "Campaign winter-return «Давно не виделись» → flow reactivation, segment sleeping-students «Студенты, давно не были»: tagsAny=students, lastVisitOlderThanMonths=6",
    );
    expect(lines[1]).toBe("Segment size: 12 patient(s) (14 match the conditions; left out: 1 opted out, 1 with no reachable chat)");
    expect(lines[2]).toBe("Without advertising consent: 0 patient(s) — they will not get it (a patient gives consent in the chat with the word “consents”, the clinic through the MIS or an import).");
    expect(lines[3]).toBe("Offer: скидка 15 % на гигиену");
    expect(lines[4]).toBe("Sample (10 of 12):");
    expect(lines[5]).toMatch(/^ {2}external id +name +last visit +balance$/);
    const sample = lines.slice(6);
    expect(sample).toHaveLength(10);
    // The longest-absent first: MIS-111 was last seen eight months and eleven days ago.
    expect(sample[0]).toMatch(/^ {2}MIS-111 +П\*\*\* А\*\*\* +\d{4}-\d{2}-\d{2} +1100$/);
    expect(result.stdout).not.toContain("Петрова");
    expect(result.stdout).not.toContain("MIS-recent");
    expect(await db.outbox.count()).toBe(0);
  });

  it("--dry-run counts and writes nothing; run queues once; a second run queues nothing", async () => {
    const dry = await runCli(["campaigns", "run", "winter-return", "--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/counting \(dry run, nothing is written\)… done in \d+ ms\n/);
    expect(dry.stdout).toContain("Would queue 12; already queued 0 (segment: 12 patient(s)).");
    expect(await db.outbox.count()).toBe(0);

    const run = await runCli(["campaigns", "run", "winter-return"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/queuing… done in \d+ ms\n/);
    expect(run.stdout).toContain("Queued 12; already queued 0 (segment: 12 patient(s)).");
    expect(await db.outbox.count({ where: { campaignId: "winter-return", kind: "start-flow", category: "marketing", status: "pending" } })).toBe(12);

    const again = await runCli(["campaigns", "run", "winter-return"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Queued 0; already queued 12 (segment: 12 patient(s)).");
    expect(await db.outbox.count()).toBe(12);
  });

  it("exits 2 with one clear line for an unknown campaign or a flow that is not for campaigns", async () => {
    // Nothing here writes: the four commands run side by side.
    const [preview, run, wrong, missing] = await Promise.all([
      runCli(["campaigns", "preview", "nope"], env),
      runCli(["campaigns", "run", "nope", "--dry-run"], env),
      runCli(["campaigns", "run", "wrong-flow"], env),
      runCli(["campaigns", "run", "missing-flow"], env),
    ]);
    for (const result of [preview, run]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe('carebot: no campaign "nope" in the clinic\'s settings (campaigns: winter-return, wrong-flow, missing-flow)\n');
    }
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('carebot: flow "birthday" is not for campaigns: its triggers.scheduled must list "campaign"\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^carebot: campaign "missing-flow" starts flow "no-such-flow", which does not exist \(flows: .*reactivation.*\)\n$/);
    expect(await db.outbox.count()).toBe(12);
  });

  it("explains itself with --help", async () => {
    const help = await runCli(["campaigns", "--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("preview <id>");
    expect(help.stdout).toContain("run [options] <id>");
  });
});
