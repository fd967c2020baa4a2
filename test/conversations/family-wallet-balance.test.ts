import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { adjust } from "../../src/domain/bonus/ledger.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { setGuardian } from "../../src/domain/families/guardians.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

// «Баллы» in a mother's chat with the family wallet on: the family's total is what a visit of any
// of them can be paid with, so points already past their expiry are not counted.

describe(`«мои баллы» with the family wallet on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const clock = new FixedClock("2026-11-23T08:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db, { bonus: { familyWallet: true, welcomeBonus: 0 } })).id;
  });
  afterAll(() => t.dispose());

  const give = async (patientId: number, points: number, at: Date) => {
    const row = await db.clinic.findUniqueOrThrow({ where: { id: clinicId } });
    await t.db.transaction((tx) => adjust(tx, { clinicId, patientId, points, key: `gift-${patientId}-${points}`, note: "test credit", rules: parseClinicSettings(row.settings).bonus, now: at }));
  };

  it("adds the mother's and the child's spendable points, leaving out the overdue ones", async () => {
    const mother = await createPatient(db, clinicId, { fullName: "Петрова Анна" });
    const child = await createPatient(db, clinicId, { fullName: "Петров Миша", phone: "+79990001122" });
    await t.db.transaction((tx) => setGuardian(tx, { clinicId, guardianId: mother.id, wardId: child.id, relation: "parent" }));
    await give(mother.id, 100, new Date("2026-03-01T08:00:00Z")); // expired on 1 September; the job has not run
    await give(mother.id, 300, clock.now());
    await give(child.id, 500, clock.now());
    await linkChat(db, clinicId, mother.id, "8101");
    const r = createTestRouter(t.db, clock, clinicId);
    await r.text("8101", "баллы");
    const [answer] = await r.outbox("8101");
    expect(answer!.text).toMatch(/^Анна, на вашем счёте 300\sбаллов\.\n• Миша: 500\sбаллов\nВсего у семьи 800\sбаллов — ими можно оплатить приём любого из вас\./);
  });
});
