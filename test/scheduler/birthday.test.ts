import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { birthdayDays } from "../../src/scheduler/planners/birthday.ts";
import { createMigratedDatabase, TEST_PROVIDER } from "../support/db.ts";
import type { MigratedDatabase } from "../support/db.ts";
import { clinicHelpers } from "./helpers.ts";

describe("birthdayDays", () => {
  it("lists the month-days of the window with each one's year, 29 February on 28 February of common years", () => {
    const at = (iso: string, daysBefore = 0, daysAfter = 0) => birthdayDays(new Date(iso), "Europe/Moscow", { daysBefore, daysAfter });
    expect(at("2027-02-28T07:00:00Z")).toEqual([{ monthDay: 228, year: 2027 }, { monthDay: 229, year: 2027 }]);
    expect(at("2028-02-28T07:00:00Z")).toEqual([{ monthDay: 228, year: 2028 }]);
    expect(at("2028-02-29T07:00:00Z")).toEqual([{ monthDay: 229, year: 2028 }]);
    expect(at("2027-01-02T07:00:00Z", 1, 3)).toEqual([
      { monthDay: 1230, year: 2026 },
      { monthDay: 1231, year: 2026 },
      { monthDay: 101, year: 2027 },
      { monthDay: 102, year: 2027 },
      { monthDay: 103, year: 2027 },
    ]);
  });
});

