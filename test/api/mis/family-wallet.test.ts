import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adjust } from "../../../src/domain/bonus/ledger.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { TEST_PROVIDER } from "../../support/db.ts";
import { json, nextId, startMisApi } from "./setup.ts";
import type { MisApi } from "./setup.ts";

const DAY = 86_400_000;

describe(`the family wallet through the MIS API on ${TEST_PROVIDER}`, () => {
  let api: MisApi;
  beforeAll(async () => {
    api = await startMisApi({ settings: { bonus: { welcomeBonus: 0, familyWallet: true } } });
  });
  afterAll(() => api?.close());
  beforeEach(async () => {
    api.clock.set("2026-11-23T08:00:00Z");
    await wallet(true);
  });

  const wallet = async (on: boolean) => {
    const row = await api.db.clinic.findUniqueOrThrow({ where: { id: api.clinicId } });
    await api.db.clinic.update({ where: { id: api.clinicId }, data: { settings: { ...(row.settings as object), bonus: { ...(row.settings as { bonus: object }).bonus, familyWallet: on } } } });
  };
  let phones = 4000000;
  const patient = async (fullName: string, guardian?: string) => {
    const externalId = nextId("FW");
    const body = { externalId, fullName, phone: `+7999${++phones}`, ...(guardian ? { guardians: [{ externalId: guardian, relation: "parent" }] } : {}) };
    json(await api.post("/api/patients", body), 201);
    return externalId;
  };
  const give = async (externalId: string, points: number) => {
    const row = await api.db.patient.findFirstOrThrow({ where: { externalId } });
    const settings = await api.db.clinic.findUniqueOrThrow({ where: { id: api.clinicId } });
    await api.t.db.transaction((tx) =>
      adjust(tx, { clinicId: api.clinicId, patientId: row.id, points, key: nextId("gift"), note: "test credit", rules: parseClinicSettings(settings.settings).bonus, now: api.clock.now() }),
    );
  };
  const balance = async (externalId: string) => json(await api.get(`/api/patients/${externalId}/bonus`), 200);
  const redeem = (externalId: string, body: object) => api.post(`/api/patients/${externalId}/bonus/redeem`, body);

  it("a child's 700-point bill takes the child's 500 and 200 of the mother's; a replay spends nothing more", async () => {
    const mother = await patient("Петрова Анна Сергеевна");
    const child = await patient("Петров Миша", mother);
    await give(mother, 300);
    await give(child, 500);
    expect(await balance(child)).toMatchObject({ balance: 500, family: { balance: 800, members: [{ patientExternalId: mother, balance: 300 }] } });
    expect(await balance(mother)).toMatchObject({ balance: 300, family: { balance: 800, members: [{ patientExternalId: child, balance: 500 }] } });

    // A 1 400 ₽ bill: at most half of it (700 points) may be paid with points.
    const first = json(await redeem(child, { bill: 140_000, key: "bill-1" }), 200);
    expect(first).toEqual({ redeemed: 700, replayed: false, draws: [{ patientExternalId: child, points: 500 }, { patientExternalId: mother, points: 200 }] });
    expect(await balance(child)).toMatchObject({ balance: 0, family: { balance: 100 } });
    expect(await balance(mother)).toMatchObject({ balance: 100 });

    const again = json(await redeem(child, { bill: 140_000, key: "bill-1" }), 200);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await balance(mother)).toMatchObject({ balance: 100, family: { balance: 100 } });
    // Each draw is a redemption on the account it came from.
    const motherRow = await api.db.patient.findFirstOrThrow({ where: { externalId: mother } });
    const entries = await api.db.bonusEntry.findMany({ where: { patientId: motherRow.id, kind: "redemption" } });
    expect(entries.map((e) => e.amount)).toEqual([-200]);
  });

  it("with the wallet off a child's bill takes only the child's own points", async () => {
    const mother = await patient("Сидорова Мария");
    const child = await patient("Сидоров Петя", mother);
    await give(mother, 300);
    await give(child, 500);
    await wallet(false);
    expect(await balance(child)).toEqual({ balance: 500, expiringSoon: [] });
    const paid = json(await redeem(child, { bill: 140_000, key: "bill-off" }), 200);
    expect(paid).toEqual({ redeemed: 500, replayed: false, draws: [{ patientExternalId: child, points: 500 }] });
    expect(await balance(mother)).toMatchObject({ balance: 300 });
    expect(json(await redeem(child, { bill: 140_000, key: "bill-off-2" }), 409)).toMatchObject({ reason: "nothing" });
  });

  it("spends the family's credits that expire first, within the bill's cap and the asked points", async () => {
    const mother = await patient("Козлова Ольга");
    const son = await patient("Козлов Ваня", mother);
    const daughter = await patient("Козлова Катя", mother);
    await give(daughter, 300); // expires first
    api.clock.advance(30 * DAY);
    await give(mother, 300);
    await give(son, 100);
    // The cap: half of a 1 000 ₽ bill is 500 points, asked for 450.
    const paid = json(await redeem(son, { bill: 100_000, points: 450, key: "bill-exp" }), 200);
    expect(paid).toEqual({ redeemed: 450, replayed: false, draws: [{ patientExternalId: son, points: 100 }, { patientExternalId: mother, points: 50 }, { patientExternalId: daughter, points: 300 }] });
    // (draws are listed the patient first, then the members by id)
    // Without `points`, as much as the cap allows: half of 600 ₽ is 300 of the 250 left.
    const rest = json(await redeem(son, { bill: 60_000, key: "bill-exp-2" }), 200);
    expect(rest).toMatchObject({ redeemed: 250, draws: [{ patientExternalId: son, points: 0 }, { patientExternalId: mother, points: 250 }] });
  });

  it("does not spend a member's points that are past their expiry", async () => {
    const mother = await patient("Орлова Нина");
    const child = await patient("Орлов Гоша", mother);
    await give(mother, 400);
    api.clock.advance(200 * DAY); // past the default six months
    await give(child, 100);
    expect(await balance(child)).toMatchObject({ balance: 100, family: { balance: 100 } });
    expect(json(await redeem(child, { bill: 140_000, key: "bill-late" }), 200)).toMatchObject({ redeemed: 100 });
  });

  it("answers 422 naming a wrong field", async () => {
    const child = await patient("Белов Лёва");
    expect(json(await redeem(child, { bill: 0, key: "" }), 422)).toMatchObject({ fields: { bill: expect.any(String), key: expect.any(String) } });
  });
});
