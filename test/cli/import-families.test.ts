// `carebot import patients` with the family and consent columns: guardians by phone or MIS id,
// consents with their date, source and text version, each bad cell refused on its row by column.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/cli/import.ts";
import { currentConsents } from "../../src/domain/consents/current.ts";
import { wardsOf } from "../../src/domain/families/guardians.ts";
import { loadPatientCard } from "../../src/domain/patients/card.ts";
import type { Db } from "../../src/db/client.ts";
import { runCli } from "../support/cli.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";

describe(`carebot import patients with guardians and consents on ${TEST_PROVIDER}`, () => {
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
    dir = mkdtempSync(path.join(tmpdir(), "carebot-import-families-"));
  });
  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const patient = (externalId: string) => db.patient.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId, externalId } } });

  it("ties children to their guardian, records each consent with its source and guardian, and refuses bad cells by column", async () => {
    const file = path.join(dir, "families.csv");
    const csv = [
      "externalId,fullName,phone,guardianPhone,guardianExternalId,guardianName,guardianRelation,consentPersonalData,consentCare,consentAdvertising,consentMedical,consentSource,consentTextVersion,consentByGuardian",
      "F-M,Петрова Анна Сергеевна,+79165553001,,,,,2025-09-01,,отозвано 2026-01-10,,paper,ПД-2025-09,",
      "F-1,Петров Михаил,+79165553011,,F-M,,parent,2025-09-01,,,2025-09-01,paper,МЕД-2025,да",
      "F-2,Смирнов Иван Петрович,+79165553021,+79165553099,,Смирнова Ольга,child,,,,2025-10-05,,,да",
      "F-3,Плохая Дата,+79165553031,,,,,2025-13-40,,,,,,",
      "F-4,Плохой Источник,+79165553041,,,,,,2025-09-01,,,phone,,",
      "F-5,Без Опекуна,+79165553051,,,,,,,,2025-09-01,,,да",
      "F-6,Плохая Связь,+79165553061,+79165553001,,,cousin,,,,,,,",
      "",
    ].join("\r\n");
    writeFileSync(file, csv);

    const result = await runCli(["import", "patients", file], env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("3 created, 0 updated, 4 refused (7 rows)");
    const report = parseCsv(readFileSync(path.join(dir, "families.errors.csv"), "utf8")).map((r) => r.fields);
    expect(report.map((r) => r.slice(0, 2))).toEqual([["line", "externalId"], ["5", "F-3"], ["6", "F-4"], ["7", "F-5"], ["8", "F-6"]]);
    expect(report[1]![2]).toMatch(/^consentPersonalData: /);
    expect(report[2]![2]).toMatch(/^consentSource: must be mis, import or paper/);
    expect(report[3]![2]).toContain("consents.0.byGuardian: the patient has no guardian");
    expect(report[4]![2]).toMatch(/^guardianRelation: /);

    const mother = await patient("F-M");
    const misha = await patient("F-1");
    const ivan = await patient("F-2");
    // The son's guardian is not a patient yet: a contact under her phone, which her chat links to.
    const olga = await patient("guardian-79165553099");
    expect(olga).toMatchObject({ fullName: "Смирнова Ольга", phone: "+79165553099", tags: ["guardian"] });
    expect((await wardsOf(db, mother.id)).map((w) => [w.fullName, w.relation])).toEqual([["Петров Михаил", "parent"]]);
    expect((await wardsOf(db, olga.id)).map((w) => [w.fullName, w.relation])).toEqual([["Смирнов Иван Петрович", "child"]]);

    // The console's patient card names the ties both ways.
    const card = await loadPatientCard(db, clinicId, mother.id, new Date());
    expect(card?.patient.family).toEqual({ wards: [{ id: misha.id, fullName: "Петров Михаил", relation: "parent" }], guardians: [] });
    expect((await loadPatientCard(db, clinicId, misha.id, new Date()))?.patient.family.guardians).toEqual([{ id: mother.id, fullName: "Петрова Анна Сергеевна", relation: "parent" }]);

    const motherConsents = await currentConsents(db, mother.id);
    expect(motherConsents.personal_data).toMatchObject({ granted: true, source: "paper", textVersion: "ПД-2025-09", at: new Date("2025-09-01T12:00:00Z") });
    expect(motherConsents.advertising).toMatchObject({ granted: false, source: "paper", at: new Date("2026-01-10T12:00:00Z") });
    expect(motherConsents.medical).toBeNull();
    const medical = await db.consent.findMany({ where: { kind: "medical" }, orderBy: { patientId: "asc" }, select: { patientId: true, guardianId: true, source: true, textVersion: true } });
    expect(medical).toEqual([
      { patientId: misha.id, guardianId: mother.id, source: "paper", textVersion: "МЕД-2025" },
      { patientId: ivan.id, guardianId: olga.id, source: "import", textVersion: "import" },
    ]);

    // The same file again records nothing twice.
    const again = await runCli(["import", "patients", file], env);
    expect(again.stdout).toContain("0 created, 3 updated, 4 refused (7 rows)");
    expect(await db.consent.count({ where: { clinicId } })).toBe(5);
    expect(await db.guardianship.count({ where: { clinicId } })).toBe(2);
  }, 240_000);
});
