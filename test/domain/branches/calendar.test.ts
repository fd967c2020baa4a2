// A branch's own calendar: its days off and special hours on top of the clinic's holidays, the
// form that edits them (Russian-named problems per field), and an old stored calendar upgraded.
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { branchOf } from "../../../src/domain/branches/branch.ts";
import { calendarOfBranch, storedBranchCalendar } from "../../../src/domain/branches/calendar.ts";
import type { BranchCalendar } from "../../../src/domain/branches/calendar.ts";
import { checkBranchForm } from "../../../src/domain/branches/form.ts";
import type { BranchFormRow } from "../../../src/domain/branches/form.ts";
import { addWorkingMinutes, workingHoursOn } from "../../../src/domain/clinic/calendar.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { blankBranchRow } from "../../../src/operators/branches/clinic-card.ts";
import { branchProblemText } from "../../../src/operators/branches/texts.ts";

const ZONE = "Europe/Moscow";
const msk = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("ccc yyyy-MM-dd HH:mm");
const clinic = parseClinicSettings({}).calendar;
const own = (c: Partial<BranchCalendar>): BranchCalendar => ({ version: 2, week: null, daysOff: [], specialHours: [], ...c });

describe("a branch's calendar", () => {
  it("closes on the branch's own days off and keeps the clinic's holidays", () => {
    const north = calendarOfBranch(clinic, own({ daysOff: ["2026-11-23"] }));
    // Monday 23 November: the clinic works, the branch does not; a 4-hour answer waits for Tuesday.
    expect(workingHoursOn(DateTime.fromISO("2026-11-23"), clinic)).not.toBeNull();
    expect(workingHoursOn(DateTime.fromISO("2026-11-23"), north)).toBeNull();
    expect(local(addWorkingMinutes(msk("2026-11-23T11:00"), 240, clinic, ZONE))).toBe("Mon 2026-11-23 15:00");
    expect(local(addWorkingMinutes(msk("2026-11-23T11:00"), 240, north, ZONE))).toBe("Tue 2026-11-24 13:00");
    // Unity Day (4 November) is the clinic's holiday, and so every branch's.
    expect(workingHoursOn(DateTime.fromISO("2026-11-04"), north)).toBeNull();
    // A worked Saturday of the clinic's is not one for a branch closed that day.
    const moved = { ...clinic, workdays: ["2026-11-28"] };
    expect(workingHoursOn(DateTime.fromISO("2026-11-28"), moved)).not.toBeNull();
    expect(workingHoursOn(DateTime.fromISO("2026-11-28"), calendarOfBranch(moved, own({ daysOff: ["2026-11-28"] })))).toBeNull();
  });

  it("works its special hours on their dates, even on a Saturday or a holiday", () => {
    const south = calendarOfBranch(clinic, own({ specialHours: [{ date: "2026-11-23", start: "09:00", end: "12:00" }, { date: "2026-11-28", start: "10:00", end: "14:00" }, { date: "2026-11-04", start: "10:00", end: "13:00" }] }));
    expect(workingHoursOn(DateTime.fromISO("2026-11-23"), south)).toEqual({ open: 540, close: 720 });
    // One hour left on a short Monday, three more on Tuesday morning.
    expect(local(addWorkingMinutes(msk("2026-11-23T11:00"), 240, south, ZONE))).toBe("Tue 2026-11-24 12:00");
    expect(local(addWorkingMinutes(msk("2026-11-28T10:00"), 120, south, ZONE))).toBe("Sat 2026-11-28 12:00");
    expect(workingHoursOn(DateTime.fromISO("2026-11-04"), south)).toEqual({ open: 600, close: 780 });
    // Its own week too: Saturdays 10–16 besides.
    const week = { ...clinic.week, sat: { start: "10:00", end: "16:00" } };
    expect(workingHoursOn(DateTime.fromISO("2026-12-05"), calendarOfBranch(clinic, own({ week })))).toEqual({ open: 600, close: 960 });
    // Nothing of its own: the clinic's calendar itself.
    expect(calendarOfBranch(clinic, null)).toBe(clinic);
  });

  it("reads a calendar stored before days off: its week kept, the copy of the clinic's holidays dropped", () => {
    const week = { ...clinic.week, sat: { start: "10:00", end: "16:00" } };
    const old = { ...clinic, week, holidays: ["01-01", "2026-03-09"] };
    expect(storedBranchCalendar.parse(old)).toEqual({ version: 2, week, daysOff: [], specialHours: [] });
    const branch = branchOf({ id: 1, code: "north", name: "Северный", address: "", phone: "", calendar: old, reviewLinks: [] });
    expect(branch.calendar?.week?.sat).toEqual({ start: "10:00", end: "16:00" });
    // A clinic's holiday added later reaches the branch.
    expect(calendarOfBranch({ ...clinic, holidays: ["2026-12-30"] }, branch.calendar).holidays).toEqual(["2026-12-30"]);
  });
});

describe("the branches form's calendar fields", () => {
  const row = (fields: Partial<BranchFormRow>): BranchFormRow => ({ ...blankBranchRow(), code: "north", name: "Северный филиал", ...fields });

  it("keeps days off and special hours as typed, sorted, and stores none when the branch has nothing of its own", () => {
    const checked = checkBranchForm([row({ daysOff: "2027-03-16, 2027-03-15\n2027-03-15", specialHours: "2026-12-31 09:00–15:00\n 2026-12-26 10:00 - 14:00 " })]);
    expect(checked.ok && checked.branches[0]!.calendar).toEqual({ version: 2, week: null, daysOff: ["2027-03-15", "2027-03-16"], specialHours: [{ date: "2026-12-26", start: "10:00", end: "14:00" }, { date: "2026-12-31", start: "09:00", end: "15:00" }] });
    const plain = checkBranchForm([row({})]);
    expect(plain.ok && plain.branches[0]!.calendar).toBeNull();
  });

  it("names the field and what is wrong, in Russian", () => {
    const checked = checkBranchForm([row({ daysOff: "2027-02-30, завтра", specialHours: "31 декабря до трёх" }), row({ code: "south", specialHours: "2026-12-31 15:00-09:00" }), row({ code: "east", daysOff: "2026-12-31", specialHours: "2026-12-31 10:00-14:00\n2026-12-30 10:00-14:00\n2026-12-30 11:00-12:00" })]);
    expect(checked.ok).toBe(false);
    const words = checked.ok ? [] : checked.problems.map((p) => `${p.field}: ${branchProblemText("ru", p)}`);
    expect(words).toEqual([
      "branches.0.daysOff: Выходные дни филиала: «2027-02-30» — не дата. Пишите год-месяц-день, например 2027-03-15.",
      "branches.0.daysOff: Выходные дни филиала: «завтра» — не дата. Пишите год-месяц-день, например 2027-03-15.",
      "branches.0.specialHours: Особые часы работы: строка «31 декабря до трёх» непонятна. Пишите дату и часы, например 2026-12-31 09:00-15:00 (конец позже начала).",
      "branches.1.specialHours: Особые часы работы: строка «2026-12-31 15:00-09:00» непонятна. Пишите дату и часы, например 2026-12-31 09:00-15:00 (конец позже начала).",
      "branches.2.specialHours: Особые часы работы: 2026-12-31 стоит и в выходных днях филиала — уберите дату из одного из полей.",
      "branches.2.specialHours: Особые часы работы: дата 2026-12-30 указана дважды — оставьте одну строку.",
    ]);
  });
});
