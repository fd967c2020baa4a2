import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { npsCategory, npsScore } from "../../src/domain/nps/category.ts";
import { npsAnswerRow } from "../../src/domain/nps/record.ts";
import type { NpsAnswer } from "../../src/domain/nps/record.ts";
import { insertNpsAnswer } from "../../src/db/queries/nps-answers.ts";
import { typedSql } from "../../src/db/kysely/index.ts";
import { npsReport } from "../../src/domain/nps/report.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

describe("NPS arithmetic", () => {
  it("buckets scores as promoters 9–10, passives 7–8, detractors 0–6", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual(["detractor", "detractor", "passive", "passive", "promoter", "promoter"]);
    expect(() => npsCategory(11)).toThrow(RangeError);
    expect(() => npsCategory(7.5)).toThrow(RangeError);
  });
  it("is % promoters − % detractors", () => {
    expect(npsScore({ promoters: 6, passives: 2, detractors: 2 })).toBe(40);
    expect(npsScore({ promoters: 1, passives: 1, detractors: 1 })).toBe(0);
    expect(npsScore({ promoters: 2, passives: 0, detractors: 1 })).toBe(33.3);
    expect(npsScore({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });
});

describe(`NPS answers and reports on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  /** Stores an answer as the survey's step does. */
  const recordNpsAnswer = async (answer: NpsAnswer) => ({ id: await insertNpsAnswer(typedSql(t.db), npsAnswerRow(answer)) });
  let db: Db;
  let clinicId: number;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    // A known data set: two doctors over two months (Moscow time).
    const answers: [doctor: string, score: number, at: string][] = [
      ["Орлова", 10, "2026-10-05T09:00:00Z"],
      ["Орлова", 9, "2026-10-20T09:00:00Z"],
      ["Орлова", 3, "2026-11-02T09:00:00Z"],
      ["Орлова", 8, "2026-11-03T09:00:00Z"],
      ["Громов", 10, "2026-11-04T09:00:00Z"],
      ["Громов", 2, "2026-11-05T09:00:00Z"],
      ["Громов", 6, "2026-11-06T09:00:00Z"],
      // 31 Oct 22:30 UTC is already 1 November in Moscow.
      ["Громов", 9, "2026-10-31T22:30:00Z"],
    ];
    for (const [i, [doctor, score, at]] of answers.entries()) {
      const patient = await createPatient(db, clinicId);
      const visit = await db.visit.create({
        data: { clinicId, patientId: patient.id, externalId: `NPS-V${i}`, doctor, service: "Консультация", serviceCategory: "therapy", amount: 100_000, status: "completed", startsAt: new Date(at), completedAt: new Date(at) },
      });
      await recordNpsAnswer({ clinicId, patientId: patient.id, visitId: visit.id, score, comment: score < 7 ? "долго ждал" : null, now: new Date(at) });
    }
  });
  afterAll(() => t.dispose());

  const range = { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z"), timezone: "Europe/Moscow" };

  it("reports NPS per doctor", async () => {
    const report = await npsReport(db, clinicId, { ...range, groupBy: "doctor" });
    expect(report.total).toMatchObject({ responses: 8, promoters: 4, passives: 1, detractors: 3, nps: 12.5 });
    expect(report.groups).toEqual([
      { group: "Громов", responses: 4, promoters: 2, passives: 0, detractors: 2, nps: 0 },
      { group: "Орлова", responses: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 },
    ]);
  });

  it("reports NPS per month in the clinic's time zone", async () => {
    const report = await npsReport(db, clinicId, { ...range, groupBy: "month" });
    expect(report.groups.map((g) => [g.group, g.responses, g.nps])).toEqual([
      ["2026-10", 2, 100],
      ["2026-11", 6, -16.7],
    ]);
  });

  it("keeps one answer per visit: a second answer replaces the first", async () => {
    const patient = await createPatient(db, clinicId);
    const visit = await db.visit.create({ data: { clinicId, patientId: patient.id, externalId: "NPS-again", doctor: "Орлова", service: "Консультация", amount: 1, status: "completed", startsAt: new Date(), completedAt: new Date() } });
    await recordNpsAnswer({ clinicId, patientId: patient.id, visitId: visit.id, score: 4, now: new Date() });
    await recordNpsAnswer({ clinicId, patientId: patient.id, visitId: visit.id, score: 9, comment: "  ", now: new Date() });
    const rows = await db.npsResponse.findMany({ where: { visitId: visit.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 9, category: "promoter", comment: null, doctor: "Орлова" });
  });

  it("keeps an answer about another patient's visit without the visit, and one without a visit as given", async () => {
    const patient = await createPatient(db, clinicId);
    const other = await createPatient(db, clinicId);
    const visit = await db.visit.create({ data: { clinicId, patientId: other.id, externalId: "NPS-other", doctor: "Громов", service: "Консультация", amount: 1, status: "completed", startsAt: new Date(), completedAt: new Date() } });
    const at = new Date("2026-11-10T08:30:00.123Z");
    const wrong = await recordNpsAnswer({ clinicId, patientId: patient.id, visitId: visit.id, score: 7, comment: " долго ", now: at });
    const none = await recordNpsAnswer({ clinicId, patientId: patient.id, score: 2, now: at });
    const rows = await db.npsResponse.findMany({ where: { patientId: patient.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.id)).toEqual([wrong.id, none.id]);
    expect(rows[0]).toMatchObject({ visitId: null, score: 7, category: "passive", comment: "долго", doctor: null, createdAt: at });
    expect(rows[1]).toMatchObject({ visitId: null, score: 2, category: "detractor", comment: null, doctor: null, createdAt: at });
  });
});
