import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";
import { json, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

describe(`slots and appointments on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());

  const slot = (externalId: string, extra: Record<string, unknown> = {}) => ({
    externalId,
    doctor: "Смирнов А. В.",
    service: "Чистка зубов",
    startsAt: "2026-11-25T07:00:00Z",
    endsAt: "2026-11-25T08:00:00Z",
    ...extra,
  });
  const slotsOf = () => api.db.slot.findMany({ where: { clinicId: api.clinicId }, orderBy: { externalId: "asc" } });

  it("upserts free slots by externalId and never frees a booked one", async () => {
    expect(json(await api.post("/api/slots", { slots: [slot("S-1"), slot("S-2"), slot("S-3")] }), 200)).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect((await slotsOf()).map((s) => [s.externalId, s.status])).toEqual([
      ["S-1", "free"],
      ["S-2", "free"],
      ["S-3", "free"],
    ]);

    const patient = await createPatient(api.db, api.clinicId);
    const [s1, s2] = await slotsOf();
    await api.db.slot.update({ where: { id: s1!.id }, data: { status: "booked" } });
    await api.db.appointment.create({ data: { clinicId: api.clinicId, patientId: patient.id, slotId: s1!.id, createdAt: new Date("2026-10-01T10:00:00Z"), updatedAt: new Date("2026-10-01T10:00:00Z") } });
    await api.db.slot.update({ where: { id: s2!.id }, data: { status: "withdrawn" } });

    const again = await api.post("/api/slots", {
      slots: [slot("S-1", { startsAt: "2026-11-25T07:30:00Z", endsAt: "2026-11-25T08:30:00Z" }), slot("S-2"), slot("S-3"), slot("S-4", { doctor: "Кузнецова Е. П." })],
    });
    expect(json(again, 200)).toEqual({ created: 1, updated: 2, unchanged: 1 });
    const after = await slotsOf();
    expect(after.map((s) => [s.externalId, s.status])).toEqual([
      ["S-1", "booked"],
      ["S-2", "free"],
      ["S-3", "free"],
      ["S-4", "free"],
    ]);
    expect(after[0]).toMatchObject({ startsAt: new Date("2026-11-25T07:30:00Z"), endsAt: new Date("2026-11-25T08:30:00Z") });
    expect(after[3]).toMatchObject({ doctor: "Кузнецова Е. П.", clinicId: api.clinicId });
  });

  it.each([
    [{}, { slots: "is required" }],
    [{ slots: "S-1" }, { slots: "must be a list of slots" }],
    [{ slots: [{ externalId: "S-9" }] }, { "slots.0.doctor": "is required", "slots.0.service": "is required", "slots.0.startsAt": "is required", "slots.0.endsAt": "is required" }],
    [{ slots: [slot("S-9", { endsAt: "2026-11-25T06:00:00Z" })] }, { "slots.0.endsAt": "must be after startsAt" }],
    [{ slots: [slot("S-9"), slot("S-10", { startsAt: "noon" }), slot("S-9")] }, { "slots.1.startsAt": "must be an ISO date-time", "slots.2.externalId": '"S-9" is already slot 0' }],
  ])("refuses %j with 422 and changes nothing", async (payload, fields) => {
    const before = await api.db.slot.count();
    expect(json(await api.post("/api/slots", payload), 422)).toEqual({ error: "validation failed", fields });
    expect(await api.db.slot.count()).toBe(before);
  });

  it("lists appointments booked or changed since a moment, oldest change first, with the MIS's ids", async () => {
    const patient = await createPatient(api.db, api.clinicId);
    await api.post("/api/slots", { slots: [slot("A-1", { startsAt: "2026-12-01T07:00:00Z", endsAt: "2026-12-01T07:30:00Z" }), slot("A-2"), slot("A-3")] });
    const slots = new Map((await slotsOf()).map((s) => [s.externalId, s]));
    const book = (externalId: string, createdAt: string, status: "booked" | "cancelled" = "booked") =>
      api.db.appointment.create({ data: { clinicId: api.clinicId, patientId: patient.id, slotId: slots.get(externalId)!.id, createdAt: new Date(createdAt), updatedAt: new Date(createdAt), status } });
    const early = await book("A-2", "2026-11-20T10:00:00Z");
    const late = await book("A-1", "2026-11-23T10:00:00Z");
    const cancelled = await book("A-3", "2026-11-23T11:00:00Z", "cancelled");
    // Another clinic's bookings never show.
    const other = await createClinic(api.db);
    const stranger = await createPatient(api.db, other.id);
    const foreign = await api.db.slot.create({ data: { clinicId: other.id, externalId: "A-1", doctor: "X", service: "Y", startsAt: new Date(), endsAt: new Date() } });
    await api.db.appointment.create({ data: { clinicId: other.id, patientId: stranger.id, slotId: foreign.id, createdAt: new Date("2026-11-23T10:00:00Z") } });

    const since = json(await api.get("/api/appointments?since=2026-11-23T10:00:00%2B00:00"), 200);
    expect(since).toEqual([
      {
        id: late.id,
        patientExternalId: patient.externalId,
        slotExternalId: "A-1",
        visitExternalId: null,
        branch: null,
        doctor: "Смирнов А. В.",
        service: "Чистка зубов",
        startsAt: "2026-12-01T07:00:00.000Z",
        status: "booked",
        confirmedAt: null,
        cancelledAt: null,
        cancelReason: null,
        movedToId: null,
        createdAt: "2026-11-23T10:00:00.000Z",
        updatedAt: "2026-11-23T10:00:00.000Z",
      },
      expect.objectContaining({ id: cancelled.id, slotExternalId: "A-3", status: "cancelled" }),
    ]);
    const booked = json(await api.get("/api/appointments?since=2026-11-01T00:00:00Z&status=booked"), 200) as { id: number }[];
    expect(booked.map((a) => a.id)).toEqual([early.id, late.id]);
    // A change (the patient confirmed in the chat) brings an older booking back into the feed.
    await api.db.appointment.update({ where: { id: early.id }, data: { confirmedAt: new Date("2026-11-24T09:00:00Z"), updatedAt: new Date("2026-11-24T09:00:00Z") } });
    const changed = json(await api.get("/api/appointments?since=2026-11-24T00:00:00Z"), 200) as { id: number; confirmedAt: string }[];
    expect(changed).toEqual([expect.objectContaining({ id: early.id, confirmedAt: "2026-11-24T09:00:00.000Z", updatedAt: "2026-11-24T09:00:00.000Z" })]);
  });

  it("needs since as an ISO date-time", async () => {
    expect(json(await api.get("/api/appointments"), 422)).toEqual({ error: "validation failed", fields: { since: "is required" } });
    expect(json(await api.get("/api/appointments?since=yesterday"), 422).fields).toEqual({ since: "must be an ISO date-time" });
    expect(json(await api.get("/api/appointments?since=2026-01-01T00:00:00Z&status=lost"), 422).fields).toEqual({ status: 'must be "booked" or "cancelled"' });
  });
});

describe(`GET /api/escalations on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());

  it("lists the clinic's open escalations, most urgent first, then by SLA", async () => {
    const anna = await createPatient(api.db, api.clinicId);
    const escalate = (priority: "urgent" | "high" | "normal" | "low", slaDueAt: string, extra: { status?: "open" | "taken" | "resolved"; patientId?: number | null; clinicId?: number } = {}) =>
      api.db.escalation.create({
        data: {
          clinicId: extra.clinicId ?? api.clinicId,
          patientId: extra.patientId === undefined ? anna.id : extra.patientId,
          reason: priority === "urgent" ? "health_complaint" : "operator_request",
          priority,
          status: extra.status ?? "open",
          summary: `${priority} at ${slaDueAt}`,
          slaDueAt: new Date(slaDueAt),
          createdAt: new Date("2026-11-23T07:00:00Z"),
        },
      });
    const low = await escalate("low", "2026-11-24T09:00:00Z");
    const normalLate = await escalate("normal", "2026-11-24T12:00:00Z");
    const normalSoon = await escalate("normal", "2026-11-23T12:00:00Z", { patientId: null });
    const urgent = await escalate("urgent", "2026-11-23T08:30:00Z");
    const high = await escalate("high", "2026-11-23T11:00:00Z");
    const taken = await escalate("urgent", "2026-11-23T08:00:00Z", { status: "taken" });
    const other = await createClinic(api.db);
    await escalate("urgent", "2026-11-23T08:00:00Z", { clinicId: other.id, patientId: null });

    const open = json(await api.get("/api/escalations?status=open"), 200) as { id: number }[];
    expect(open.map((e) => e.id)).toEqual([urgent.id, high.id, normalSoon.id, normalLate.id, low.id]);
    expect(open[0]).toEqual({
      id: urgent.id,
      patientExternalId: anna.externalId,
      reason: "health_complaint",
      priority: "urgent",
      status: "open",
      slaDueAt: "2026-11-23T08:30:00.000Z",
      summary: "urgent at 2026-11-23T08:30:00Z",
      createdAt: "2026-11-23T07:00:00.000Z",
    });
    expect(open[2]).toMatchObject({ id: normalSoon.id, patientExternalId: null });
    expect((json(await api.get("/api/escalations"), 200) as unknown[]).length).toBe(5);
    expect((json(await api.get("/api/escalations?status=taken"), 200) as { id: number }[]).map((e) => e.id)).toEqual([taken.id]);
    expect(json(await api.get("/api/escalations?status=closed"), 422).fields).toEqual({ status: 'must be "open", "taken" or "resolved"' });
  });
});
