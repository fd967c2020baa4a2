// Issue 20: `carebot import visits FILE.csv`, a clinic's history loaded from its MIS: it sends
// nothing, it can run twice, and it tells which rows it refused and why.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField } from "../../src/cli/import.ts";
import { VISIT_COLUMNS } from "../../src/cli/import-visits.ts";
import type { Db } from "../../src/db/client.ts";
import { sampleSegment } from "../../src/domain/segments/query.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";
import { historyVisits, seedHistoryPatients } from "../support/visit-history.ts";
import type { HistoryVisit } from "../support/visit-history.ts";

/** Rows of the history in the CSV's columns. */
function csvOf(visits: HistoryVisit[]): string {
  const lines = [VISIT_COLUMNS.join(",")];
  for (const v of visits) {
    const cells: Record<string, string | number> = {
      externalId: v.externalId,
      patientExternalId: v.patientExternalId,
      doctor: v.doctor,
      service: v.service,
      serviceCategory: v.serviceCategory ?? "",
      isProcedure: v.isProcedure ? "да" : "нет",
      amount: v.amount,
      status: v.status,
      startsAt: v.startsAt,
      endsAt: v.endsAt ?? "",
      completedAt: "",
      updatedAt: "",
      followUpDueAt: v.followUp?.dueAt ?? "",
      followUpService: v.followUp?.service ?? "",
      followUpDoctor: "",
    };
    lines.push(VISIT_COLUMNS.map((c) => csvField(cells[c]!)).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

describe(`carebot import visits on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    const clinic = await createClinic(db);
    clinicId = clinic.id;
    env = { DATABASE_URL: t.config.url, CLINIC_SLUG: clinic.slug };
    dir = mkdtempSync(path.join(tmpdir(), "carebot-visits-"));
  });
  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("records the good rows as history, refuses the bad ones by line, and exits 1", async () => {
    const patient = await createPatient(db, clinicId);
    const recent = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const file = path.join(dir, "visits.csv");
    writeFileSync(
      file,
      [
        "externalId,patientExternalId,doctor,service,serviceCategory,isProcedure,amount,status,startsAt,followUpDueAt,followUpService",
        `CV-1,${patient.externalId},Орлова И. В.,Удаление зуба,surgery,да,500000,completed,${recent},,`,
        `CV-2,${patient.externalId},Орлова И. В.,Осмотр,,нет,-5,completed,2026-13-01,,`,
        `CV-3,NOBODY,Орлова И. В.,Осмотр,,,0,missed,2026-06-01T07:00:00Z,,`,
        `CV-4,${patient.externalId},"Смирнов, А. В.",Гигиена,hygiene,,350000,completed,2026-05-10T07:00:00Z,2026-11-10T07:00:00Z,Гигиена`,
        `CV-5,${patient.externalId},"Орлова"И,Осмотр,,,0,completed,2026-05-10T07:00:00Z,,`,
        "",
      ].join("\n"),
    );
    const result = await runCli(["import", "visits", file], env, 120_000);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("as history: no message will be sent");
    expect(result.stdout).toContain("imported 3/3 rows");
    expect(result.stdout).toContain("2 created, 0 updated, 0 unchanged, 0 outdated, 3 refused (5 rows)");
    expect(result.stderr).toContain("line 3: amount: must not be negative; startsAt: must be an ISO date-time\n");
    expect(result.stderr).toContain('line 4: patientExternalId: no patient "NOBODY"');
    expect(result.stderr).toContain("line 6: text after the closing quote of field 3");
    const report = readFileSync(path.join(dir, "visits.errors.csv"), "utf8");
    expect(report.split("\r\n")[0]).toBe("line,externalId,error");
    expect(report).toContain("3,CV-2,");

    // No conversation at all, even for the procedure three hours ago; the facts are there.
    expect(await db.outbox.count({ where: { clinicId } })).toBe(0);
    const visits = await db.visit.findMany({ where: { clinicId }, orderBy: { externalId: "asc" } });
    expect(visits.map((v) => [v.externalId, v.status, v.history, v.completedAt?.toISOString()])).toEqual([
      ["CV-1", "completed", true, recent],
      ["CV-4", "completed", true, "2026-05-10T07:00:00.000Z"],
    ]);
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).lastCompletedVisitAt).toEqual(new Date(recent));
    expect(await db.followUp.count({ where: { patientId: patient.id } })).toBe(1);
    // CV-4's points (and the welcome bonus, with the patient's first visit) expired on 10 November; CV-1's are held.
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).balance).toBe(250);
  });

  it(
    "10,000 historical visits send nothing, leave the six-month segment right, and a second run records nothing twice",
    { timeout: 600_000 },
    async () => {
      const patients = await seedHistoryPatients(db, t.db.provider, clinicId, 2000, "CP");
      const now = new Date();
      const { visits, lastVisit, sleeping } = historyVisits(patients, now, "Europe/Moscow");
      const file = path.join(dir, "history.csv");
      writeFileSync(file, csvOf(visits));

      const first = await runCli(["import", "visits", file], env, 300_000);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain("imported 10000/10000 rows");
      expect(first.stdout).toContain("10000 created, 0 updated, 0 unchanged, 0 outdated, 0 refused (10000 rows)");
      expect(await db.outbox.count({ where: { clinicId } })).toBe(0);

      const rows = await db.patient.findMany({ where: { clinicId, externalId: { startsWith: "CP-" } }, select: { externalId: true, lastCompletedVisitAt: true } });
      expect(rows.filter((r) => r.lastCompletedVisitAt?.getTime() !== lastVisit.get(r.externalId)!.getTime())).toEqual([]);
      const segment = { id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 };
      const members = await sampleSegment(t.db, segment, { clinicId, timezone: "Europe/Moscow", now }, 100_000);
      expect(new Set(members.map((m) => m.externalId).filter((id) => id.startsWith("CP-")))).toEqual(sleeping);

      const entries = await db.bonusEntry.count({ where: { clinicId } });
      const again = await runCli(["import", "visits", file], env, 300_000);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("0 created, 0 updated, 10000 unchanged, 0 outdated, 0 refused (10000 rows)");
      expect(await db.bonusEntry.count({ where: { clinicId } })).toBe(entries);
      expect(await db.outbox.count({ where: { clinicId } })).toBe(0);
    },
  );
});
