// Issue 20: a visit's own time drives what it starts; what is too old is skipped and counted; a
// history posting starts nothing; postings out of order end in the state the MIS's latest says.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dashboardPeriods } from "../../../src/operators/dashboard/periods.ts";
import { reminderFigures } from "../../../src/operators/dashboard/reminder-figures.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

const NOW = "2026-11-23T08:00:00Z"; // Monday 11:00 in Moscow
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const daysAgo = (d: number) => hoursAgo(d * 24);

describe(`a visit's own time, on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi({ now: NOW });
  });
  afterAll(() => api?.close());
  beforeEach(() => api.clock.set(NOW));

  const newPatient = async () => {
    const externalId = nextId("P");
    const phone = `+7999${String(3000000 + Number(externalId.split("-")[1])).slice(-7)}`;
    json(await api.post("/api/patients", { externalId, fullName: "Соколова Мария", phone }), 201);
    const row = await api.db.patient.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId: api.clinicId, externalId } } });
    return { externalId, id: row.id };
  };
  const visit = (patientExternalId: string, extra: Record<string, unknown> = {}) => ({
    externalId: nextId("V"),
    patientExternalId,
    doctor: "Смирнов А. В.",
    service: "Удаление зуба",
    serviceCategory: "surgery",
    amount: 500_000, // 5 % = 250 points
    status: "completed",
    startsAt: NOW,
    ...extra,
  });
  const rowsOf = (visitId: number) => api.db.outbox.findMany({ where: { idempotencyKey: { in: [`checkin:${visitId}`, `nps:${visitId}`] } }, orderBy: { idempotencyKey: "asc" } });
  const lastVisit = async (patientId: number) => (await api.db.patient.findUniqueOrThrow({ where: { id: patientId } })).lastCompletedVisitAt;
  const credits = (visitId: number) => api.db.bonusEntry.findMany({ where: { visitId, kind: { in: ["accrual", "welcome"] } }, orderBy: { id: "asc" } });

  it("a visit that ended three hours ago gets its survey now, not two hours after the sync", async () => {
    const patient = await newPatient();
    const body = visit(patient.externalId, { startsAt: hoursAgo(3), endsAt: hoursAgo(2.5) });
    const done = json(await api.post("/api/visits", body), 201);
    expect(done).toMatchObject({ status: "completed", accrued: 250, skippedTooOld: [] });
    const row = await api.db.visit.findUniqueOrThrow({ where: { id: done.id } });
    expect(row).toMatchObject({ completedAt: new Date(hoursAgo(2.5)), endsAt: new Date(hoursAgo(2.5)), history: false });
    const [nps] = await rowsOf(done.id);
    // Due 120 minutes after the visit ended, 30 minutes ago: it goes out now (11:00 in Moscow is daytime).
    expect(nps).toMatchObject({ idempotencyKey: `nps:${done.id}`, status: "pending" });
    expect(nps!.dueAt.getTime()).toBeLessThanOrEqual(api.clock.now().getTime() + 60_000);
    expect(nps!.dueAt).toEqual(api.clock.now());
    expect(await lastVisit(patient.id)).toEqual(new Date(hoursAgo(2.5)));
    expect((await credits(done.id)).map((c) => c.expiresAt)).toEqual([new Date("2027-05-23T05:30:00Z"), new Date("2027-05-23T05:30:00Z")]);
  });

  it("a completion time from the MIS wins over the visit's end, and never lies in the future", async () => {
    const patient = await newPatient();
    const stated = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: hoursAgo(5), endsAt: hoursAgo(4), completedAt: hoursAgo(3) })), 201);
    expect((await api.db.visit.findUniqueOrThrow({ where: { id: stated.id } })).completedAt).toEqual(new Date(hoursAgo(3)));
    const ahead = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: hoursAgo(1), completedAt: hoursAgo(-2) })), 201);
    expect((await api.db.visit.findUniqueOrThrow({ where: { id: ahead.id } })).completedAt).toEqual(api.clock.now());
  });

  it("a visit from ten days ago gets no survey and no check-in, counted as skipped; its points expire six months after it", async () => {
    const patient = await newPatient();
    const body = visit(patient.externalId, { startsAt: daysAgo(10), isProcedure: true });
    const done = json(await api.post("/api/visits", body), 201);
    expect(done).toMatchObject({ accrued: 250, skippedTooOld: ["checkin", "nps"] });
    const rows = await rowsOf(done.id);
    expect(rows.map((r) => [r.idempotencyKey, r.status])).toEqual([
      [`checkin:${done.id}`, "skipped"],
      [`nps:${done.id}`, "skipped"],
    ]);
    expect(rows.every((r) => r.lastError!.startsWith("too old: "))).toBe(true);
    expect((await credits(done.id)).map((c) => c.expiresAt!.toISOString())).toEqual(["2027-05-13T08:00:00.000Z", "2027-05-13T08:00:00.000Z"]);
    expect(json(await api.get(`/api/patients/${patient.externalId}/bonus`), 200)).toEqual({ balance: 550, expiringSoon: [] });
    expect(await lastVisit(patient.id)).toEqual(new Date(daysAgo(10)));

    // The dashboard counts them apart from the opted-out and the unreachable.
    const figures = await reminderFigures(api.carebot.db, api.clinicId, dashboardPeriods(api.clock.now(), "Europe/Moscow"));
    expect(figures.kinds.find((k) => k.kind === "nps")).toMatchObject({ tooOld: 1, skipped: 0 });
    expect(figures.kinds.find((k) => k.kind === "checkin")).toMatchObject({ tooOld: 1, skipped: 0 });
    expect(figures.total.tooOld).toBe(2);

    // A replay counts nothing twice.
    expect(json(await api.post("/api/visits", body), 200)).toMatchObject({ created: false, skippedTooOld: [] });
    expect((await reminderFigures(api.carebot.db, api.clinicId, dashboardPeriods(api.clock.now(), "Europe/Moscow"))).total.tooOld).toBe(2);
  });

  it("the check-in after yesterday morning's procedure goes out this morning; one from three days ago is skipped, its survey not yet", async () => {
    const patient = await newPatient();
    // Sunday 22 November 09:00 in Moscow, posted on Monday at 11:00.
    const yesterday = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: "2026-11-22T06:00:00Z", isProcedure: true })), 201);
    const [checkin, nps] = await rowsOf(yesterday.id);
    expect(checkin).toMatchObject({ status: "pending", dueAt: api.clock.now() }); // was due at 10:00 today: now
    expect(nps).toMatchObject({ status: "pending", dueAt: api.clock.now() });
    expect(yesterday.skippedTooOld).toEqual([]);

    const older = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: daysAgo(3), isProcedure: true })), 201);
    expect(older.skippedTooOld).toEqual(["checkin"]); // check-ins: 2 days at most, surveys: 3
  });

  it("a late sync in the evening waits for the patient's morning", async () => {
    api.clock.set("2026-11-23T19:00:00Z"); // 22:00 in Moscow
    const patient = await newPatient();
    const done = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: "2026-11-23T12:00:00Z" })), 201);
    const [nps] = await rowsOf(done.id);
    expect(nps!.dueAt).toEqual(new Date("2026-11-24T07:00:00Z")); // 10:00 the next morning
  });

  it("an older visit posted later never moves the patient's last visit back", async () => {
    const patient = await newPatient();
    json(await api.post("/api/visits", visit(patient.externalId, { startsAt: daysAgo(1) })), 201);
    json(await api.post("/api/visits", visit(patient.externalId, { startsAt: daysAgo(40) })), 201);
    expect(await lastVisit(patient.id)).toEqual(new Date(daysAgo(1)));
  });

  it("points of a visit older than their lifetime are credited and expired at once, dated at their expiry", async () => {
    const patient = await newPatient();
    const done = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: "2026-03-10T08:00:00Z" })), 201);
    expect(done).toMatchObject({ accrued: 250, skippedTooOld: ["nps"] });
    const expiries = await api.db.bonusEntry.findMany({ where: { patientId: patient.id, kind: "expiry" }, orderBy: { id: "asc" } });
    expect(expiries.map((e) => [e.amount, e.createdAt.toISOString()])).toEqual([
      [-250, "2026-09-10T08:00:00.000Z"],
      [-300, "2026-09-10T08:00:00.000Z"],
    ]);
    expect(json(await api.get(`/api/patients/${patient.externalId}/bonus`), 200)).toEqual({ balance: 0, expiringSoon: [] });
  });

  it("a missed visit from long ago starts no rebooking: the nudge is skipped as too old", async () => {
    const patient = await newPatient();
    const missed = json(await api.post("/api/visits", visit(patient.externalId, { status: "missed", amount: 0, startsAt: daysAgo(90) })), 201);
    expect(missed.skippedTooOld).toEqual(["followup"]);
    const followUp = await api.db.followUp.findFirstOrThrow({ where: { visitId: missed.id } });
    expect(followUp).toMatchObject({ missedAt: new Date(daysAgo(90)), attempts: 0 });
    expect(await api.db.outbox.findMany({ where: { patientId: patient.id }, select: { idempotencyKey: true, status: true } })).toEqual([
      { idempotencyKey: `followup:${followUp.id}:stale`, status: "skipped" },
    ]);
    // One missed yesterday is offered new times at once.
    const recent = json(await api.post("/api/visits", visit(patient.externalId, { status: "missed", service: "Осмотр", amount: 0, startsAt: daysAgo(1) })), 201);
    expect(recent.skippedTooOld).toEqual([]);
    const own = await api.db.followUp.findFirstOrThrow({ where: { visitId: recent.id } });
    expect(await api.db.outbox.findUnique({ where: { idempotencyKey: `followup:${own.id}:1` } })).toMatchObject({ status: "pending" });
  });

  describe("history", () => {
    it("records the visit, its points and the patient's last visit, and queues nothing at all", async () => {
      const patient = await newPatient();
      const body = { ...visit(patient.externalId, { startsAt: hoursAgo(20), isProcedure: true, followUp: { dueAt: daysAgo(2), service: "Осмотр" } }), history: true };
      const done = json(await api.post("/api/visits", body), 201);
      expect(done).toMatchObject({ accrued: 250, skippedTooOld: [] });
      expect(await api.db.visit.findUniqueOrThrow({ where: { id: done.id } })).toMatchObject({ history: true, completedAt: new Date(hoursAgo(20)) });
      expect(await api.db.outbox.count({ where: { patientId: patient.id } })).toBe(0);
      expect(await lastVisit(patient.id)).toEqual(new Date(hoursAgo(20)));
      expect(await api.db.followUp.count({ where: { visitId: done.id } })).toBe(1);

      // Posted again later without the flag, even with a corrected time: still history, still silent.
      const { history: _, ...live } = body;
      expect(json(await api.post("/api/visits", { ...live, startsAt: hoursAgo(19) }), 200)).toMatchObject({ skippedTooOld: [] });
      expect(await api.db.visit.findUniqueOrThrow({ where: { id: done.id } })).toMatchObject({ history: true, completedAt: new Date(hoursAgo(19)) });
      expect(await lastVisit(patient.id)).toEqual(new Date(hoursAgo(19)));
      expect(await api.db.outbox.count({ where: { patientId: patient.id } })).toBe(0);

      // A missed one in the history offers no new time.
      json(await api.post("/api/visits", { ...visit(patient.externalId, { status: "missed", amount: 0, startsAt: daysAgo(1) }), history: true }), 201);
      expect(await api.db.outbox.count({ where: { patientId: patient.id } })).toBe(0);
    });
  });

  describe("out of order", () => {
    it("a cancellation before the completion (by the MIS's updatedAt) stays cancelled", async () => {
      const patient = await newPatient();
      const body = visit(patient.externalId, { startsAt: hoursAgo(3) });
      const cancelled = json(await api.post("/api/visits", { ...body, status: "cancelled", amount: 0, updatedAt: hoursAgo(1) }), 201);
      const late = json(await api.post("/api/visits", { ...body, updatedAt: hoursAgo(2) }), 200);
      expect(late).toMatchObject({ id: cancelled.id, status: "cancelled", outdated: true, accrued: 0 });
      expect(await api.db.visit.findUniqueOrThrow({ where: { id: cancelled.id } })).toMatchObject({ status: "cancelled", completedAt: null, misUpdatedAt: new Date(hoursAgo(1)) });
      expect(await api.db.bonusEntry.count({ where: { patientId: patient.id } })).toBe(0);
      expect(await api.db.outbox.count({ where: { patientId: patient.id } })).toBe(0);
    });

    it("without updatedAt the order of arrival decides: the later completion completes it", async () => {
      const patient = await newPatient();
      const body = visit(patient.externalId, { startsAt: hoursAgo(3) });
      json(await api.post("/api/visits", { ...body, status: "cancelled", amount: 0 }), 201);
      expect(json(await api.post("/api/visits", body), 200)).toMatchObject({ status: "completed", accrued: 250 });
    });

    it("a refund after the completion refunds; a completion arriving after its refund changes nothing", async () => {
      const patient = await newPatient();
      const body = visit(patient.externalId, { startsAt: hoursAgo(3) });
      json(await api.post("/api/visits", { ...body, updatedAt: hoursAgo(2.5) }), 201);
      json(await api.post("/api/visits", { ...body, status: "cancelled", updatedAt: hoursAgo(1) }), 200);
      // The MIS retries its older completion: acknowledged (200, not 422), nothing moves.
      expect(json(await api.post("/api/visits", { ...body, updatedAt: hoursAgo(2.5) }), 200)).toMatchObject({ status: "cancelled", outdated: true });
      expect(json(await api.get(`/api/patients/${patient.externalId}/bonus`), 200)).toMatchObject({ balance: 0 });
    });

    it("the same visit twice with different times ends at the later posting's time, whichever arrives first", async () => {
      for (const order of ["in order", "reversed"] as const) {
        const patient = await newPatient();
        const first = visit(patient.externalId, { startsAt: daysAgo(2), isProcedure: true, updatedAt: hoursAgo(30) });
        const second = { ...first, startsAt: hoursAgo(5), updatedAt: hoursAgo(4) };
        const [a, b] = order === "in order" ? [first, second] : [second, first];
        const done = json(await api.post("/api/visits", a), 201);
        const again = json(await api.post("/api/visits", b), 200);
        expect(again.outdated).toBe(order === "reversed");
        const row = await api.db.visit.findUniqueOrThrow({ where: { id: done.id } });
        expect(row, order).toMatchObject({ startsAt: new Date(hoursAgo(5)), completedAt: new Date(hoursAgo(5)), misUpdatedAt: new Date(hoursAgo(4)) });
        expect(await lastVisit(patient.id)).toEqual(new Date(hoursAgo(5)));
        expect((await credits(done.id)).map((c) => c.createdAt)).toEqual([new Date(hoursAgo(5)), new Date(hoursAgo(5))]);
        expect((await credits(done.id)).map((c) => c.expiresAt)).toEqual([new Date("2027-05-23T03:00:00Z"), new Date("2027-05-23T03:00:00Z")]);
        const [checkin, nps] = await rowsOf(done.id);
        // Both pending on the new time: the check-in tomorrow at 10:00, the survey now (due 2 h after 06:00 Moscow, i.e. before 10:00, then now).
        expect(checkin, order).toMatchObject({ status: "pending", dueAt: new Date("2026-11-24T07:00:00Z") });
        expect(nps, order).toMatchObject({ status: "pending" });
      }
    });
  });

  it("follows the clinic's own limits (staleAfterDays)", async () => {
    const patient = await newPatient();
    const clinic = await api.db.clinic.findUniqueOrThrow({ where: { id: api.clinicId } });
    const settings = clinic.settings as Record<string, unknown>;
    await api.db.clinic.update({ where: { id: api.clinicId }, data: { settings: { ...settings, staleAfterDays: { nps: 14, checkin: 2, followUp: 60 } } } });
    try {
      const done = json(await api.post("/api/visits", visit(patient.externalId, { startsAt: daysAgo(10) })), 201);
      expect(done.skippedTooOld).toEqual([]);
      expect((await rowsOf(done.id))[0]).toMatchObject({ status: "pending", dueAt: api.clock.now() });
    } finally {
      await api.db.clinic.update({ where: { id: api.clinicId }, data: { settings: settings as object } });
    }
  });
});
