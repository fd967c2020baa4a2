import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { clinicHelpers } from "./helpers.ts";

describe(`balance and expiry planners, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  it("reminds every patient with points and a chat that takes messages, once a month", async () => {
    const { id: clinicId } = await h.clinic();
    const withPoints = await h.patient(clinicId, { balance: 700 });
    const whatsappToo = await h.patient(clinicId, { balance: 50, chats: ["blocked", "whatsapp"] });
    await h.patient(clinicId, { balance: 0 });
    await h.patient(clinicId, { balance: 300, optedOut: true });
    await h.patient(clinicId, { balance: 300, chats: ["web"] });
    await h.patient(clinicId, { balance: 300, chats: ["blocked"] });
    await h.patient(clinicId, { balance: 300, chats: [] });

    const first = await h.plan(clinicId, "balance", "2026-12-01T08:00:00Z");
    expect(first).toMatchObject({ planned: 2, skipped: 4, alreadyQueued: 0, flowId: "bonus-balance" });
    expect(first.counts).toEqual({ candidates: 6, optedOut: 1, noReachableChat: 3 });
    expect(await h.keys(clinicId)).toEqual([`balance:2026-12:${withPoints.id}`, `balance:2026-12:${whatsappToo.id}`].sort());

    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `balance:2026-12:${withPoints.id}` } });
    expect(row).toMatchObject({
      clinicId,
      patientId: withPoints.id,
      identityId: null,
      kind: "start-flow",
      category: "marketing",
      status: "pending",
      payload: { startFlow: "bonus-balance", context: {} },
      dueAt: new Date("2026-12-01T08:00:00Z"),
      createdAt: new Date("2026-12-01T08:00:00Z"),
      updatedAt: new Date("2026-12-01T08:00:00Z"),
      attempts: 0,
    });

    // Again the same day, or later that month: nothing more.
    expect(await h.plan(clinicId, "balance", "2026-12-01T08:00:00Z")).toMatchObject({ planned: 0, skipped: 4, alreadyQueued: 2 });
    expect(await h.plan(clinicId, "balance", "2026-12-20T08:00:00Z")).toMatchObject({ planned: 0, alreadyQueued: 2 });
    // The clinic's month: 01:00 on 1 January in Moscow is still 31 December in UTC.
    const january = await h.plan(clinicId, "balance", "2026-12-31T22:00:00Z");
    expect(january.planned).toBe(2);
    expect(await h.keys(clinicId)).toContain(`balance:2027-01:${withPoints.id}`);
  });

  it("plans nothing more when two runs race", async () => {
    const { id: clinicId } = await h.clinic();
    for (let i = 0; i < 20; i++) await h.patient(clinicId, { balance: 100 + i });
    const runs = await Promise.all([1, 2, 3].map(() => h.plan(clinicId, "balance", "2026-12-01T08:00:00Z")));
    expect(runs.reduce((n, r) => n + r.planned, 0)).toBe(20);
    expect(runs.reduce((n, r) => n + r.planned + r.alreadyQueued, 0)).toBe(60);
    expect(await h.prisma.outbox.count({ where: { clinicId } })).toBe(20);
  });

  it("warns of points expiring on the clinic's date two weeks ahead, once per patient and date", async () => {
    const { id: clinicId } = await h.clinic();
    const credit = async (patientId: number, expiresAt: string, remaining: number) => {
      const account = await h.prisma.bonusAccount.findUniqueOrThrow({ where: { patientId } });
      await h.prisma.bonusEntry.create({
        data: { clinicId, accountId: account.id, patientId, kind: "accrual", amount: 100, remaining, expiresAt: new Date(expiresAt), sourceKey: `t:${patientId}:${expiresAt}:${remaining}` },
      });
    };
    // Now: 12:00 on 1 December in Moscow; the day announced is 15 December (Moscow).
    const twoCredits = await h.patient(clinicId, { balance: 200 });
    await credit(twoCredits.id, "2026-12-14T21:00:00Z", 100); // 00:00 on the 15th in Moscow
    await credit(twoCredits.id, "2026-12-15T20:59:59Z", 100); // 23:59:59 on the 15th
    const spent = await h.patient(clinicId, { balance: 0 });
    await credit(spent.id, "2026-12-15T10:00:00Z", 0);
    const dayBefore = await h.patient(clinicId, { balance: 100 });
    await credit(dayBefore.id, "2026-12-14T20:59:59Z", 100); // the 14th in Moscow
    const dayAfter = await h.patient(clinicId, { balance: 100 });
    await credit(dayAfter.id, "2026-12-15T21:00:00Z", 100); // the 16th in Moscow
    const optedOut = await h.patient(clinicId, { balance: 100, optedOut: true });
    await credit(optedOut.id, "2026-12-15T10:00:00Z", 100);

    const run = await h.plan(clinicId, "expiry", "2026-12-01T09:00:00Z");
    expect(run).toMatchObject({ planned: 1, skipped: 1, alreadyQueued: 0, flowId: "bonus-balance" });
    expect(await h.keys(clinicId)).toEqual([`expiry:2026-12-15:${twoCredits.id}`]);
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `expiry:2026-12-15:${twoCredits.id}` } });
    expect(row).toMatchObject({ category: "marketing", payload: { startFlow: "bonus-balance", context: {} }, identityId: null });

    expect(await h.plan(clinicId, "expiry", "2026-12-01T15:00:00Z")).toMatchObject({ planned: 0, alreadyQueued: 1 });
    // The next day announces the 16th.
    expect(await h.plan(clinicId, "expiry", "2026-12-02T09:00:00Z")).toMatchObject({ planned: 1 });
    expect(await h.keys(clinicId)).toContain(`expiry:2026-12-16:${dayAfter.id}`);
    expect(await h.keys(clinicId)).not.toContain(`expiry:2026-12-14:${dayBefore.id}`);
  });

  it("books points past their expiry as expired on its daily run, once, so the ledger and the balance agree", async () => {
    const { id: clinicId } = await h.clinic();
    const patient = await h.patient(clinicId, { balance: 300 });
    const account = await h.prisma.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } });
    const credit = (expiresAt: string, remaining: number) =>
      h.prisma.bonusEntry.create({
        data: { clinicId, accountId: account.id, patientId: patient.id, kind: "accrual", amount: remaining, remaining, expiresAt: new Date(expiresAt), sourceKey: `t:${expiresAt}` },
      });
    const late = await credit("2026-11-30T21:00:00Z", 200);
    await credit("2027-05-01T00:00:00Z", 100);

    const run = await h.plan(clinicId, "expiry", "2026-12-01T09:00:00Z");
    expect(run.counts).toMatchObject({ creditsExpired: 1, pointsExpired: 200 });
    const expiry = await h.prisma.bonusEntry.findFirstOrThrow({ where: { clinicId, sourceKey: `expiry:${late.id}` } });
    expect(expiry).toMatchObject({ kind: "expiry", amount: -200, createdAt: new Date("2026-11-30T21:00:00Z") });
    expect(await h.prisma.bonusAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ balance: 100 });
    expect(await h.prisma.bonusEntry.findUniqueOrThrow({ where: { id: late.id } })).toMatchObject({ remaining: 0 });

    // The next run finds nothing left to book; a dry run books nothing either.
    expect((await h.plan(clinicId, "expiry", "2026-12-02T09:00:00Z")).counts).toMatchObject({ creditsExpired: 0, pointsExpired: 0 });
    await credit("2026-12-02T10:00:00Z", 50);
    await h.plan(clinicId, "expiry", "2026-12-03T09:00:00Z", { dryRun: true });
    expect(await h.prisma.bonusEntry.count({ where: { patientId: patient.id, kind: "expiry" } })).toBe(1);
  });

  it("rolls a dry run back and names a sample of the patients it would plan", async () => {
    const { id: clinicId } = await h.clinic();
    const patients = [];
    for (let i = 0; i < 12; i++) patients.push(await h.patient(clinicId, { balance: 10 }));
    const dry = await h.plan(clinicId, "balance", "2026-12-01T08:00:00Z", { dryRun: true });
    expect(dry).toMatchObject({ planned: 12, dryRun: true });
    expect(dry.samplePatientIds).toEqual(patients.slice(0, 10).map((p) => p.id));
    expect(await h.prisma.outbox.count({ where: { clinicId } })).toBe(0);
  });
});
