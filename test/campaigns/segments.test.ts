import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { birthDateBounds, birthdayRanges } from "../../src/domain/segments/compile.ts";
import type { SegmentScope } from "../../src/domain/segments/compile.ts";
import { countSegment, sampleSegment, segmentBreakdown } from "../../src/domain/segments/query.ts";
import { segmentSchema } from "../../src/domain/segments/schema.ts";
import type { SegmentInput } from "../../src/domain/segments/schema.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { createClinic } from "../support/fixtures.ts";
import { addPatients } from "./helpers.ts";

// 01:30 on Monday 23 November in Moscow, still the 22nd in UTC: "today" is the clinic's.
const NOW = new Date("2026-11-22T22:30:00Z");
const ZONE = "Europe/Moscow";

describe("segment dates, computed in code", () => {
  const today = DateTime.fromJSDate(NOW, { zone: ZONE });

  it("turns an age range into birth-date bounds on the clinic's today", () => {
    expect(today.toISODate()).toBe("2026-11-23");
    expect(birthDateBounds(today, 18, 64)).toEqual({ bornOnOrBefore: "2008-11-23", bornOnOrAfter: "1961-11-24" });
    expect(birthDateBounds(today, undefined, 0)).toEqual({ bornOnOrAfter: "2025-11-24" });
  });

  it("lets a 29 February birthday come of age on 1 March in other years", () => {
    const feb28 = DateTime.fromISO("2026-02-28", { zone: ZONE });
    expect(birthDateBounds(feb28, 18).bornOnOrBefore).toBe("2008-02-28"); // born 2008-02-29: 17 still
    expect(birthDateBounds(feb28.plus({ days: 1 }), 18).bornOnOrBefore).toBe("2008-03-01");
  });

  it("turns a birthday window into month-day ranges, across the year's end and 29 February", () => {
    expect(birthdayRanges(today, 14)).toEqual([[1123, 1207]]);
    expect(birthdayRanges(DateTime.fromISO("2026-12-25", { zone: ZONE }), 14)).toEqual([[1225, 1231], [101, 108]]);
    expect(birthdayRanges(DateTime.fromISO("2027-02-20", { zone: ZONE }), 8)).toEqual([[220, 229]]);
    expect(birthdayRanges(DateTime.fromISO("2028-02-20", { zone: ZONE }), 8)).toEqual([[220, 228]]); // a leap year: the 29th is its own day
    expect(birthdayRanges(today, 365)).toBeNull();
  });
});

