import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client.ts";
import { consentHistory, currentConsents, NO_CONSENTS, recordConsent, SKIP_REASONS, whyNotSend } from "../../../src/domain/consents/index.ts";
import { optOut } from "../../../src/domain/patients/consent.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";

describe(`consents as records on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  const now = new Date("2026-11-24T09:00:00Z");

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
  });
  afterAll(() => t?.dispose());

  it("keeps every change as a row; the latest by its own time is in force, a late import of an older one only joins the history", async () => {
    const patient = await createPatient(db, clinicId, { advertisingConsent: false });
    const change = (granted: boolean, at: string, source: "chat" | "paper" | "mis", textVersion: string) =>
      t.db.transaction((tx) => recordConsent(tx, { clinicId, patientId: patient.id, kind: "advertising", granted, at: new Date(at), source, textVersion }));

    expect(await change(true, "2026-03-01T10:00:00Z", "mis", "РЕКЛ-2025-09")).toEqual({ inForce: true });
    expect(await change(false, "2026-11-20T08:00:00Z", "chat", "chat:consents:abc")).toEqual({ inForce: true });
    // A paper form signed in 2025, entered today: history, not the state.
    expect(await change(true, "2025-05-01T10:00:00Z", "paper", "РЕКЛ-2024")).toEqual({ inForce: false });
    // The MIS posting the same change again adds nothing.
    expect(await change(true, "2026-03-01T10:00:00Z", "mis", "РЕКЛ-2025-09")).toEqual({ inForce: false });

    const current = await currentConsents(db, patient.id);
    expect(current.advertising).toMatchObject({ granted: false, at: new Date("2026-11-20T08:00:00Z"), source: "chat", textVersion: "chat:consents:abc" });
    // The fixture's paper consents of the other kinds are untouched.
    expect(current.personal_data).toMatchObject({ granted: true, source: "paper" });
    const history = (await consentHistory(db, patient.id)).filter((r) => r.kind === "advertising");
    expect(history.map((r) => [r.granted, r.source, r.textVersion, r.supersededAt])).toEqual([
      [true, "paper", "РЕКЛ-2024", new Date("2026-11-20T08:00:00Z")],
      [true, "mis", "РЕКЛ-2025-09", new Date("2026-11-20T08:00:00Z")],
      [false, "chat", "chat:consents:abc", null],
    ]);
  });

  it("«стоп» keeps opt-out's meaning and records care messages and advertising as withdrawn", async () => {
    const patient = await createPatient(db, clinicId);
    await t.db.transaction((tx) => optOut(tx, patient.id, "chat", now));
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).optedOutAt).toEqual(now);
    const current = await currentConsents(db, patient.id);
    expect([current.care_messages?.granted, current.advertising?.granted, current.personal_data?.granted]).toEqual([false, false, true]);
  });

  it("decides what may be sent: replies always, care unless declined, marketing only with advertising consent", () => {
    const given = { granted: true };
    const withdrawn = { granted: false };
    const all = { personal_data: given, care_messages: given, advertising: given };
    expect(whyNotSend("marketing", all, false)).toBeNull();
    expect(whyNotSend("marketing", NO_CONSENTS, false)).toBe(SKIP_REASONS.noAdvertisingConsent);
    expect(whyNotSend("marketing", { ...all, advertising: withdrawn }, false)).toBe(SKIP_REASONS.noAdvertisingConsent);
    // Care and service messages about the patient's own visits are not advertising: no record needed.
    expect(whyNotSend("care", NO_CONSENTS, false)).toBeNull();
    expect(whyNotSend("transactional", NO_CONSENTS, false)).toBeNull();
    expect(whyNotSend("care", { ...all, care_messages: withdrawn }, false)).toBe(SKIP_REASONS.careDeclined);
    expect(whyNotSend("marketing", { ...all, care_messages: withdrawn }, false)).toBeNull();
    expect(whyNotSend("care", { ...all, personal_data: withdrawn }, false)).toBe(SKIP_REASONS.personalDataWithdrawn);
    expect(whyNotSend("care", all, true)).toBe(SKIP_REASONS.optedOut);
    expect(whyNotSend("reply", { personal_data: withdrawn, care_messages: withdrawn, advertising: withdrawn }, true)).toBeNull();
  });
});
