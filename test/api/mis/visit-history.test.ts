// Issue 20: POST /api/visits/batch, and a clinic's whole history loaded through it: 10,000 visits
// that send nothing and leave the reactivation segment right.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleSegment } from "../../../src/domain/segments/query.ts";
import { runPlanner } from "../../../src/scheduler/run-planner.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { historyVisits, seedHistoryPatients } from "../../support/visit-history.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

const NOW = "2026-11-23T08:00:00Z";

describe(`POST /api/visits/batch on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi({ now: NOW });
  });
  afterAll(() => api?.close());

  const newPatient = async () => {
    const externalId = nextId("P");
    json(await api.post("/api/patients", { externalId, fullName: "Иванов Пётр", phone: `+7997${String(Number(externalId.split("-")[1])).padStart(7, "0")}` }), 201);
    return externalId;
  };
  const visit = (patientExternalId: string, extra: Record<string, unknown> = {}) => ({
    externalId: nextId("V"),
    patientExternalId,
    doctor: "Смирнов А. В.",
    service: "Пломба",
    amount: 400_000,
    status: "completed",
    startsAt: "2026-11-20T08:00:00Z",
    ...extra,
  });

  it("answers every row on its own: recorded, refused with its fields, the same visit twice in the MIS's order", async () => {
    const patient = await newPatient();
    const twice = visit(patient, { startsAt: "2026-10-01T08:00:00Z", updatedAt: "2026-10-01T10:00:00Z" });
    const body = {
      history: true,
      visits: [
        visit(patient),
        { ...visit(patient), amount: -1, startsAt: "yesterday" },
        visit("NOBODY"),
        { ...twice, status: "cancelled", updatedAt: "2026-10-02T10:00:00Z" },
        twice,
        "not a visit",
      ],
    };
    const res = json(await api.post("/api/visits/batch", body), 200);
    expect(res).toMatchObject({ history: true, created: 2, updated: 0, unchanged: 0, outdated: 1, refused: 3, skippedTooOld: { nps: 0, checkin: 0, followup: 0 } });
    expect(res.rows.map((r: { index: number; outcome: string }) => [r.index, r.outcome])).toEqual([
      [0, "created"],
      [1, "refused"],
      [2, "refused"],
      [3, "created"],
      [4, "outdated"],
      [5, "refused"],
    ]);
    expect(res.rows[0]).toMatchObject({ externalId: (body.visits[0] as { externalId: string }).externalId, accrued: 200, skippedTooOld: [] });
    expect(res.rows[1].fields).toEqual({ amount: "must not be negative", startsAt: "must be an ISO date-time" });
    expect(res.rows[2].fields.patientExternalId).toContain('no patient "NOBODY"');
    expect(res.rows[5]).toMatchObject({ externalId: null, fields: { body: "must be a JSON object" } });
    expect(await api.db.visit.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId: api.clinicId, externalId: twice.externalId } } })).toMatchObject({ status: "cancelled", completedAt: null });
    expect(await api.db.outbox.count({ where: { patient: { externalId: patient } } })).toBe(0);

    // Sent again: nothing changes, nothing is booked twice.
    const again = json(await api.post("/api/visits/batch", body), 200);
    expect(again).toMatchObject({ created: 0, unchanged: 2, outdated: 1, refused: 3 });
    expect(await api.db.bonusEntry.count({ where: { patient: { externalId: patient } } })).toBe(2); // accrual + welcome
  });

  it("a live batch (a nightly sync) starts what is still timely and counts what is too old", async () => {
    const patient = await newPatient();
    const res = json(
      await api.post("/api/visits/batch", { visits: [visit(patient, { startsAt: "2026-11-23T05:00:00Z", isProcedure: true }), visit(patient, { startsAt: "2026-11-10T08:00:00Z", isProcedure: true })] }),
      200,
    );
    expect(res).toMatchObject({ history: false, created: 2, skippedTooOld: { nps: 1, checkin: 1, followup: 0 } });
    const statuses = await api.db.outbox.findMany({ where: { patient: { externalId: patient } }, select: { status: true } });
    expect(statuses.map((s) => s.status).sort()).toEqual(["pending", "pending", "skipped", "skipped"]);
  });

  it("refuses a batch that is not a list of 1 to 1000 visits, naming the field", async () => {
    expect(json(await api.post("/api/visits/batch", { history: "yes" }), 422).fields).toEqual({ history: "must be true or false", visits: "is required" });
    expect(json(await api.post("/api/visits/batch", { visits: "all" }), 422).fields).toEqual({ visits: "must be a list of visits" });
    expect(json(await api.post("/api/visits/batch", { visits: [] }), 422).fields).toEqual({ visits: "must list at least one visit" });
    expect(json(await api.post("/api/visits/batch", { visits: Array.from({ length: 1001 }, () => ({})) }), 422).fields).toEqual({ visits: "has too many visits (1000 at most per request)" });
  });
});

describe(`a clinic's history through the API, on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi({ now: NOW });
  });
  afterAll(() => api?.close());

  it("10,000 historical visits send nothing, and the six-month segment holds exactly the patients last seen before it", { timeout: 600_000 }, async () => {
    const patients = await seedHistoryPatients(api.db, api.carebot.db.provider, api.clinicId, 2000);
    const now = api.clock.now();
    const { visits, lastVisit, sleeping } = historyVisits(patients, now, "Europe/Moscow");
    expect(visits).toHaveLength(10_000);
    for (let i = 0; i < visits.length; i += 1000) {
      const res = json(await api.post("/api/visits/batch", { history: true, visits: visits.slice(i, i + 1000) }), 200);
      expect(res).toMatchObject({ created: 1000, refused: 0 });
    }
    expect(await api.db.visit.count({ where: { clinicId: api.clinicId } })).toBe(10_000);
    expect(await api.db.outbox.count({ where: { clinicId: api.clinicId } })).toBe(0);
    // Nor does the scheduler start anything for them: yesterday's procedures, overdue follow-ups.
    for (const kind of ["checkin", "followup"] as const) await runPlanner(api.carebot.db, kind, { clinicId: api.clinicId, now });
    expect(await api.db.outbox.count({ where: { clinicId: api.clinicId } })).toBe(0);

    const rows = await api.db.patient.findMany({ where: { clinicId: api.clinicId, externalId: { startsWith: "HP-" } }, select: { externalId: true, lastCompletedVisitAt: true } });
    expect(rows.filter((r) => r.lastCompletedVisitAt?.getTime() !== lastVisit.get(r.externalId)!.getTime())).toEqual([]);

    const segment = { id: "sleeping", title: "Давно не были", lastVisitOlderThanMonths: 6 };
    const members = await sampleSegment(api.carebot.db, segment, { clinicId: api.clinicId, timezone: "Europe/Moscow", now }, 100_000);
    expect(sleeping.size).toBeGreaterThan(500);
    expect(new Set(members.map((m) => m.externalId))).toEqual(sleeping);

    // The ledger adds up: every balance is the sum of its entries, and nobody holds points older than six months.
    const sums = await api.db.bonusEntry.groupBy({ by: ["accountId"], where: { clinicId: api.clinicId }, _sum: { amount: true } });
    const accounts = new Map((await api.db.bonusAccount.findMany({ where: { clinicId: api.clinicId } })).map((a) => [a.id, a.balance]));
    expect(sums.filter((s) => accounts.get(s.accountId) !== s._sum.amount)).toEqual([]);
    expect(await api.db.bonusEntry.count({ where: { clinicId: api.clinicId, remaining: { gt: 0 }, expiresAt: { lte: now } } })).toBe(0);

    // The same history again: every row unchanged, nothing booked twice.
    const again = json(await api.post("/api/visits/batch", { history: true, visits: visits.slice(0, 1000) }), 200);
    expect(again).toMatchObject({ created: 0, unchanged: 1000 });
  });
});
