import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../../support/db.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

describe(`POST /api/visits on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());
  beforeEach(() => api.clock.set("2026-11-23T08:00:00Z")); // Monday 11:00 in Moscow, 18:00 in Vladivostok

  const newPatient = async (extra: Record<string, unknown> = {}) => {
    const externalId = nextId("P");
    const phone = `+7999${String(2000000 + Number(externalId.split("-")[1])).slice(-7)}`;
    json(await api.post("/api/patients", { externalId, fullName: "Петрова Анна", phone, ...extra }), 201);
    return externalId;
  };
  const visitBody = (patientExternalId: string, extra: Record<string, unknown> = {}) => ({
    externalId: nextId("V"),
    patientExternalId,
    doctor: "Смирнов А. В.",
    service: "Чистка зубов",
    serviceCategory: "hygiene",
    amount: 500_000, // 5 000 ₽ → 5 % = 250 points
    status: "completed",
    startsAt: "2026-11-23T08:00:00Z", // the visit's own time: posted as it happens (see the issue-20 tests for late ones)
    ...extra,
  });
  const bonus = async (patientExternalId: string) => json(await api.get(`/api/patients/${patientExternalId}/bonus`), 200);
  const outboxOf = (visitId: number) => api.db.outbox.findMany({ where: { idempotencyKey: { in: [`checkin:${visitId}`, `nps:${visitId}`] } }, orderBy: { idempotencyKey: "asc" } });

  it("completes a visit: points and the welcome bonus visible in GET bonus, the NPS survey queued", async () => {
    const patient = await newPatient();
    const body = visitBody(patient);
    const result = json(await api.post("/api/visits", body), 201);
    const visit = await api.db.visit.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId: api.clinicId, externalId: body.externalId } } });
    expect(result).toEqual({ id: visit.id, externalId: body.externalId, status: "completed", accrued: 250, created: true, outdated: false, skippedTooOld: [] });
    expect(visit).toMatchObject({ status: "completed", completedAt: api.clock.now(), amount: 500_000, serviceCategory: "hygiene", isProcedure: false });
    expect(await bonus(patient)).toEqual({ balance: 550, expiringSoon: [] }); // 250 + welcome 300
    const row = await api.db.patient.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId: api.clinicId, externalId: patient } } });
    expect(row.lastCompletedVisitAt).toEqual(api.clock.now());

    const rows = await outboxOf(visit.id);
    expect(rows).toHaveLength(1); // not a procedure: no check-in
    expect(rows[0]).toMatchObject({
      clinicId: api.clinicId,
      idempotencyKey: `nps:${visit.id}`,
      patientId: row.id,
      identityId: null,
      kind: "start-flow",
      category: "care",
      status: "pending",
      payload: { startFlow: "nps", context: { visitId: visit.id, doctor: "Смирнов А. В.", service: "Чистка зубов", serviceCategory: "hygiene" } },
      dueAt: new Date("2026-11-23T10:00:00Z"), // 120 minutes later: 13:00 in Moscow
    });
  });

  it("answers a replay with the same result and books nothing twice", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { isProcedure: true, followUp: { dueAt: "2027-05-23T07:00:00Z", service: "Чистка зубов" } });
    const first = json(await api.post("/api/visits", body), 201);
    api.clock.advance(3_600_000);
    const again = json(await api.post("/api/visits", body), 200);
    expect(again).toEqual({ ...first, created: false });
    const visit = await api.db.visit.findUniqueOrThrow({ where: { id: first.id } });
    expect(visit.completedAt).toEqual(new Date("2026-11-23T08:00:00Z"));
    expect(await bonus(patient)).toEqual({ balance: 550, expiringSoon: [] });
    expect(await api.db.bonusEntry.count({ where: { visitId: first.id } })).toBe(2);
    expect(await outboxOf(first.id)).toHaveLength(2);
    expect(await api.db.followUp.count({ where: { visitId: first.id } })).toBe(1);
  });

  it("moves a scheduled visit to completed once, and a diagnostics visit earns only the welcome bonus", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { status: "scheduled", serviceCategory: "diagnostics", amount: 300_000 });
    expect(json(await api.post("/api/visits", body), 201)).toMatchObject({ status: "scheduled", accrued: 0, created: true });
    expect(await bonus(patient)).toEqual({ balance: 0, expiringSoon: [] });
    expect(await api.db.outbox.count({ where: { patient: { externalId: patient } } })).toBe(0);

    const done = json(await api.post("/api/visits", { ...body, status: "completed" }), 200);
    expect(done).toMatchObject({ status: "completed", accrued: 0, created: false });
    expect(await bonus(patient)).toEqual({ balance: 300, expiringSoon: [] });
  });

  it("refund: cancelled after completed takes the points back, once", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { isProcedure: true });
    const done = json(await api.post("/api/visits", body), 201);
    expect(await bonus(patient)).toMatchObject({ balance: 550 });

    api.clock.advance(10 * 60_000);
    const refunded = json(await api.post("/api/visits", { ...body, status: "cancelled" }), 200);
    expect(refunded).toEqual({ id: done.id, externalId: body.externalId, status: "cancelled", accrued: 250, created: false, outdated: false, skippedTooOld: [] });
    expect(await bonus(patient)).toEqual({ balance: 0, expiringSoon: [] });
    const reversal = await api.db.bonusEntry.findMany({ where: { visitId: done.id, kind: "reversal" } });
    expect(reversal).toMatchObject([{ amount: -550 }]);
    // The survey and the check-in of a refunded visit do not go out.
    expect((await outboxOf(done.id)).map((r) => r.status)).toEqual(["skipped", "skipped"]);

    expect(json(await api.post("/api/visits", { ...body, status: "cancelled" }), 200)).toEqual(refunded);
    expect(await bonus(patient)).toEqual({ balance: 0, expiringSoon: [] });
    expect(await api.db.bonusEntry.count({ where: { visitId: done.id, kind: "reversal" } })).toBe(1);
  });

  it("creates the recommended follow-up, one per (visit, service)", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { followUp: { dueAt: "2027-05-23T10:00:00+03:00", service: "Чистка зубов", doctor: "Смирнов А. В." } });
    const done = json(await api.post("/api/visits", body), 201);
    const followUps = await api.db.followUp.findMany({ where: { visitId: done.id } });
    expect(followUps).toMatchObject([
      { clinicId: api.clinicId, service: "Чистка зубов", doctor: "Смирнов А. В.", dueAt: new Date("2027-05-23T07:00:00Z"), status: "open", missedAt: null },
    ]);
    // The MIS moves the date: the same row takes it.
    json(await api.post("/api/visits", { ...body, followUp: { dueAt: "2027-06-01T07:00:00Z", service: "Чистка зубов" } }), 200);
    const moved = await api.db.followUp.findMany({ where: { visitId: done.id } });
    expect(moved).toMatchObject([{ id: followUps[0]!.id, dueAt: new Date("2027-06-01T07:00:00Z"), doctor: null }]);
  });

  it("missed: the patient's open follow-up for that service is marked missed, so rebooking starts", async () => {
    const patient = await newPatient();
    const first = json(await api.post("/api/visits", visitBody(patient, { followUp: { dueAt: "2026-12-20T07:00:00Z", service: "Контрольный осмотр" } })), 201);
    const followUp = await api.db.followUp.findFirstOrThrow({ where: { visitId: first.id } });

    const booked = visitBody(patient, { status: "scheduled", service: "Контрольный осмотр", amount: 0, startsAt: "2026-12-20T07:00:00Z" });
    json(await api.post("/api/visits", booked), 201);
    api.clock.set("2026-12-20T09:00:00Z");
    const missed = json(await api.post("/api/visits", { ...booked, status: "missed" }), 200);
    expect(missed).toMatchObject({ status: "missed", accrued: 0, created: false });
    // Missed when the visit was to start (its own time), not when the MIS said so.
    expect(await api.db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).toMatchObject({ status: "open", missedAt: new Date("2026-12-20T07:00:00Z") });
    // The missed visit is covered by that follow-up: no second one.
    expect(await api.db.followUp.count({ where: { patient: { externalId: patient } } })).toBe(1);
    // A replay later does not move missedAt.
    api.clock.advance(3_600_000);
    json(await api.post("/api/visits", { ...booked, status: "missed" }), 200);
    expect((await api.db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).missedAt).toEqual(new Date("2026-12-20T07:00:00Z"));
  });

  it("missed with no follow-up: the visit's own follow-up is opened, already missed", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { status: "missed", service: "Консультация", amount: 0 });
    const missed = json(await api.post("/api/visits", body), 201);
    expect(await api.db.followUp.findMany({ where: { visitId: missed.id } })).toMatchObject([
      { service: "Консультация", doctor: "Смирнов А. В.", dueAt: new Date(body.startsAt), missedAt: api.clock.now(), status: "open" },
    ]);
  });

  describe("care check-in and NPS survey due times", () => {
    const dueTimes = async (timezone: string | undefined, now: string) => {
      api.clock.set(now);
      const patient = await newPatient(timezone ? { timezone } : {});
      const done = json(await api.post("/api/visits", visitBody(patient, { isProcedure: true, startsAt: now })), 201);
      const rows = await outboxOf(done.id);
      expect(rows.map((r) => (r.payload as { startFlow: string }).startFlow)).toEqual(["care-checkin", "nps"]);
      expect(rows.every((r) => r.kind === "start-flow" && r.category === "care" && r.identityId === null)).toBe(true);
      return { checkin: rows[0]!.dueAt.toISOString(), nps: rows[1]!.dueAt.toISOString() };
    };

    it("Moscow (the clinic's zone): check-in at 10:00 the next morning, survey two hours later", async () => {
      // 11:00 in Moscow
      expect(await dueTimes(undefined, "2026-11-23T08:00:00Z")).toEqual({ checkin: "2026-11-24T07:00:00.000Z", nps: "2026-11-23T10:00:00.000Z" });
    });

    it("Moscow: an early visit's survey waits for 10:00", async () => {
      // 06:00 in Moscow: two hours later is 08:00, before the day starts
      expect(await dueTimes("Europe/Moscow", "2026-11-23T03:00:00Z")).toEqual({ checkin: "2026-11-24T07:00:00.000Z", nps: "2026-11-23T07:00:00.000Z" });
    });

    it("Moscow: a late visit's survey moves to the next morning", async () => {
      // 19:30 in Moscow: two hours later is 21:30
      expect(await dueTimes("Europe/Moscow", "2026-11-23T16:30:00Z")).toEqual({ checkin: "2026-11-24T07:00:00.000Z", nps: "2026-11-24T07:00:00.000Z" });
    });

    it("Vladivostok (the patient's own zone, UTC+10): times on the patient's clock", async () => {
      // 18:00 in Vladivostok: the survey at 20:00 is still daytime; the check-in at 10:00 there
      expect(await dueTimes("Asia/Vladivostok", "2026-11-23T08:00:00Z")).toEqual({ checkin: "2026-11-24T00:00:00.000Z", nps: "2026-11-23T10:00:00.000Z" });
      // 19:00 there: 21:00 is evening, so the next morning
      expect(await dueTimes("Asia/Vladivostok", "2026-11-23T09:00:00Z")).toEqual({ checkin: "2026-11-24T00:00:00.000Z", nps: "2026-11-24T00:00:00.000Z" });
    });

    it("Vladivostok: a visit just after midnight there (still the day before in UTC)", async () => {
      // 2026-11-23T15:00Z is 01:00 on 24 November in Vladivostok
      expect(await dueTimes("Asia/Vladivostok", "2026-11-23T15:00:00Z")).toEqual({ checkin: "2026-11-25T00:00:00.000Z", nps: "2026-11-24T00:00:00.000Z" });
    });
  });

  it("answers 422 for an unknown patient and creates nothing", async () => {
    const body = visitBody("NOBODY");
    const res = json(await api.post("/api/visits", body), 422);
    expect(res).toEqual({ error: "validation failed", fields: { patientExternalId: expect.stringContaining('no patient "NOBODY"') } });
    expect(await api.db.visit.count({ where: { externalId: body.externalId } })).toBe(0);
  });

  it("refuses a completed visit going back to scheduled or missed, and a refunded one coming back", async () => {
    const patient = await newPatient();
    const body = visitBody(patient);
    json(await api.post("/api/visits", body), 201);
    for (const status of ["scheduled", "missed"]) {
      expect(json(await api.post("/api/visits", { ...body, status }), 422)).toEqual({
        error: "validation failed",
        fields: { status: expect.stringContaining(`cannot go from completed to ${status}`) },
      });
    }
    expect(json(await api.post("/api/visits", { ...body, amount: 700_000 }), 422).fields).toEqual({ amount: expect.stringContaining("bonus is booked") });
    json(await api.post("/api/visits", { ...body, status: "cancelled" }), 200);
    expect(json(await api.post("/api/visits", { ...body, status: "completed" }), 422).fields).toEqual({ status: expect.stringContaining("refunded") });
  });

  it.each([
    [{}, ["externalId", "patientExternalId", "doctor", "service", "amount", "status", "startsAt"]],
    [{ amount: -1 }, ["amount"]],
    [{ amount: 10.5 }, ["amount"]],
    [{ amount: "5000" }, ["amount"]],
    [{ status: "done" }, ["status"]],
    [{ startsAt: "2026-11-23 10:00" }, ["startsAt"]],
    [{ startsAt: "2026-11-23T10:00:00" }, ["startsAt"]],
    [{ isProcedure: "yes" }, ["isProcedure"]],
    [{ followUp: { dueAt: "tomorrow", service: "" } }, ["followUp.dueAt", "followUp.service"]],
    [{ followUp: "soon" }, ["followUp"]],
  ])("refuses %j with 422 naming %j", async (patch, names) => {
    const body = Object.keys(patch).length === 0 ? {} : { ...visitBody("P-x"), ...patch };
    const res = json(await api.post("/api/visits", body), 422);
    expect(res.error).toBe("validation failed");
    expect(Object.keys(res.fields).sort()).toEqual([...names].sort());
  });

  it("records a visit once when the MIS sends it twice at the same time", async () => {
    const patient = await newPatient();
    const body = visitBody(patient, { isProcedure: true, followUp: { dueAt: "2027-05-23T07:00:00Z", service: "Чистка зубов" } });
    const results = await Promise.all([api.post("/api/visits", body), api.post("/api/visits", body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(results.map((r) => r.json().accrued)).toEqual([250, 250]);
    const id = results[0]!.json().id as number;
    expect(await api.db.bonusEntry.count({ where: { visitId: id } })).toBe(2);
    expect(await outboxOf(id)).toHaveLength(2);
    expect(await bonus(patient)).toMatchObject({ balance: 550 });
  });

  it("takes null for the optional fields", async () => {
    const patient = await newPatient();
    const res = json(await api.post("/api/visits", visitBody(patient, { serviceCategory: null, isProcedure: null, followUp: null })), 201);
    expect(await api.db.visit.findUniqueOrThrow({ where: { id: res.id } })).toMatchObject({ serviceCategory: null, isProcedure: false });
  });

  it("refuses an amount the database cannot hold", async () => {
    expect(json(await api.post("/api/visits", visitBody("P-x", { amount: 3_000_000_000 })), 422).fields).toEqual({ amount: "is too large (2147483647 at most)" });
  });

  it("explains the date-time it wants", async () => {
    const res = json(await api.post("/api/visits", { ...visitBody("P-x"), startsAt: "2026-11-23T10:00:00", followUp: { dueAt: "31.12.2026", service: "Осмотр" } }), 422);
    expect(res.fields).toEqual({ startsAt: "must be an ISO date-time with its offset (…Z or …+03:00)", "followUp.dueAt": "must be an ISO date-time" });
  });
});
