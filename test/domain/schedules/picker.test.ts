// The schedule picker's model both ways: what a manager picks becomes the cron the scheduler runs,
// and a stored cron comes back into the picker when it can say it (null when it cannot).
import nodeCron from "node-cron";
import { describe, expect, it } from "vitest";
import { cronToSchedule, scheduleToCron } from "../../../src/domain/schedules/picker.ts";
import type { PickedSchedule } from "../../../src/domain/schedules/picker.ts";

describe("schedule picker ↔ cron", () => {
  const cases: [PickedSchedule, string][] = [
    [{ every: "day", time: "10:00" }, "0 10 * * *"],
    [{ every: "day", time: "00:05" }, "5 0 * * *"],
    [{ every: "month", day: 1, time: "11:00" }, "0 11 1 * *"],
    [{ every: "month", day: 31, time: "23:59" }, "59 23 31 * *"],
    [{ every: "week", weekdays: [1, 2, 3, 4, 5], time: "09:30" }, "30 9 * * 1-5"],
    [{ every: "week", weekdays: [6, 7], time: "10:00" }, "0 10 * * 6,0"],
    [{ every: "week", weekdays: [1, 3, 5], time: "18:15" }, "15 18 * * 1,3,5"],
    [{ every: "week", weekdays: [7], time: "12:00" }, "0 12 * * 0"],
  ];

  it.each(cases)("%j compiles to %s, which node-cron runs, and reads back as the same pick", (picked, cron) => {
    expect(scheduleToCron(picked)).toBe(cron);
    expect(nodeCron.validate(cron)).toBe(true);
    expect(cronToSchedule(cron)).toEqual(picked);
  });

  it("a week with every day picked is a daily schedule", () => {
    expect(scheduleToCron({ every: "week", weekdays: [1, 2, 3, 4, 5, 6, 7], time: "08:00" })).toBe("0 8 * * *");
  });

  it("reads the ways people write the same schedule", () => {
    expect(cronToSchedule("00 09 * * *")).toEqual({ every: "day", time: "09:00" });
    expect(cronToSchedule(" 0  9 * * MON-FRI ")).toEqual({ every: "week", weekdays: [1, 2, 3, 4, 5], time: "09:00" });
    expect(cronToSchedule("0 9 * * 7")).toEqual({ every: "week", weekdays: [7], time: "09:00" });
    expect(cronToSchedule("0 9 * * 0-6")).toEqual({ every: "day", time: "09:00" });
    expect(cronToSchedule("0 9 1-31 1-12 *")).toEqual({ every: "day", time: "09:00" });
  });

  it.each(["*/5 * * * *", "* * * * *", "15 * * * *", "0 9,13 * * *", "0 9 1,15 * *", "0 9 1 1 *", "0 9 1 * 1", "0 */2 * * *", "0 25 * * *", "0 9 *", "bad"])(
    "leaves %s to the text field",
    (cron) => {
      expect(cronToSchedule(cron)).toBeNull();
    },
  );

  it("refuses a pick that is not a schedule", () => {
    expect(() => scheduleToCron({ every: "day", time: "25:00" })).toThrow(/HH:MM/);
    expect(() => scheduleToCron({ every: "month", day: 32, time: "10:00" })).toThrow(/1–31/);
    expect(() => scheduleToCron({ every: "week", weekdays: [], time: "10:00" })).toThrow(/weekday/);
  });
});
