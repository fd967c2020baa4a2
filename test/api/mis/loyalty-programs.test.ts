import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../../support/db.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

const LEVELS = [
  { id: "base", name: "Базовый", nameEn: "Basic", fromRoubles: 0, accrualPercent: 5, maxBillShare: 0.3 },
  { id: "silver", name: "Серебряный", nameEn: "Silver", fromRoubles: 30_000, accrualPercent: 7, maxBillShare: 0.4 },
  { id: "gold", name: "Золотой", nameEn: "Gold", fromRoubles: 80_000, accrualPercent: 10, maxBillShare: 0.5 },
];

describe(`status levels, promo codes and gift certificates through the MIS API on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi({ settings: { bonus: { levels: LEVELS, welcomeBonus: 0 } } });
  });
  afterAll(() => api?.close());
  beforeEach(() => api.clock.set("2026-11-23T08:00:00Z"));

  const newPatient = async () => {
    const externalId = nextId("LP");
    const phone = `+7999${String(3000000 + Number(externalId.split("-")[1])).slice(-7)}`;
    json(await api.post("/api/patients", { externalId, fullName: "Петрова Анна", phone }), 201);
    return externalId;
  };
  const visit = async (patientExternalId: string, amount: number) =>
    json(
      await api.post("/api/visits", {
        externalId: nextId("LV"), patientExternalId, doctor: "Смирнов А. В.", service: "Лечение", serviceCategory: "therapy", amount, status: "completed", startsAt: api.clock.now().toISOString(),
      }),
      201,
    );
  const levelMessages = (patientId: number) => api.db.outbox.findMany({ where: { patientId, idempotencyKey: { startsWith: "level:" } } });

  it("a patient crossing a threshold earns the higher rate from the next visit, and is told once", async () => {
    const externalId = await newPatient();
    const patient = await api.db.patient.findFirstOrThrow({ where: { externalId } });
    // 20 000 ₽ at Базовый 5 % → 1 000 points.
    expect((await visit(externalId, 2_000_000)).accrued).toBe(1_000);
    api.clock.advance(7 * 86_400_000);
    // 15 000 ₽ still at 5 % (the level in force when posted) → 750; it brings the total to 35 000 ₽ → Серебряный.
    expect((await visit(externalId, 1_500_000)).accrued).toBe(750);
    const raised = await levelMessages(patient.id);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: "start-flow", category: "care", payload: { startFlow: "loyalty-level", context: { direction: "up", level: { id: "silver", name: "Серебряный", accrualPercent: 7 } } } });
    api.clock.advance(7 * 86_400_000);
    // The next visit at 7 %: 10 000 ₽ → 700.
    expect((await visit(externalId, 1_000_000)).accrued).toBe(700);
    expect(await levelMessages(patient.id)).toHaveLength(1);
    const loyalty = json(await api.get(`/api/patients/${externalId}/loyalty`), 200);
    expect(loyalty).toMatchObject({ level: { id: "silver", accrualPercent: 7, maxBillShare: 0.4 }, paid: 4_500_000 });
  });

  it("a level holds until its period ends, and a lower one is announced before it takes effect", async () => {
    const externalId = await newPatient();
    const patient = await api.db.patient.findFirstOrThrow({ where: { externalId } });
    await visit(externalId, 3_000_000); // 30 000 ₽ → Серебряный at once
    expect(await api.db.loyaltyLevel.findUniqueOrThrow({ where: { patientId: patient.id } })).toMatchObject({ level: "silver" });
    api.clock.advance(400 * 86_400_000); // the period is over; the old payment falls out of the window
    expect((await visit(externalId, 100_000)).accrued).toBe(70); // still silver: announced, not lowered
    const messages = await levelMessages(patient.id);
    expect(messages.map((m) => (m.payload as { context: { direction: string } }).context.direction).sort()).toEqual(["down", "up"]);
    expect(await api.db.loyaltyLevel.findUniqueOrThrow({ where: { patientId: patient.id } })).toMatchObject({ level: "silver", lowerTo: "base" });
    api.clock.advance(15 * 86_400_000);
    expect((await visit(externalId, 100_000)).accrued).toBe(70); // posted while silver was in force; it is lowered now
    expect(await api.db.loyaltyLevel.findUniqueOrThrow({ where: { patientId: patient.id } })).toMatchObject({ level: "base", lowerTo: null });
    expect((await visit(externalId, 100_000)).accrued).toBe(50);
  });

  it("a promo code used twice by one patient is refused the second time with a clear Russian message", async () => {
    json(await api.post("/api/promo-codes", { code: "leto2027", reward: "points", value: 500, description: "500 баллов в подарок" }), 201);
    const externalId = await newPatient();
    const first = json(await api.post("/api/promo-codes/redeem", { code: "LETO2027", patientExternalId: externalId, key: "bill-1" }), 200);
    expect(first).toMatchObject({ code: "LETO2027", reward: "points", points: 500, replayed: false });
    expect(json(await api.get(`/api/patients/${externalId}/bonus`), 200)).toMatchObject({ balance: 500 });
    // The same request again is the same use.
    expect(json(await api.post("/api/promo-codes/redeem", { code: "LETO2027", patientExternalId: externalId, key: "bill-1" }), 200)).toMatchObject({ replayed: true });
    const second = json(await api.post("/api/promo-codes/redeem", { code: "leto 2027", patientExternalId: externalId, key: "bill-2" }), 409);
    expect(second).toEqual({ error: "Пациент уже воспользовался этим промокодом: повторно его применить нельзя.", reason: "already_used", errorEn: expect.stringContaining("already used") });
    expect(json(await api.get(`/api/patients/${externalId}/bonus`), 200)).toMatchObject({ balance: 500 });
    expect(json(await api.get("/api/promo-codes"), 200)).toContainEqual(expect.objectContaining({ code: "LETO2027", used: 1 }));
  });

  it("a promo code keeps to its dates, total and services", async () => {
    json(await api.post("/api/promo-codes", { code: "HYG15", reward: "discount", value: 15, totalLimit: 1, services: ["hygiene"], endsAt: "2026-12-31T21:00:00Z" }), 201);
    const a = await newPatient();
    const b = await newPatient();
    expect(json(await api.post("/api/promo-codes/redeem", { code: "HYG15", patientExternalId: a, key: "x1", serviceCategory: "therapy" }), 409)).toMatchObject({ reason: "wrong_service" });
    expect(json(await api.post("/api/promo-codes/redeem", { code: "HYG15", patientExternalId: a, key: "x2", serviceCategory: "hygiene" }), 200)).toMatchObject({ discountPercent: 15 });
    expect(json(await api.post("/api/promo-codes/redeem", { code: "HYG15", patientExternalId: b, key: "x3" }), 409)).toMatchObject({ reason: "used_up" });
    expect(json(await api.post("/api/promo-codes/redeem", { code: "NOPE", patientExternalId: b, key: "x4" }), 409)).toMatchObject({ reason: "unknown" });
    expect(json(await api.post("/api/promo-codes", { code: "x", reward: "discount", value: 150 }), 422).fields).toMatchObject({ code: expect.any(String), value: expect.any(String) });
  });

  it("a gift certificate is issued, spent in parts by whoever holds the code, and refuses past its balance", async () => {
    const buyer = await newPatient();
    const issued = json(await api.post("/api/gift-certificates", { amount: 500_000, buyerPatientExternalId: buyer, key: "sale-1" }), 201);
    expect(issued).toMatchObject({ code: expect.stringMatching(/^GC-[A-Z0-9]{4}-[A-Z0-9]{4}$/), balance: 500_000, expiresAt: "2027-11-23T08:00:00.000Z" });
    expect(json(await api.post("/api/gift-certificates", { amount: 500_000, buyerPatientExternalId: buyer, key: "sale-1" }), 200).code).toBe(issued.code);
    const spent = json(await api.post("/api/gift-certificates/redeem", { code: issued.code.toLowerCase(), amount: 300_000, key: "pay-1" }), 200);
    expect(spent).toMatchObject({ balance: 200_000, spent: 300_000, replayed: false });
    expect(json(await api.post("/api/gift-certificates/redeem", { code: issued.code, amount: 300_000, key: "pay-1" }), 200)).toMatchObject({ balance: 200_000, replayed: true });
    expect(json(await api.post("/api/gift-certificates/redeem", { code: issued.code, amount: 300_000, key: "pay-2" }), 409)).toMatchObject({ reason: "insufficient" });
    const entries = await api.db.giftCertificateEntry.findMany({ where: { clinicId: api.clinicId }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([["issue", 500_000], ["spend", -300_000]]);
    api.clock.advance(366 * 86_400_000);
    expect(json(await api.post("/api/gift-certificates/redeem", { code: issued.code, amount: 100, key: "pay-3" }), 409)).toMatchObject({ reason: "expired" });
  });
});