describe(`birthday planner, on ${TEST_PROVIDER}`, () => {
  let t: MigratedDatabase;
  let h: ReturnType<typeof clinicHelpers>;
  beforeAll(async () => {
    t = await createMigratedDatabase();
    h = clinicHelpers(t.db);
  });
  afterAll(() => t.dispose());

  it("greets on the day of the patient's own calendar: Vladivostok first, Moscow after its midnight", async () => {
    const { id: clinicId } = await h.clinic({ birthdayWindow: { daysBefore: 0, daysAfter: 7 } }, "Europe/Moscow");
    const moscow = await h.patient(clinicId, { birthDate: "1990-03-15" });
    const vladivostok = await h.patient(clinicId, { birthDate: "1985-03-15", timezone: "Asia/Vladivostok" });
    const unknownZone = await h.patient(clinicId, { birthDate: "1970-03-15", timezone: "Mars/Olympus" });
    const tomorrow = await h.patient(clinicId, { birthDate: "1990-03-16" });
    await h.patient(clinicId, { birthDate: "1990-03-15", optedOut: true });
    await h.patient(clinicId, { birthDate: "1990-03-15", chats: ["web"] });
    await h.patient(clinicId, { birthDate: "1990-03-13" }); // two days ago: greeted then (a clinic's first run greets it now)

    // 23:30 on 14 March in Moscow, 06:30 on 15 March in Vladivostok.
    const early = await h.plan(clinicId, "birthday", "2026-03-14T20:30:00Z");
    expect(await h.keys(clinicId)).toContain(`birthday:2026:${vladivostok.id}`);
    expect(await h.keys(clinicId)).not.toContain(`birthday:2026:${moscow.id}`);
    expect(early.counts).toMatchObject({ optedOut: 0, noReachableChat: 0 });

    // 00:30 on 15 March in Moscow.
    const late = await h.plan(clinicId, "birthday", "2026-03-14T21:30:00Z");
    expect(late).toMatchObject({ planned: 2, skipped: 2, flowId: "birthday" });
    const keys = await h.keys(clinicId);
    expect(keys).toEqual(expect.arrayContaining([`birthday:2026:${moscow.id}`, `birthday:2026:${unknownZone.id}`, `birthday:2026:${vladivostok.id}`]));
    expect(keys).not.toContain(`birthday:2026:${tomorrow.id}`);

    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `birthday:2026:${moscow.id}` } });
    expect(row).toMatchObject({ category: "marketing", kind: "start-flow", identityId: null, payload: { startFlow: "birthday", context: { birthdayYear: 2026 } } });

    // The rest of the window plans nothing more; the next day greets the 16th.
    const again = await h.plan(clinicId, "birthday", "2026-03-15T07:00:00Z");
    expect(again).toMatchObject({ planned: 0, alreadyQueued: 4 });
    expect((await h.plan(clinicId, "birthday", "2026-03-16T07:00:00Z")).planned).toBe(1);
    expect(await h.keys(clinicId)).toContain(`birthday:2026:${tomorrow.id}`);
  });

  it("still greets within daysAfter when the day was missed, with the birthday's own year", async () => {
    const { id: clinicId } = await h.clinic({ birthdayWindow: { daysBefore: 0, daysAfter: 3 } });
    const missed = await h.patient(clinicId, { birthDate: "1980-12-30" });
    const tooLate = await h.patient(clinicId, { birthDate: "1980-12-29" });
    // The service comes back on 2 January 2027: the window is 30 December … 2 January.
    expect((await h.plan(clinicId, "birthday", "2027-01-02T07:00:00Z")).planned).toBe(1);
    expect(await h.keys(clinicId)).toEqual([`birthday:2026:${missed.id}`]);
    // The flow is told whose year it is: the gift greeted on 2 January is 2026's.
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `birthday:2026:${missed.id}` } })).payload).toMatchObject({ context: { birthdayYear: 2026 } });
    expect((await h.plan(clinicId, "birthday", "2027-01-03T07:00:00Z"))).toMatchObject({ planned: 0, alreadyQueued: 0 });
    // Their next birthdays are greeted in 2027, once each.
    expect((await h.plan(clinicId, "birthday", "2027-12-30T07:00:00Z")).planned).toBe(2);
    expect((await h.plan(clinicId, "birthday", "2027-12-31T07:00:00Z"))).toMatchObject({ planned: 0, alreadyQueued: 2 });
    expect(await h.keys(clinicId)).toEqual([`birthday:2026:${missed.id}`, `birthday:2027:${missed.id}`, `birthday:2027:${tooLate.id}`].sort());
  });

  it("greets ahead with daysBefore under the year of the birthday", async () => {
    const { id: clinicId } = await h.clinic({ birthdayWindow: { daysBefore: 2, daysAfter: 0 } });
    const newYear = await h.patient(clinicId, { birthDate: "1999-01-01" });
    expect((await h.plan(clinicId, "birthday", "2026-12-30T07:00:00Z")).planned).toBe(1);
    expect(await h.keys(clinicId)).toEqual([`birthday:2027:${newYear.id}`]);
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { idempotencyKey: `birthday:2027:${newYear.id}` } })).payload).toMatchObject({ context: { birthdayYear: 2027 } });
    expect((await h.plan(clinicId, "birthday", "2027-01-01T07:00:00Z")).planned).toBe(0);
  });

  it("greets a 29 February birthday on 28 February in 2027 and on 29 February in 2028", async () => {
    const { id: clinicId } = await h.clinic({ birthdayWindow: { daysBefore: 0, daysAfter: 0 } });
    const leapling = await h.patient(clinicId, { birthDate: "2000-02-29" });
    const feb28 = await h.patient(clinicId, { birthDate: "1990-02-28" });

    expect((await h.plan(clinicId, "birthday", "2027-02-27T07:00:00Z")).planned).toBe(0);
    expect((await h.plan(clinicId, "birthday", "2027-02-28T07:00:00Z")).planned).toBe(2);
    expect(await h.keys(clinicId)).toEqual([`birthday:2027:${leapling.id}`, `birthday:2027:${feb28.id}`].sort());
    expect((await h.plan(clinicId, "birthday", "2027-03-01T07:00:00Z")).planned).toBe(0);

    const feb28of2028 = await h.plan(clinicId, "birthday", "2028-02-28T07:00:00Z");
    expect(feb28of2028.planned).toBe(1);
    expect(await h.keys(clinicId)).toContain(`birthday:2028:${feb28.id}`);
    expect(await h.keys(clinicId)).not.toContain(`birthday:2028:${leapling.id}`);
    expect((await h.plan(clinicId, "birthday", "2028-02-29T07:00:00Z")).planned).toBe(1);
    expect(await h.keys(clinicId)).toContain(`birthday:2028:${leapling.id}`);
  });
});
