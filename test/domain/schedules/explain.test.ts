// A schedule in words for the settings page: right for what the picker cannot express, and an
// error (never a guess) for what is not a schedule. The reader agrees with node-cron on validity.
import nodeCron from "node-cron";
import { describe, expect, it } from "vitest";
import { readCron } from "../../../src/domain/schedules/cron-fields.ts";
import { explainCron } from "../../../src/domain/schedules/explain.ts";

describe("a cron schedule in words", () => {
  it.each([
    ["0 11 1 * *", "1-го числа каждого месяца в 11:00", "on the 1st of every month at 11:00"],
    ["0 10 * * *", "каждый день в 10:00", "every day at 10:00"],
    ["* * * * *", "каждую минуту", "every minute"],
    ["*/5 * * * *", "раз в 5 минут", "every 5 minutes"],
    ["*/2 * * * *", "раз в 2 минуты", "every 2 minutes"],
    ["*/21 * * * *", "раз в 21 минуту", "every 21 minutes"],
    ["30 9 * * 1-5", "по будням в 09:30", "on weekdays at 09:30"],
    ["0 10 * * 6,0", "по выходным в 10:00", "at weekends at 10:00"],
    ["0 10 * * 1,3", "по понедельникам и средам в 10:00", "on Mondays and Wednesdays at 10:00"],
    ["0 8 1 1 *", "1 января в 08:00", "on 1 January at 08:00"],
    ["0 9,13,17 * * *", "каждый день в 09:00, 13:00 и 17:00", "every day at 09:00, 13:00 and 17:00"],
    ["15 * * * *", "в 15 мин. каждого часа", "at minute 15 of every hour"],
    ["0 */2 * * *", "раз в 2 часа, в 00 мин.", "every 2 hours, at minute 00"],
    ["*/10 9-18 * * 1-5", "по будням раз в 10 минут с 09:00 до 18:59", "on weekdays every 10 minutes from 09:00 to 18:59"],
    ["0 9 1,15 * *", "1-го и 15-го числа каждого месяца в 09:00", "on the 1st and 15th of every month at 09:00"],
    ["0 9 1 * 1", "1-го числа, а также по понедельникам в 09:00", "on the 1st and on Mondays at 09:00"],
    ["0 9 31 * *", "31-го числа каждого месяца в 09:00 (в месяцах, где нет 31-го числа, — ни разу)", "on the 31st of every month at 09:00 (never in months without a 31st)"],
  ])("%s reads «%s»", (cron, ru, en) => {
    expect(explainCron(cron, "ru")).toEqual({ ok: true, text: ru });
    expect(explainCron(cron, "en")).toEqual({ ok: true, text: en });
  });

  it("names what is wrong with an expression that is not a schedule, without explaining it", () => {
    expect(explainCron("0 25 * * *", "ru")).toEqual({ ok: false, error: "Расписание не принято: час «25» — часы бывают от 0 до 23." });
    expect(explainCron("0 8 *", "ru")).toEqual({
      ok: false,
      error: "Расписание не принято: нужно пять полей через пробел (минута, час, день месяца, месяц, день недели), а их 3.",
    });
    expect(explainCron("0 9 L * *", "ru")).toEqual({ ok: false, error: "Расписание не принято: CareBot не понимает запись «L» в поле «день месяца»." });
    expect(explainCron("0 9 * * 8", "en")).toEqual({ ok: false, error: 'Not a schedule: weekday "8" must be from 0 to 7.' });
  });

  it("accepts nothing node-cron would refuse", () => {
    const expressions = ["0 25 * * *", "60 1 * * *", "0 0 0 * *", "0 0 32 * *", "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *", "a b c d e", "0 0 * * 7", "0 0 * * mon", "0 0 * jan *", "1-5/2 * * * *", "0 9-18/3 * * 1-5", "0 0 1,15 * *", "0 0 * * MON-FRI", "0 0 * * 1-7", "0 0 * * */2"];
    for (const e of expressions) if (readCron(e).ok) expect(nodeCron.validate(e), e).toBe(true);
    expect(expressions.filter((e) => readCron(e).ok)).toHaveLength(9);
  });
});
