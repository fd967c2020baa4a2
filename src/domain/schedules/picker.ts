// The schedule picker's model: «каждый день / каждую неделю (дни) / каждый месяц (число)» at a
// time, and its two translations: to the cron expression the scheduler runs, and back from a
// stored expression when the picker can say it (null when it cannot: the page keeps it as text).
import { isEvery, readCron } from "./cron-fields.ts";

/** ISO weekdays: 1 Monday … 7 Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type PickedSchedule =
  | { every: "day"; time: string }
  | { every: "week"; weekdays: Weekday[]; time: string }
  | { every: "month"; day: number; time: string };

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** The cron expression of a picked schedule: "0 11 1 * *" for every month on the 1st at 11:00. */
export function scheduleToCron(schedule: PickedSchedule): string {
  const m = TIME.exec(schedule.time);
  if (!m) throw new Error(`the time "${schedule.time}" is not "HH:MM"`);
  const at = `${Number(m[2])} ${Number(m[1])}`;
  switch (schedule.every) {
    case "day":
      return `${at} * * *`;
    case "month":
      if (!Number.isInteger(schedule.day) || schedule.day < 1 || schedule.day > 31) throw new Error(`the day of the month ${schedule.day} is not 1–31`);
      return `${at} ${schedule.day} * *`;
    case "week": {
      const days = [...new Set(schedule.weekdays)].sort((a, b) => a - b);
      if (days.length === 0) throw new Error("a weekly schedule needs at least one weekday");
      if (days.length === 7) return `${at} * * *`;
      return `${at} * * ${weekdayList(days)}`;
    }
  }
}

/** "1-5", "1,3,5", "6,0": Monday-first runs, Sunday written as 0 (what every cron reads). */
function weekdayList(days: Weekday[]): string {
  const runs: [number, number][] = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  const cron = (d: number) => String(d % 7);
  return runs
    .map(([from, to]) => (to - from >= 2 && to < 7 ? `${from}-${to}` : to === from ? cron(from) : Array.from({ length: to - from + 1 }, (_, i) => cron(from + i)).join(",")))
    .join(",");
}

/** The picker's reading of a cron expression, or null when the picker cannot express it. */
export function cronToSchedule(expression: string): PickedSchedule | null {
  const reading = readCron(expression);
  if (!reading.ok) return null;
  const { minute, hour, dayOfMonth, month, dayOfWeek } = reading.cron;
  if (minute.values.length !== 1 || hour.values.length !== 1 || minute.any || hour.any) return null;
  if (!isEvery(month, "month")) return null;
  const time = `${String(hour.values[0]).padStart(2, "0")}:${String(minute.values[0]).padStart(2, "0")}`;
  const everyDayOfMonth = isEvery(dayOfMonth, "dayOfMonth");
  const everyWeekday = isEvery(dayOfWeek, "dayOfWeek");
  if (everyDayOfMonth && everyWeekday) return { every: "day", time };
  if (everyDayOfMonth) {
    const weekdays = dayOfWeek.values.map((d) => (d === 0 ? 7 : d) as Weekday).sort((a, b) => a - b);
    return { every: "week", weekdays, time };
  }
  if (everyWeekday && dayOfMonth.values.length === 1) return { every: "month", day: dayOfMonth.values[0]!, time };
  return null;
}
