// `carebot clinic export|import` through the real bin, on a real database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

describe(`carebot clinic export|import on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let env: Record<string, string>;
  let clinicId: number;
  let dir: string;

  const stored = async () => (await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings;
  const cliAudits = () => t.db.prisma.auditEntry.findMany({ where: { clinicId, action: "settings.update" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createMigratedDatabase();
    // A second clinic makes CLINIC_SLUG necessary: the commands must work on the one it names.
    await createClinic(t.db.prisma, { marketingCapDays: 9 });
    const clinic = await createClinic(t.db.prisma, { bonus: { accrualPercent: 4 } });
    clinicId = clinic.id;
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
    dir = mkdtempSync(path.join(tmpdir(), "carebot-clinic-cli-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.dispose();
  });

  it("exports the clinic's settings as pretty JSON with defaults, and imports an edited file back", async () => {
    const printed = await runCli(["clinic", "export"], env);
    expect(printed.code, printed.stderr).toBe(0);
    const document = JSON.parse(printed.stdout);
    expect(document).toEqual(JSON.parse(JSON.stringify(parseClinicSettings(await stored()))));
    expect(document.bonus.accrualPercent).toBe(4);
    expect(document.marketingCapDays).toBe(3);
    expect(printed.stdout).toContain('\n  "bonus": {\n    "accrualPercent": 4,');

    const file = path.join(dir, "settings.json");
    const written = await runCli(["clinic", "export", "--out", file], env);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe("");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(document);

    const edited = JSON.parse(readFileSync(file, "utf8"));
    edited.bonus.accrualPercent = 8;
    edited.segments = [{ id: "kids", title: "Дети", ageMax: 17 }];
    writeFileSync(file, JSON.stringify(edited, null, 2));
    const imported = await runCli(["clinic", "import", file], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("Changed: bonus, segments.");
    const now = parseClinicSettings(await stored());
    expect(now.bonus.accrualPercent).toBe(8);
    expect(now.segments).toEqual([{ id: "kids", title: "Дети", ageMax: 17 }]);

    const audits = await cliAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ operatorId: null, target: `clinic:${clinicId}`, details: { via: "cli", sections: ["bonus", "segments"] } });

    // The same file again changes nothing and is not audited again.
    const again = await runCli(["clinic", "import", file], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to change");
    expect(await cliAudits()).toHaveLength(1);
  }, 120_000);

  it("--dry-run checks the file and names what it would change, saving nothing", async () => {
    const before = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    const audits = (await cliAudits()).length;
    const file = path.join(dir, "dry.json");
    writeFileSync(file, JSON.stringify({ ...(before.settings as object), npsDelayMinutes: 45, quietHours: { start: "20:00", end: "10:00" } }));
    const res = await runCli(["clinic", "import", file, "--dry-run"], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("It would change: npsDelayMinutes, quietHours. Dry run: nothing was saved.");
    const after = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(after.updatedAt.toISOString()).toBe(before.updatedAt.toISOString());
    expect(parseClinicSettings(after.settings).npsDelayMinutes).toBe(parseClinicSettings(before.settings).npsDelayMinutes);
    expect(await cliAudits()).toHaveLength(audits);
  }, 60_000);

  it("refuses an invalid file with one `file: path: problem` line per problem, exit 1, and saves nothing", async () => {
    const before = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    const file = path.join(dir, "settings.json");
    const document = structuredClone(before.settings) as Record<string, any>;
    document.bonus.accrualPercent = 101;
    document.bonus.welcomeBonus = "триста";
    document.campaigns = [{ id: "spring", title: "Весна", segment: "nobody" }];
    document.segments[0].ageMax = 300;
    document.colour = "blue";
    writeFileSync(file, JSON.stringify(document, null, 2));
    const res = await runCli(["clinic", "import", file], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    const lines = res.stderr.trim().split("\n");
    expect(lines).toEqual([
      `${file}: colour: is not a setting CareBot knows (known here: formatVersion, address, phone, reviewUrl, reviewLinks, doctorReviewLinks, telegramBot, maxBot, bonus, quietHours, marketingCapDays, channelOrder, schedules, birthdayWindow, npsDelayMinutes, staleAfterDays, followUp, sla, calendar, visitReminders, waitlist, cannedReplies, segments, campaigns, whatsappTemplates); remove it or fix its name`,
      `${file}: bonus.accrualPercent: must be at most 100`,
      `${file}: bonus.welcomeBonus: must be a number`,
      `${file}: segments.0.ageMax: must be a whole number of years from 0 to 150`,
      "4 problem(s); the settings were not changed.",
    ]);
    // The same file for a Russian-speaking admin: every line in Russian, the paths as they are in the file.
    const ru = await runCli(["clinic", "import", file, "--lang", "ru"], env);
    expect(ru.code).toBe(1);
    expect(ru.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: colour: такой настройки CareBot не знает \\(здесь есть: formatVersion, address, `)),
      `${file}: bonus.accrualPercent: не больше 100`,
      `${file}: bonus.welcomeBonus: нужно число`,
      `${file}: segments.0.ageMax: нужно целое число лет от 0 до 150`,
      "4 ошибки; настройки не изменены.",
    ]);
    // The campaign's missing segment is reported once the rest of the document is right.
    document.bonus.accrualPercent = 10;
    document.bonus.welcomeBonus = 300;
    document.segments[0].ageMax = 17;
    delete document.colour;
    writeFileSync(file, JSON.stringify(document, null, 2));
    const second = await runCli(["clinic", "import", file], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`${file}: campaigns.0.segment: no segment "nobody" in segments (kids)\n`);
    const after = await t.db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    expect(after.updatedAt.toISOString()).toBe(before.updatedAt.toISOString());
  }, 120_000);

  it("points at the line and column of broken JSON, and names an unreadable file", async () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, '{\n  "bonus": {\n    "accrualPercent": 5,\n  }\n}\n');
    const res = await runCli(["clinic", "import", file], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: invalid JSON at line 4, column 3: `));
    const missing = await runCli(["clinic", "import", path.join(dir, "absent.json")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("absent.json: cannot read it (ENOENT)");
  }, 60_000);
});
