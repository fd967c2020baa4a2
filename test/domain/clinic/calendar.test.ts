import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { addWorkingMinutes, isWorkingTime, workingHoursOn } from "../../../src/domain/clinic/calendar.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import { checkSettingsDocument } from "../../../src/domain/clinic/settings-document.ts";
import { settingsChecks } from "../../../src/operators/settings/checks.ts";
import { slaDueAt } from "../../../src/domain/escalations/sla.ts";

const ZONE = "Europe/Moscow";
const msk = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("ccc yyyy-MM-dd HH:mm");
const settings = parseClinicSettings({});
const rules = { sla: settings.sla, calendar: settings.calendar, timezone: ZONE };

describe("the clinic's working calendar", () => {
  it("by default works Monday to Friday, 09:00–20:00, and rests on Russia's federal holidays", () => {
    expect(workingHoursOn(DateTime.fromISO("2026-12-02"), settings.calendar)).toEqual({ open: 540, close: 1200 });
    expect(workingHoursOn(DateTime.fromISO("2026-12-05"), settings.calendar)).toBeNull(); // Saturday
    expect(workingHoursOn(DateTime.fromISO("2026-11-04"), settings.calendar)).toBeNull(); // Unity Day, a Wednesday
    expect(workingHoursOn(DateTime.fromISO("2027-01-05"), settings.calendar)).toBeNull(); // New-year holidays
    expect(isWorkingTime(msk("2026-12-02T19:59"), settings.calendar, ZONE)).toBe(true);
    expect(isWorkingTime(msk("2026-12-02T20:00"), settings.calendar, ZONE)).toBe(false);
  });

  it("moves a holiday that falls on a day off to the next working day", () => {
    // 12 June 2027 is a Saturday: Monday 14 June is the day off.
    expect(workingHoursOn(DateTime.fromISO("2027-06-14"), settings.calendar)).toBeNull();
    expect(workingHoursOn(DateTime.fromISO("2027-06-15"), settings.calendar)).not.toBeNull();
    const fixed = parseClinicSettings({ calendar: { moveWeekendHolidays: false } }).calendar;
    expect(workingHoursOn(DateTime.fromISO("2027-06-14"), fixed)).not.toBeNull();
  });

  it("takes the clinic's own holidays, worked days off and hours per weekday", () => {
    const calendar = parseClinicSettings({
      calendar: { week: { sat: { start: "10:00", end: "16:00" } }, holidays: ["2026-12-31"], workdays: ["2026-12-27"] },
    }).calendar;
    expect(workingHoursOn(DateTime.fromISO("2026-12-05"), calendar)).toEqual({ open: 600, close: 960 });
    expect(workingHoursOn(DateTime.fromISO("2026-12-31"), calendar)).toBeNull();
    // A worked Sunday keeps Monday's hours.
    expect(workingHoursOn(DateTime.fromISO("2026-12-27"), calendar)).toEqual({ open: 540, close: 1200 });
    // The yearly federal holidays are gone when the clinic lists its own.
    expect(workingHoursOn(DateTime.fromISO("2027-01-04"), calendar)).not.toBeNull();
  });

  it("counts only working time", () => {
    expect(local(addWorkingMinutes(msk("2026-12-04T19:00"), 240, settings.calendar, ZONE))).toBe("Mon 2026-12-07 12:00");
    expect(local(addWorkingMinutes(msk("2026-12-02T07:30"), 60, settings.calendar, ZONE))).toBe("Wed 2026-12-02 10:00");
    // Tuesday 3 November 2026 at 19:00, then Unity Day: Thursday morning.
    expect(local(addWorkingMinutes(msk("2026-11-03T19:00"), 120, settings.calendar, ZONE))).toBe("Thu 2026-11-05 10:00");
  });
});

describe("promises made to patients", () => {
  it("never promise an answer on a Saturday for a request made on Wednesday evening", () => {
    const asked = msk("2026-12-02T21:00");
    expect(local(slaDueAt("normal", asked, rules))).toBe("Mon 2026-12-07 11:00");
    // A patient who wants to book is answered within hours, on the next working morning.
    expect(local(slaDueAt("normal", asked, rules, "booking"))).toBe("Thu 2026-12-03 11:00");
    expect(local(slaDueAt("urgent", asked, rules))).toBe("Wed 2026-12-02 21:30");
  });
});

describe("settings written before the calendar", () => {
  it("turn sla.businessHours into the hours of Monday to Friday", () => {
    const old = { sla: { highHours: 4, businessHours: { start: "08:00", end: "18:00" } } };
    const upgraded = parseClinicSettings(old);
    expect(upgraded.calendar.week.mon).toEqual({ start: "08:00", end: "18:00" });
    expect(upgraded.calendar.week.sat).toBeNull();
    expect("businessHours" in upgraded.sla).toBe(false);
    expect(checkSettingsDocument(old, settingsChecks).ok).toBe(true);
  });

  it("name a wrong day or date, in Russian and in English", () => {
    const document = { calendar: { week: { mon: { start: "18:00", end: "09:00" } }, holidays: ["31-12"] } };
    const ru = checkSettingsDocument(document, settingsChecks, "ru");
    const en = checkSettingsDocument(document, settingsChecks, "en");
    if (ru.ok || en.ok) throw new Error("a wrong calendar passed");
    expect(ru.problems).toEqual([
      { path: "calendar.week.mon", message: "конец рабочего дня должен быть позже начала" },
      { path: "calendar.holidays.0", message: "нужна дата ММ-ДД (каждый год) или ГГГГ-ММ-ДД (один раз)" },
    ]);
    expect(en.problems).toEqual([
      { path: "calendar.week.mon", message: "the day must end after it starts" },
      { path: "calendar.holidays.0", message: 'must be "MM-DD" (every year) or "YYYY-MM-DD"' },
    ]);
  });
});
