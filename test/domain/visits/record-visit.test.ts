import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client.ts";
import { recordVisit, VisitRefused } from "../../../src/domain/visits/record-visit.ts";
import type { VisitInput } from "../../../src/domain/visits/record-visit.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";

type Patient = Awaited<ReturnType<typeof createPatient>>;

describe(`recordVisit on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let n = 0;
  const NOW = new Date("2026-11-23T08:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db, { npsDelayMinutes: 60, bonus: { accrualPercent: 10 } })).id;
  });
  afterAll(() => t?.dispose());

  const record = (input: VisitInput, now = NOW, clinic = clinicId) => db.$transaction((tx) => recordVisit(tx, { clinicId: clinic, now }, input));
  const visit = (patient: Patient, extra: Partial<VisitInput> = {}): VisitInput => ({
    externalId: `V-${++n}`,
    patientExternalId: patient.externalId,
    doctor: "Смирнов А. В.",
    service: "Пломба",
    serviceCategory: "therapy",
    isProcedure: false,
    amount: 400_000,
    status: "completed",
    startsAt: NOW, // the visit's own time: a completed visit posted as it happens
    ...extra,
  });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(VisitRefused);
    return { field: (error as VisitRefused).field, message: (error as VisitRefused).message };
  };

  it("follows the clinic's rules: its own percentage and survey delay", async () => {
    const patient = await createPatient(db, clinicId);
    const result = await record(visit(patient));
    expect(result).toMatchObject({ status: "completed", accrued: 400, welcome: 300, created: true, changed: true, reversed: 0, referralQualified: false });
    const nps = await db.outbox.findUniqueOrThrow({ where: { idempotencyKey: `nps:${result.id}` } });
    expect(nps.dueAt).toEqual(new Date("2026-11-23T09:00:00Z"));
  });

  it("answers a replay with changed: false and the same points, without touching the row", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient);
    const first = await record(input);
    const row = await db.visit.findUniqueOrThrow({ where: { id: first.id } });
    const again = await record(input, new Date("2026-11-23T09:00:00Z"));
    expect(again).toEqual({ ...first, created: false, changed: false, welcome: 0 });
    expect((await db.visit.findUniqueOrThrow({ where: { id: first.id } })).updatedAt).toEqual(row.updatedAt);
  });

  it("refuses an unknown patient, another clinic's patient, and a visit recorded for someone else", async () => {
    const anna = await createPatient(db, clinicId);
    const boris = await createPatient(db, clinicId);
    expect(await refusal(record({ ...visit(anna), patientExternalId: "NOBODY" }))).toMatchObject({ field: "patientExternalId" });

    const other = await createClinic(db);
    const stranger = await createPatient(db, other.id);
    expect(await refusal(record(visit(stranger)))).toMatchObject({ field: "patientExternalId", message: expect.stringContaining("no patient") });

    const annas = visit(anna, { status: "scheduled" });
    await record(annas);
    expect(await refusal(record({ ...annas, patientExternalId: boris.externalId }))).toEqual({
      field: "patientExternalId",
      message: `visit "${annas.externalId}" is recorded for another patient`,
    });
  });

  it("the same MIS id in two clinics is two visits", async () => {
    const other = await createClinic(db);
    const here = await createPatient(db, clinicId);
    const there = await createPatient(db, other.id);
    const input = visit(here, { status: "scheduled" });
    const a = await record(input);
    const b = await record({ ...input, patientExternalId: there.externalId }, NOW, other.id);
    expect(b.created).toBe(true);
    expect(b.id).not.toBe(a.id);
  });

  it("cancelled before completion books nothing, and may be booked again and completed", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient, { status: "cancelled" });
    expect(await record(input)).toMatchObject({ status: "cancelled", accrued: 0, reversed: 0 });
    expect(await db.bonusEntry.count({ where: { patientId: patient.id } })).toBe(0);
    await record({ ...input, status: "scheduled" });
    expect(await record({ ...input, status: "completed" })).toMatchObject({ status: "completed", accrued: 400, welcome: 300 });
  });

  it("missed, then completed after all (the MIS corrects itself): points are booked", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient, { status: "missed" });
    expect(await record(input)).toMatchObject({ status: "missed", followUpsMissed: 1 });
    expect(await record({ ...input, status: "completed" })).toMatchObject({ status: "completed", accrued: 400 });
  });

  it("a second missed visit for a service already being rebooked opens no second follow-up", async () => {
    const patient = await createPatient(db, clinicId);
    await record(visit(patient, { status: "missed", service: "Осмотр" }));
    const second = await record(visit(patient, { status: "missed", service: "Осмотр" }), new Date("2026-11-30T08:00:00Z"));
    expect(second.followUpsMissed).toBe(0);
    const followUps = await db.followUp.findMany({ where: { patientId: patient.id } });
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.missedAt).toEqual(NOW);
  });

  it("the missed-visit nudge and the follow-up planner share one attempt counter: nothing is counted twice", async () => {
    const patient = await createPatient(db, clinicId);
    const base = { clinicId, patientId: patient.id, service: "Осмотр", dueAt: new Date("2026-11-20T07:00:00Z") };
    const nudges = (id: number) => db.outbox.findMany({ where: { idempotencyKey: { startsWith: `followup:${id}:` } }, orderBy: { id: "asc" } });

    // The planner already nudged an overdue follow-up (attempt 1) and the row has not gone out yet:
    // the missed visit does not queue a second nudge, and attempts stays 1.
    const waiting = await db.followUp.create({ data: { ...base, attempts: 1, lastAttemptAt: NOW } });
    await db.outbox.create({ data: { clinicId, patientId: patient.id, idempotencyKey: `followup:${waiting.id}:1`, kind: "start-flow", category: "transactional", payload: {}, dueAt: NOW } });
    await record(visit(patient, { status: "missed", service: "Осмотр" }));
    expect((await nudges(waiting.id)).map((o) => o.idempotencyKey)).toEqual([`followup:${waiting.id}:1`]);
    expect((await db.followUp.findUniqueOrThrow({ where: { id: waiting.id } })).attempts).toBe(1);

    // Once that nudge has gone, a missed visit is the next attempt (2), counted once.
    const other = await createPatient(db, clinicId);
    const sent = await db.followUp.create({ data: { ...base, patientId: other.id, attempts: 1, lastAttemptAt: NOW } });
    await db.outbox.create({ data: { clinicId, patientId: other.id, idempotencyKey: `followup:${sent.id}:1`, kind: "start-flow", category: "transactional", payload: {}, dueAt: NOW, status: "sent", sentAt: NOW } });
    await record(visit(other, { status: "missed", service: "Осмотр" }));
    expect((await nudges(sent.id)).map((o) => o.idempotencyKey)).toEqual([`followup:${sent.id}:1`, `followup:${sent.id}:2`]);
    expect((await db.followUp.findUniqueOrThrow({ where: { id: sent.id } })).attempts).toBe(2);
  });

  it("missed leaves booked, done and other services' follow-ups alone", async () => {
    const patient = await createPatient(db, clinicId);
    const base = { clinicId, patientId: patient.id, dueAt: new Date("2026-11-23T07:00:00Z") };
    const open = await db.followUp.create({ data: { ...base, service: "Осмотр" } });
    const booked = await db.followUp.create({ data: { ...base, service: "Осмотр", status: "booked" } });
    const otherService = await db.followUp.create({ data: { ...base, service: "Чистка" } });
    await record(visit(patient, { status: "missed", service: "Осмотр" }));
    const after = new Map((await db.followUp.findMany({ where: { patientId: patient.id } })).map((f) => [f.id, f.missedAt]));
    expect(after.get(open.id)).toEqual(NOW);
    expect(after.get(booked.id)).toBeNull();
    expect(after.get(otherService.id)).toBeNull();
    expect(after.size).toBe(3);
  });

  it("qualifies a pending referral on the completing request only", async () => {
    const referrer = await createPatient(db, clinicId);
    const referee = await createPatient(db, clinicId);
    await db.referral.create({ data: { clinicId, code: referrer.referralCode, referrerId: referrer.id, refereeId: referee.id } });
    const input = visit(referee);
    expect((await record(input)).referralQualified).toBe(true);
    expect((await record(input)).referralQualified).toBe(false);

    const rewarded = await createPatient(db, clinicId);
    await db.referral.create({ data: { clinicId, code: referrer.referralCode, referrerId: referrer.id, refereeId: rewarded.id, status: "rewarded" } });
    expect((await record(visit(rewarded))).referralQualified).toBe(false);
  });

  it("a refund puts lastCompletedVisitAt back to the patient's previous completed visit", async () => {
    const patient = await createPatient(db, clinicId);
    await record(visit(patient), new Date("2026-11-01T08:00:00Z"));
    const later = visit(patient);
    await record(later, new Date("2026-11-20T08:00:00Z"));
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).lastCompletedVisitAt).toEqual(new Date("2026-11-20T08:00:00Z"));
    const refund = await record({ ...later, status: "cancelled" }, new Date("2026-11-21T08:00:00Z"));
    expect(refund).toMatchObject({ status: "cancelled", reversed: 400 });
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).lastCompletedVisitAt).toEqual(new Date("2026-11-01T08:00:00Z"));
  });

  it("refuses to re-price a completed visit, and keeps the rest of it editable", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient);
    await record(input);
    expect(await refusal(record({ ...input, amount: 1 }))).toMatchObject({ field: "amount" });
    expect(await refusal(record({ ...input, serviceCategory: "diagnostics" }))).toMatchObject({ field: "serviceCategory" });
    const edited = await record({ ...input, doctor: "Кузнецова Е. П." });
    expect(edited).toMatchObject({ changed: true, accrued: 400 });
    expect((await db.visit.findUniqueOrThrow({ where: { id: edited.id } })).doctor).toBe("Кузнецова Е. П.");
  });

  it("takes a refund that comes with a zero amount", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient);
    await record(input);
    const refund = await record({ ...input, status: "cancelled", amount: 0 });
    expect(refund).toMatchObject({ status: "cancelled", accrued: 400, reversed: 700 });
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).balance).toBe(0);
  });

  it("leaves a booked follow-up alone when the MIS resends a new date", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient, { followUp: { dueAt: new Date("2027-01-10T07:00:00Z"), service: "Осмотр" } });
    const done = await record(input);
    await db.followUp.updateMany({ where: { visitId: done.id }, data: { status: "booked" } });
    await record({ ...input, followUp: { dueAt: new Date("2027-02-10T07:00:00Z"), service: "Осмотр" } });
    expect(await db.followUp.findMany({ where: { visitId: done.id } })).toMatchObject([{ status: "booked", dueAt: new Date("2027-01-10T07:00:00Z") }]);
  });

  it("uses the clinic's zone when the patient has none (a clinic in Vladivostok)", async () => {
    const vladivostok = await createClinic(db, {}, "Asia/Vladivostok");
    const patient = await createPatient(db, vladivostok.id);
    // 08:00 UTC is 18:00 in Vladivostok: the survey (2 h later) is at 20:00 there, the check-in at 10:00 tomorrow
    const done = await record(visit(patient, { isProcedure: true }), NOW, vladivostok.id);
    const rows = await db.outbox.findMany({ where: { patientId: patient.id }, orderBy: { idempotencyKey: "asc" } });
    expect(rows.map((r) => [r.idempotencyKey, r.dueAt.toISOString()])).toEqual([
      [`checkin:${done.id}`, "2026-11-24T00:00:00.000Z"],
      [`nps:${done.id}`, "2026-11-23T10:00:00.000Z"],
    ]);
  });

  it("rolls everything back when the transaction fails after the visit was written", async () => {
    const patient = await createPatient(db, clinicId);
    const input = visit(patient, { isProcedure: true });
    await expect(
      db.$transaction(async (tx) => {
        await recordVisit(tx, { clinicId, now: NOW }, input);
        throw new Error("the caller failed");
      }),
    ).rejects.toThrow("the caller failed");
    expect(await db.visit.count({ where: { externalId: input.externalId } })).toBe(0);
    expect(await db.bonusEntry.count({ where: { patientId: patient.id } })).toBe(0);
    expect(await db.outbox.count({ where: { patientId: patient.id } })).toBe(0);
    expect((await db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } })).balance).toBe(0);
  });
});
