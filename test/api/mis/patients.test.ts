import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

describe(`POST /api/patients on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());

  const stored = (externalId: string) =>
    api.db.patient.findUniqueOrThrow({ where: { clinicId_externalId: { clinicId: api.clinicId, externalId } }, include: { bonusAccount: true } });

  it("creates a patient with an E.164 phone, a referral code, a bonus account and the birthday's month and day", async () => {
    const externalId = nextId("P");
    const body = json(
      await api.post("/api/patients", {
        externalId,
        fullName: "Петрова Анна Сергеевна",
        phone: "8 (999) 123-45-67",
        birthDate: "1985-03-09",
        timezone: "Asia/Vladivostok",
        locale: "ru",
        tags: ["vip", "implant"],
        source: "website",
      }),
      201,
    );
    const patient = await stored(externalId);
    expect(body).toEqual({ id: patient.id, externalId, created: true });
    expect(patient).toMatchObject({
      clinicId: api.clinicId,
      fullName: "Петрова Анна Сергеевна",
      phone: "+79991234567",
      birthDate: "1985-03-09",
      birthMonthDay: 309,
      timezone: "Asia/Vladivostok",
      locale: "ru",
      tags: ["vip", "implant"],
      source: "website",
    });
    expect(patient.referralCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(patient.bonusAccount).toMatchObject({ clinicId: api.clinicId, balance: 0 });
  });

  it.each([
    ["8 (999) 123-45-67", "+79991234567"],
    ["+7 999 1234567", "+79991234567"],
    ["+7 (999) 123-45-67", "+79991234567"],
    ["89991234567", "+79991234567"],
    ["9991234567", "+79991234567"],
    ["7-999-123-45-67", "+79991234567"],
    ["  +7 495 123 45 67 ", "+74951234567"],
  ])("stores %j as %s", async (phone, e164) => {
    const externalId = nextId("P");
    json(await api.post("/api/patients", { externalId, fullName: "Иванов Иван", phone }), 201);
    expect((await stored(externalId)).phone).toBe(e164);
  });

  it("updates only what changed, answers 200, and a replay changes nothing", async () => {
    const externalId = nextId("P");
    const first = json(await api.post("/api/patients", { externalId, fullName: "Сидоров Пётр", phone: "+79990001122", birthDate: "1990-12-31", tags: ["a"] }), 201);
    const created = await stored(externalId);

    const again = json(await api.post("/api/patients", { externalId, fullName: "Сидоров Пётр", phone: "8 999 000-11-22", birthDate: "1990-12-31", tags: ["a"] }), 200);
    expect(again).toEqual({ id: first.id, externalId, created: false });
    const replayed = await stored(externalId);
    expect(replayed.updatedAt).toEqual(created.updatedAt);
    expect(replayed.referralCode).toBe(created.referralCode);

    json(await api.post("/api/patients", { externalId, fullName: "Сидоров Пётр Ильич", firstName: "Петя", phone: "+79990001123", birthDate: "1990-01-05", locale: "en" }), 200);
    const updated = await stored(externalId);
    expect(updated).toMatchObject({ fullName: "Сидоров Пётр Ильич", firstName: "Петя", phone: "+79990001123", birthDate: "1990-01-05", birthMonthDay: 105, locale: "en", tags: ["a"] });
    expect(updated.referralCode).toBe(created.referralCode);
    expect(await api.db.bonusAccount.count({ where: { patientId: first.id } })).toBe(1);

    // null clears an optional field; leaving it out keeps it
    json(await api.post("/api/patients", { externalId, fullName: "Сидоров Пётр Ильич", phone: "+79990001123", birthDate: null }), 200);
    expect(await stored(externalId)).toMatchObject({ birthDate: null, birthMonthDay: null, locale: "en" });
  });

  it("creates each patient once when the MIS sends the same one twice at the same time", async () => {
    const externalId = nextId("P");
    const body = { externalId, fullName: "Гонка Двойная", phone: "+79990002233" };
    const results = await Promise.all([api.post("/api/patients", body), api.post("/api/patients", body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(await api.db.patient.count({ where: { clinicId: api.clinicId, externalId } })).toBe(1);
  });

  it("spells a time zone the IANA way", async () => {
    const externalId = nextId("P");
    json(await api.post("/api/patients", { externalId, fullName: "Зона Тест", phone: "+79990003344", timezone: "europe/moscow" }), 201);
    expect((await stored(externalId)).timezone).toBe("Europe/Moscow");
  });

  it.each([
    [{}, { externalId: "is required", fullName: "is required", phone: "is required" }],
    [[], { body: "must be a JSON object" }],
    [{ externalId: "  ", fullName: "A", phone: "+79991234567" }, { externalId: "must not be empty" }],
    [{ externalId: "X", fullName: "A", phone: "123" }, { phone: '"123" is not a valid phone number' }],
    [{ externalId: "X", fullName: "A", phone: "+7 999 123" }, { phone: '"+7 999 123" is not a valid phone number' }],
    [{ externalId: "X", fullName: "A", phone: 79991234567 }, { phone: "must be a phone number (text)" }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", birthDate: "1990-02-30" }, { birthDate: '"1990-02-30" is not a date "YYYY-MM-DD"' }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", birthDate: "31.12.1990" }, { birthDate: '"31.12.1990" is not a date "YYYY-MM-DD"' }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", timezone: "MSK" }, { timezone: '"MSK" is not an IANA time zone such as "Europe/Moscow"' }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", timezone: "Europe/Mordor" }, { timezone: '"Europe/Mordor" is not an IANA time zone such as "Europe/Moscow"' }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", locale: "de" }, { locale: 'must be "ru" or "en"' }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", tags: "vip" }, { tags: "must be a list of text tags" }],
    [{ externalId: "X", fullName: "A", phone: "+79991234567", tags: ["vip", 3] }, { "tags.1": "must be text" }],
    [
      { externalId: 7, fullName: "x".repeat(201), phone: "abc", birthDate: "2001-13-01", locale: "fr" },
      {
        externalId: "must be text",
        fullName: "is too long (200 characters at most)",
        phone: '"abc" is not a valid phone number',
        birthDate: '"2001-13-01" is not a date "YYYY-MM-DD"',
        locale: 'must be "ru" or "en"',
      },
    ],
  ])("refuses %j with 422 naming the fields", async (payload, fields) => {
    const res = await api.post("/api/patients", payload);
    expect(json(res, 422)).toEqual({ error: "validation failed", fields });
  });

  it("never creates anything for a refused body", async () => {
    const before = await api.db.patient.count();
    await api.post("/api/patients", { externalId: "REFUSED-1", fullName: "A", phone: "123" });
    expect(await api.db.patient.count()).toBe(before);
  });
});

describe(`GET /api/patients/:externalId/bonus on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi();
  });
  afterAll(() => api?.close());

  it("answers 404 for a patient the clinic does not have, even one of another clinic", async () => {
    const other = await createClinic(api.db);
    const stranger = await createPatient(api.db, other.id, { balance: 100 });
    expect(json(await api.get("/api/patients/NOBODY/bonus"), 404)).toEqual({ error: 'no patient "NOBODY"' });
    expect(json(await api.get(`/api/patients/${stranger.externalId}/bonus`), 404)).toEqual({ error: `no patient "${stranger.externalId}"` });
  });

  it("shows the balance and what expires in the next 30 days", async () => {
    const patient = await createPatient(api.db, api.clinicId, { balance: 700 });
    const account = await api.db.bonusAccount.findUniqueOrThrow({ where: { patientId: patient.id } });
    const credit = (amount: number, expiresAt: string, sourceKey: string) =>
      api.db.bonusEntry.create({
        data: { clinicId: api.clinicId, accountId: account.id, patientId: patient.id, kind: "adjustment", amount, remaining: amount, expiresAt: new Date(expiresAt), sourceKey },
      });
    await credit(200, "2026-12-01T09:00:00Z", `t:${patient.id}:1`);
    await credit(500, "2027-03-01T09:00:00Z", `t:${patient.id}:2`);
    const body = json(await api.get(`/api/patients/${encodeURIComponent(patient.externalId)}/bonus`), 200);
    expect(body).toEqual({ balance: 700, expiringSoon: [{ amount: 200, expiresAt: "2026-12-01T09:00:00.000Z" }] });
  });
});
