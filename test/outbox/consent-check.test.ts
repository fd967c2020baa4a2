// Whose consents decide a message in a guardian's chat about their ward: the ward's, as the
// guardian gave them; the guardian's «стоп» or withdrawn personal-data consent silences the chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { currentConsents, recordConsent, SKIP_REASONS } from "../../src/domain/consents/index.ts";
import { chatRefusal } from "../../src/outbox/consent-check.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

describe(`consents of a message about a ward on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const at = new Date("2026-11-24T09:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t?.dispose());

  const chatOf = async (patientId: number) => {
    const p = await db.patient.findUniqueOrThrow({ where: { id: patientId } });
    return { id: p.id, optedOutAt: p.optedOutAt, consents: await currentConsents(db, p.id) };
  };
  const change = (patientId: number, kind: "advertising" | "care_messages" | "personal_data", granted: boolean, guardianId: number | null) =>
    t.db.transaction((tx) => recordConsent(tx, { clinicId, patientId, kind, granted, at, source: "chat", textVersion: "test", guardianId }));

  it("goes by the ward's consents given by the guardian, not the guardian's own", async () => {
    // The mother never gave an advertising consent of her own; she gave one for her son.
    const mother = await createPatient(db, clinicId, { advertisingConsent: false });
    const son = await createPatient(db, clinicId, { fullName: "Петров Михаил", advertisingConsent: false });
    const about = (category: "marketing" | "care") => ({ patientId: son.id, category });

    expect(await chatRefusal(t.db, about("marketing"), await chatOf(mother.id))).toBe(SKIP_REASONS.noAdvertisingConsent);
    await change(son.id, "advertising", true, mother.id);
    expect(await chatRefusal(t.db, about("marketing"), await chatOf(mother.id))).toBeNull();
    // Her own messages still go by hers.
    expect(await chatRefusal(t.db, { patientId: mother.id, category: "marketing" }, await chatOf(mother.id))).toBe(SKIP_REASONS.noAdvertisingConsent);

    // She declines care messages for him: his survey and check-in stop, hers do not.
    await change(son.id, "care_messages", false, mother.id);
    expect(await chatRefusal(t.db, about("care"), await chatOf(mother.id))).toBe(SKIP_REASONS.careDeclined);
    expect(await chatRefusal(t.db, { patientId: mother.id, category: "care" }, await chatOf(mother.id))).toBeNull();

    // Her «стоп» silences her chat about everyone; a reply always goes.
    await db.patient.update({ where: { id: mother.id }, data: { optedOutAt: at } });
    expect(await chatRefusal(t.db, about("marketing"), await chatOf(mother.id))).toBe(SKIP_REASONS.optedOut);
    expect(await chatRefusal(t.db, { patientId: son.id, category: "reply" }, await chatOf(mother.id))).toBeNull();
  });
});
