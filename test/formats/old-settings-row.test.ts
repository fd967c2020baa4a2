import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { loadSettings, saveSettings } from "../../src/operators/settings/store.ts";
import { FixedClock } from "../../src/util/clock.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic, createPatient, linkChat } from "../support/fixtures.ts";
import { createTestRouter } from "../support/runtime.ts";

// A clinic whose settings row was saved in format 1 (before the working calendar; fixture
// test/fixtures/formats/settings/v1.json) works as the clinic meant after an upgrade of CareBot,
// and the next save writes today's format.

const v1 = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/formats/settings/v1.json"), "utf8"));

describe(`a format-1 settings row on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db)).id;
    await db.clinic.update({ where: { id: clinicId }, data: { settings: v1 } });
  });
  afterAll(() => t.dispose());

  it("counts an escalation's answer time in the business hours it kept (08:30–21:00 on weekdays)", async () => {
    // Saturday 10:00 in Moscow: the clinic is closed until Monday 08:30; a high-priority request
    // is due 4 working hours later, at 12:30 (the default 09:00 opening would say 13:00).
    const clock = new FixedClock("2026-11-28T07:00:00Z");
    const patient = await createPatient(db, clinicId);
    await linkChat(db, clinicId, patient.id, "8101");
    await createTestRouter(t.db, clock, clinicId).text("8101", "оператор");
    const escalation = await db.escalation.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(escalation.priority).toBe("high");
    expect(escalation.slaDueAt).toEqual(new Date("2026-11-30T09:30:00Z"));
  });

  it("reads back upgraded in the console and saves in today's format", async () => {
    const stored = await loadSettings(t.db, clinicId, "ru");
    expect(stored.problems).toEqual([]);
    expect(stored.settings).toMatchObject({ formatVersion: 2, calendar: { week: { mon: { start: "08:30", end: "21:00" }, sat: null } } });
    const saved = await saveSettings(t.db, { clinicId, version: stored.version, document: { ...stored.settings, npsDelayMinutes: 120 }, by: { operatorId: null, via: "cli" }, now: new Date("2026-11-28T08:00:00Z") });
    expect(saved).toMatchObject({ status: "saved", written: true });
    const row = (await db.clinic.findUniqueOrThrow({ where: { id: clinicId } })).settings as Record<string, any>;
    expect(row.formatVersion).toBe(2);
    expect(row.sla.businessHours).toBeUndefined();
    expect(row.calendar.week.fri).toEqual({ start: "08:30", end: "21:00" });
    expect(row.npsDelayMinutes).toBe(120);
  });
});
