// A schedule in words, as a clinic manager reads it: «1-го числа каждого месяца в 11:00»,
// «раз в 5 минут», «по будням в 09:30». An expression CareBot cannot read gets an error that
// names the field and the value, and never a guess at what it might mean.
import { isEvery, readCron } from "./cron-fields.ts";
import type { CronField, CronFieldName, CronProblem, ParsedCron } from "./cron-fields.ts";

export type ScheduleLang = "ru" | "en";

export type ScheduleExplanation = { ok: true; text: string } | { ok: false; error: string };

export function explainCron(expression: string, lang: ScheduleLang): ScheduleExplanation {
  const reading = readCron(expression);
  if (!reading.ok) return { ok: false, error: (lang === "ru" ? problemRu : problemEn)(reading.problem) };
  return { ok: true, text: (lang === "ru" ? describeRu : describeEn)(reading.cron) };
}

// ---- shared analysis ----

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (h: number, m: number) => `${pad(h)}:${pad(m)}`;

/** Consecutive values as [from, to] runs: [1,2,3,5] → [[1,3],[5,5]]. */
function runs(values: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

const joinWith = (items: string[], and: string) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`);

/** Monday-first weekdays (0 Sunday goes last). */
const mondayFirst = (values: number[]) => [...values.filter((d) => d !== 0), ...values.filter((d) => d === 0)];

const isWorkweek = (values: number[]) => values.join(",") === "1,2,3,4,5";
const isWeekend = (values: number[]) => values.join(",") === "0,6";

interface Shape {
  minute: CronField;
  hour: CronField;
  everyHour: boolean;
  everyMinute: boolean;
  /** Exact clock times when there are few of them. */
  times: string[] | null;
  everyDom: boolean;
  everyDow: boolean;
  everyMonth: boolean;
}

function shape(c: ParsedCron): Shape {
  const everyHour = isEvery(c.hour, "hour");
  const everyMinute = isEvery(c.minute, "minute");
  const count = c.minute.values.length * c.hour.values.length;
  const times = !everyHour && !everyMinute && c.minute.everyNth === null && count <= 6 ? c.hour.values.flatMap((h) => c.minute.values.map((m) => clock(h, m))) : null;
  return {
    minute: c.minute,
    hour: c.hour,
    everyHour,
    everyMinute,
    times,
    everyDom: isEvery(c.dayOfMonth, "dayOfMonth"),
    everyDow: isEvery(c.dayOfWeek, "dayOfWeek"),
    everyMonth: isEvery(c.month, "month"),
  };
}

/** Whether the times name hours of the day (so "every day" reads right), not a repeat through it. */
const daily = (s: Shape) => s.times !== null || (!s.everyHour && s.hour.everyNth === null);

// ---- Russian ----

const RU_FIELDS: Record<CronFieldName, string> = { minute: "минута", hour: "час", dayOfMonth: "день месяца", month: "месяц", dayOfWeek: "день недели" };
const RU_UNITS: Record<CronFieldName, string> = { minute: "минуты", hour: "часы", dayOfMonth: "дни месяца", month: "месяцы", dayOfWeek: "дни недели" };
const RU_WEEKDAYS_PLURAL = ["воскресеньям", "понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам"];
const RU_MONTHS_IN = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"];
const RU_MONTHS_OF = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

/** 1 минуту, 2 минуты, 5 минут, 21 минуту (after «раз в»). */
function ruCount(n: number, one: string, few: string, many: string): string {
  const d10 = n % 10;
  const d100 = n % 100;
  const word = d10 === 1 && d100 !== 11 ? one : d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14) ? few : many;
  return `${n} ${word}`;
}

function problemRu(p: CronProblem): string {
  switch (p.kind) {
    case "fieldCount":
      return `Расписание не принято: нужно пять полей через пробел (минута, час, день месяца, месяц, день недели), а их ${p.count}.`;
    case "outOfRange":
      return `Расписание не принято: ${RU_FIELDS[p.field]} «${p.value}» — ${RU_UNITS[p.field]} бывают от ${p.min} до ${p.max}.`;
    case "unreadable":
      return `Расписание не принято: CareBot не понимает запись «${p.value}» в поле «${RU_FIELDS[p.field]}».`;
  }
}

function timeRu(s: Shape): string {
  if (s.times) return `в ${joinWith(s.times, "и")}`;
  const hours = s.everyHour
    ? ""
    : s.hour.everyNth !== null && s.hour.values[0] === 0
      ? `раз в ${ruCount(s.hour.everyNth, "час", "часа", "часов")},`
      : runs(s.hour.values).length === 1
        ? `с ${clock(s.hour.values[0]!, 0)} до ${clock(s.hour.values[s.hour.values.length - 1]!, 59)}`
        : `в часы ${joinWith(s.hour.values.map(String), "и")}`;
  let minutes: string;
  if (s.everyMinute) minutes = "каждую минуту";
  else if (s.minute.everyNth !== null) minutes = `раз в ${ruCount(s.minute.everyNth, "минуту", "минуты", "минут")}`;
  else if (s.everyHour) minutes = `в ${joinWith(s.minute.values.map(pad), "и")} мин. каждого часа`;
  else minutes = `в ${joinWith(s.minute.values.map(pad), "и")} мин.`;
  return s.hour.everyNth !== null && hours.endsWith(",") ? `${hours} ${minutes}` : [minutes, hours].filter(Boolean).join(" ");
}

function describeRu(c: ParsedCron): string {
  const s = shape(c);
  const dom = c.dayOfMonth.values;
  const dowText = isWorkweek(c.dayOfWeek.values)
    ? "по будням"
    : isWeekend(c.dayOfWeek.values)
      ? "по выходным"
      : `по ${joinWith(mondayFirst(c.dayOfWeek.values).map((d) => RU_WEEKDAYS_PLURAL[d]!), "и")}`;
  const domText =
    runs(dom).length === 1 && dom.length > 2 ? `с ${dom[0]}-го по ${dom[dom.length - 1]}-е число` : `${joinWith(dom.map((d) => `${d}-го`), "и")} числа`;
  const months = joinWith(c.month.values.map((m) => RU_MONTHS_IN[m - 1]!), "и");
  let days: string;
  if (!s.everyDom && !s.everyMonth && dom.length === 1 && c.month.values.length === 1 && s.everyDow) {
    days = `${dom[0]} ${RU_MONTHS_OF[c.month.values[0]! - 1]}`;
  } else {
    const parts: string[] = [];
    if (!s.everyDom && !s.everyDow) parts.push(`${domText}, а также ${dowText}`);
    else if (!s.everyDom) parts.push(s.everyMonth ? `${domText} каждого месяца` : domText);
    else if (!s.everyDow) parts.push(dowText);
    else if (daily(s)) parts.push("каждый день");
    if (!s.everyMonth) parts.push(`в ${months}`);
    days = parts.join(" ");
  }
  const note = !s.everyDom && dom.length === 1 && dom[0]! >= 29 ? ` (в месяцах, где нет ${dom[0]}-го числа, — ни разу)` : "";
  return `${[days, timeRu(s)].filter(Boolean).join(" ")}${note}`;
}

// ---- English ----

const EN_FIELDS: Record<CronFieldName, string> = { minute: "minute", hour: "hour", dayOfMonth: "day of the month", month: "month", dayOfWeek: "weekday" };
const EN_WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const plural = (n: number, word: string) => (n === 1 ? word : `${n} ${word}s`);

function problemEn(p: CronProblem): string {
  switch (p.kind) {
    case "fieldCount":
      return `Not a schedule: it needs five space-separated fields (minute, hour, day of the month, month, weekday), not ${p.count}.`;
    case "outOfRange":
      return `Not a schedule: ${EN_FIELDS[p.field]} "${p.value}" must be from ${p.min} to ${p.max}.`;
    case "unreadable":
      return `Not a schedule: CareBot cannot read "${p.value}" in the ${EN_FIELDS[p.field]} field.`;
  }
}

function timeEn(s: Shape): string {
  if (s.times) return `at ${joinWith(s.times, "and")}`;
  const hours = s.everyHour
    ? ""
    : s.hour.everyNth !== null && s.hour.values[0] === 0
      ? `every ${plural(s.hour.everyNth, "hour")},`
      : runs(s.hour.values).length === 1
        ? `from ${clock(s.hour.values[0]!, 0)} to ${clock(s.hour.values[s.hour.values.length - 1]!, 59)}`
        : `in hours ${joinWith(s.hour.values.map(String), "and")}`;
  let minutes: string;
  if (s.everyMinute) minutes = "every minute";
  else if (s.minute.everyNth !== null) minutes = `every ${plural(s.minute.everyNth, "minute")}`;
  else minutes = `at minute ${joinWith(s.minute.values.map(pad), "and")}${s.everyHour ? " of every hour" : ""}`;
  return s.hour.everyNth !== null && hours.endsWith(",") ? `${hours} ${minutes}` : [minutes, hours].filter(Boolean).join(" ");
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

function describeEn(c: ParsedCron): string {
  const s = shape(c);
  const dom = c.dayOfMonth.values;
  const dowText = isWorkweek(c.dayOfWeek.values) ? "on weekdays" : isWeekend(c.dayOfWeek.values) ? "at weekends" : `on ${joinWith(mondayFirst(c.dayOfWeek.values).map((d) => EN_WEEKDAYS[d]!), "and")}`;
  const domText = runs(dom).length === 1 && dom.length > 2 ? `from the ${ordinal(dom[0]!)} to the ${ordinal(dom[dom.length - 1]!)}` : `on the ${joinWith(dom.map(ordinal), "and")}`;
  const parts: string[] = [];
  if (!s.everyDom && !s.everyMonth && dom.length === 1 && c.month.values.length === 1 && s.everyDow) parts.push(`on ${dom[0]} ${EN_MONTHS[c.month.values[0]! - 1]}`);
  else if (!s.everyDom && !s.everyDow) parts.push(`${domText} and ${dowText}`);
  else if (!s.everyDom) parts.push(s.everyMonth ? `${domText} of every month` : domText);
  else if (!s.everyDow) parts.push(dowText);
  else if (daily(s)) parts.push("every day");
  if (!s.everyMonth && !(dom.length === 1 && c.month.values.length === 1 && s.everyDow && !s.everyDom)) parts.push(`in ${joinWith(c.month.values.map((m) => EN_MONTHS[m - 1]!), "and")}`);
  const note = !s.everyDom && dom.length === 1 && dom[0]! >= 29 ? ` (never in months without a ${ordinal(dom[0]!)})` : "";
  return `${[parts.join(" "), timeEn(s)].filter(Boolean).join(" ")}${note}`;
}