describe(`segments on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let db: Db;
  let clinicId: number;
  let comboClinicId: number;
  const scope = (now = NOW, id = () => clinicId): SegmentScope => ({ clinicId: id(), timezone: ZONE, now });

  /** The externalIds of a segment's patients, checked against countSegment. */
  async function members(input: Omit<SegmentInput, "id" | "title">, s: SegmentScope = scope()): Promise<string[]> {
    const segment = segmentSchema.parse({ id: "test", title: "Test", ...input });
    const sample = await sampleSegment(t.db, segment, s, 1000);
    expect(await countSegment(t.db, segment, s)).toBe(sample.length);
    return sample.map((p) => p.externalId).sort();
  }

  beforeAll(async () => {
    t = await createMigratedDatabase();
    db = t.db.prisma;
    clinicId = (await createClinic(db, {}, ZONE)).id;
    comboClinicId = (await createClinic(db, {}, ZONE)).id;
    await addPatients(db, clinicId, [
      { key: "age-17", birthDate: "2008-11-24" },
      { key: "age-18-today", birthDate: "2008-11-23" },
      { key: "age-64", birthDate: "1961-11-24" },
      { key: "age-65-today", birthDate: "1961-11-23" },
      { key: "bday-dec-24", birthDate: "1990-12-24" },
      { key: "bday-dec-25", birthDate: "1990-12-25" },
      { key: "bday-jan-08", birthDate: "1985-01-08" },
      { key: "bday-jan-09", birthDate: "1985-01-09" },
      { key: "bday-feb-29", birthDate: "2004-02-29" },
      { key: "student", tags: ["students", "vip"] },
      { key: "tags-other", tags: ["family"] },
      { key: "tags-object", tags: { students: true } },
      { key: "insta", source: "instagram-spring-2026" },
      { key: "site", source: "website" },
      { key: "lv-april", lastVisitAt: "2026-04-30T20:00:00Z" },
      { key: "lv-just-older", lastVisitAt: "2026-05-22T20:59:59Z" }, // 23:59:59 on 22 May in Moscow
      { key: "lv-six-months", lastVisitAt: "2026-05-22T21:00:00Z" }, // 00:00 on 23 May: exactly six months
      { key: "dentistry", visits: [{ category: "dentistry" }] },
      { key: "hygiene", visits: [{ category: "therapy" }, { category: "hygiene" }] },
      { key: "dentistry-missed", visits: [{ category: "dentistry", status: "missed" }] },
      { key: "open-fu", followUp: "open" },
      { key: "done-fu", followUp: "done" },
      { key: "rich", balance: 300 },
      { key: "poor", balance: 299 },
      { key: "no-account", balance: null },
      { key: "two-chats", tags: ["students"], chat: "unreachable-and-whatsapp" },
      // Never in a segment, whatever it asks for.
      { key: "x-opted-out", tags: ["students"], balance: 1000, followUp: "open", optedOut: true },
      { key: "x-web-only", tags: ["students"], balance: 1000, followUp: "open", chat: "web" },
      { key: "x-unreachable", tags: ["students"], balance: 1000, followUp: "open", chat: "unreachable" },
      { key: "x-no-chat", tags: ["students"], balance: 1000, followUp: "open", chat: "none" },
    ]);

    // Another clinic: everything at once, and one near miss per condition.
    const all = {
      birthDate: "1990-11-30",
      tags: ["students"],
      source: "instagram-spring-2026",
      lastVisitAt: "2025-12-01T09:00:00Z",
      visits: [{ category: "dentistry" }],
      followUp: "open" as const,
      balance: 500,
    };
    await addPatients(db, comboClinicId, [
      { key: "combo-all", ...all },
      { key: "combo-young", ...all, birthDate: "2010-11-30" },
      { key: "combo-old", ...all, birthDate: "1950-11-30" },
      { key: "combo-no-tag", ...all, tags: ["family"] },
      { key: "combo-other-source", ...all, source: "website" },
      { key: "combo-recent", ...all, lastVisitAt: "2026-11-01T09:00:00Z" },
      { key: "combo-therapy", ...all, visits: [{ category: "therapy" }] },
      { key: "combo-no-followup", ...all, followUp: "done" },
      { key: "combo-no-birthday", ...all, birthDate: "1990-06-15" },
      { key: "combo-poor", ...all, balance: 100 },
      { key: "combo-opted-out", ...all, optedOut: true },
      { key: "combo-web", ...all, chat: "web" },
    ]);
  }, 120_000);
  afterAll(() => t?.dispose());

  const EVERYONE = [
    "age-17", "age-18-today", "age-64", "age-65-today", "bday-dec-24", "bday-dec-25", "bday-jan-08", "bday-jan-09", "bday-feb-29",
    "student", "tags-other", "tags-object", "insta", "site", "lv-april", "lv-just-older", "lv-six-months", "dentistry", "hygiene",
    "dentistry-missed", "open-fu", "done-fu", "rich", "poor", "no-account", "two-chats",
  ].sort();

  it("without conditions: every patient of the clinic with a reachable chat who has not opted out", async () => {
    expect(await members({})).toEqual(EVERYONE);
  });

  it("by age, on the clinic's today, at both ends of the range", async () => {
    const adults = ["age-18-today", "age-64", "age-65-today", "bday-dec-24", "bday-dec-25", "bday-jan-08", "bday-jan-09", "bday-feb-29"].sort();
    expect(await members({ ageMin: 18 })).toEqual(adults);
    expect(await members({ ageMax: 64 })).toEqual(["age-17", "age-18-today", "age-64", "bday-dec-24", "bday-dec-25", "bday-jan-08", "bday-jan-09", "bday-feb-29"].sort());
    expect(await members({ ageMin: 18, ageMax: 64 })).toEqual(adults.filter((k) => k !== "age-65-today"));
    expect(await members({ ageMin: 65, ageMax: 65 })).toEqual(["age-65-today"]);
    expect(await members({ ageMax: 17 })).toEqual(["age-17"]);
    // An hour earlier it is still the 22nd in Moscow: nobody has had that birthday yet.
    expect(await members({ ageMin: 18, ageMax: 18 }, scope(new Date("2026-11-22T20:59:00Z")))).toEqual([]);
  });

  it("by tags (any of them) and by source", async () => {
    expect(await members({ tagsAny: ["students"] })).toEqual(["student", "two-chats"]);
    expect(await members({ tagsAny: ["vip", "family"] })).toEqual(["student", "tags-other"]);
    expect(await members({ tagsAny: ["nobody"] })).toEqual([]);
    expect(await members({ sourceIn: ["instagram-spring-2026"] })).toEqual(["insta"]);
    expect(await members({ sourceIn: ["instagram-spring-2026", "website"] })).toEqual(["insta", "site"]);
  });

  it("by last visit: before a date, older than N months, both", async () => {
    expect(await members({ lastVisitBefore: "2026-05-01" })).toEqual(["lv-april"]);
    expect(await members({ lastVisitOlderThanMonths: 6 })).toEqual(["lv-april", "lv-just-older"]);
    expect(await members({ lastVisitOlderThanMonths: 6, lastVisitBefore: "2026-05-01" })).toEqual(["lv-april"]);
    expect(await members({ lastVisitBefore: "2026-12-01" })).toEqual(["lv-april", "lv-just-older", "lv-six-months"]);
  });

  it("by the category of past completed visits", async () => {
    expect(await members({ serviceCategoryAny: ["dentistry"] })).toEqual(["dentistry"]);
    expect(await members({ serviceCategoryAny: ["dentistry", "hygiene"] })).toEqual(["dentistry", "hygiene"]);
  });

  it("by an open follow-up (treatment not finished), or none", async () => {
    expect(await members({ openFollowUp: true })).toEqual(["open-fu"]);
    expect(await members({ openFollowUp: false })).toEqual(EVERYONE.filter((k) => k !== "open-fu"));
  });

  it("by birthday within N days, across the year's end and on 28 February", async () => {
    expect(await members({ birthdayWithinDays: 0 })).toEqual(["age-18-today", "age-65-today"]);
    expect(await members({ birthdayWithinDays: 1 })).toEqual(["age-17", "age-18-today", "age-64", "age-65-today"]);
    // 00:30 on 25 December in Moscow (the 24th in UTC): the window runs to 8 January.
    const christmas = scope(new Date("2026-12-24T21:30:00Z"));
    expect(await members({ birthdayWithinDays: 14 }, christmas)).toEqual(["bday-dec-25", "bday-jan-08"]);
    expect(await members({ birthdayWithinDays: 15 }, christmas)).toEqual(["bday-dec-25", "bday-jan-08", "bday-jan-09"]);
    // 28 February 2027 has no 29th after it: those birthdays fall today.
    expect(await members({ birthdayWithinDays: 0 }, scope(new Date("2027-02-27T21:30:00Z")))).toEqual(["bday-feb-29"]);
  });

  it("by bonus balance, a patient without an account counting as 0", async () => {
    expect(await members({ balanceAtLeast: 300 })).toEqual(["rich"]);
    expect(await members({ balanceAtLeast: 0 })).toEqual(EVERYONE);
  });

  it("ANDs every condition, and leaves out another clinic's patients", async () => {
    const combo = {
      ageMin: 18,
      ageMax: 64,
      tagsAny: ["students"],
      sourceIn: ["instagram-spring-2026"],
      lastVisitOlderThanMonths: 6,
      serviceCategoryAny: ["dentistry"],
      openFollowUp: true,
      birthdayWithinDays: 14,
      balanceAtLeast: 300,
    };
    expect(await members(combo, scope(NOW, () => comboClinicId))).toEqual(["combo-all"]);
    // Each condition alone lets the near miss of the others in.
    expect(await members({ ageMin: 18, ageMax: 64 }, scope(NOW, () => comboClinicId))).not.toContain("combo-young");
    expect(await members({ tagsAny: ["students"], openFollowUp: true }, scope(NOW, () => comboClinicId))).toContain("combo-poor");
    // The main clinic's students are not the combo clinic's.
    expect(await members({ tagsAny: ["students"] }, scope(NOW, () => comboClinicId))).not.toContain("student");
  });

  it("says why patients matching the conditions are not in the segment", async () => {
    const segment = segmentSchema.parse({ id: "s", title: "S", tagsAny: ["students"] });
    expect(await segmentBreakdown(t.db, segment, scope())).toEqual({ matching: 6, optedOut: 1, noReachableChat: 3, size: 2 });
  });

  it("samples the longest-absent first, with the phone (masked by the pages) and the balance, up to the limit", async () => {
    const segment = segmentSchema.parse({ id: "s", title: "S", lastVisitBefore: "2026-12-01" });
    const sample = await sampleSegment(t.db, segment, scope(), 2);
    expect(sample).toEqual([
      { id: expect.any(Number), externalId: "lv-april", fullName: "Петрова Анна Сергеевна", lastCompletedVisitAt: new Date("2026-04-30T20:00:00Z"), balance: 0, phone: expect.stringMatching(/^\+7999/) },
      { id: expect.any(Number), externalId: "lv-just-older", fullName: "Петрова Анна Сергеевна", lastCompletedVisitAt: new Date("2026-05-22T20:59:59Z"), balance: 0, phone: expect.stringMatching(/^\+7999/) },
    ]);
  });
});
