// The birthday gift belongs to the birthday's year, not to the day the greeting happens to go out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

describe(`the birthday flow's gift, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  beforeAll(async () => {
    t = await createMigratedDatabase();
  });
  afterAll(() => t?.dispose());

  it("a 30 December birthday greeted on 2 January gets that year's gift, and next December's is a new one", async () => {
    const db = t.db.prisma;
    const { id: clinicId } = await createClinic(db);
    const patient = await createPatient(db, clinicId, { fullName: "Иванов Пётр", birthDate: "1980-12-30" });
    const identity = await linkChat(db, clinicId, patient.id, "birthday-late");
    const greet = async (at: string, birthdayYear: number) => {
      const r = createTestRouter(t.db, new FixedClock(at), clinicId);
      await r.router.startFlow(identity.id, "birthday", { category: "marketing", context: { birthdayYear } });
      return (await r.outbox("birthday-late")).at(-1)!.text;
    };

    expect(await greet("2027-01-02T07:00:00Z", 2026)).toContain("В подарок от клиники");
    expect(await greet("2027-12-30T07:00:00Z", 2027)).toContain("В подарок от клиники");
    const keys = (await db.bonusEntry.findMany({ where: { patientId: patient.id }, orderBy: { id: "asc" } })).map((e) => e.sourceKey);
    expect(keys).toEqual([`birthday:2026:${patient.id}`, `birthday:2027:${patient.id}`]);
    // A retried greeting of 2026 books nothing new.
    await greet("2027-01-03T07:00:00Z", 2026);
    expect(await db.bonusEntry.count({ where: { patientId: patient.id } })).toBe(2);
  });
});
