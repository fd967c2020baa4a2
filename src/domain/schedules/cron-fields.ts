// A five-field cron expression read into the sets of values it allows, or the first thing wrong
// with it, named by field. Pure (no node-cron, no clock) so the settings page's script and the
// server read a schedule the same way.

export type CronFieldName = "minute" | "hour" | "dayOfMonth" | "month" | "dayOfWeek";

export const CRON_FIELDS: readonly CronFieldName[] = ["minute", "hour", "dayOfMonth", "month", "dayOfWeek"];

const RANGES: Record<CronFieldName, [number, number]> = {
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  // 0 and 7 are both Sunday.
  dayOfWeek: [0, 7],
};

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FULL_DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const FULL_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

export interface CronField {
  /** The field as written. */
  text: string;
  /** Every value the field allows, sorted; Sunday is 0 (a written 7 becomes 0). */
  values: number[];
  /** "*" or "?": no restriction. */
  any: boolean;
  /** "*​/n": every n-th value from the start of the range. */
  everyNth: number | null;
}

export type ParsedCron = Record<CronFieldName, CronField>;

export type CronProblem =
  | { kind: "fieldCount"; count: number }
  | { kind: "outOfRange"; field: CronFieldName; value: string; min: number; max: number }
  | { kind: "unreadable"; field: CronFieldName; value: string };

export type CronReading = { ok: true; cron: ParsedCron } | { ok: false; problem: CronProblem };

/** Reads "0 11 1 * *" into its fields, or names the first problem. */
export function readCron(expression: string): CronReading {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return { ok: false, problem: { kind: "fieldCount", count: parts.length } };
  const cron: Partial<ParsedCron> = {};
  for (const [i, name] of CRON_FIELDS.entries()) {
    const field = readField(name, parts[i]!);
    if ("kind" in field) return { ok: false, problem: field };
    cron[name] = field;
  }
  return { ok: true, cron: cron as ParsedCron };
}

function readField(name: CronFieldName, text: string): CronField | CronProblem {
  const [min, max] = RANGES[name];
  if (text === "*" || text === "?") return { text, values: span(min, name === "dayOfWeek" ? 6 : max), any: true, everyNth: null };
  const values = new Set<number>();
  let everyNth: number | null = null;
  for (const item of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) return { kind: "unreadable", field: name, value: item };
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return { kind: "unreadable", field: name, value: item };
    let from: number;
    let to: number;
    if (m[1] === "*") {
      [from, to] = [min, max];
      if (m[2] !== undefined && text === item) everyNth = step;
    } else {
      const bounds = m[1]!.split("-");
      if (bounds.length > 2) return { kind: "unreadable", field: name, value: item };
      const numbers: number[] = [];
      for (const bound of bounds) {
        const n = valueOf(name, bound);
        if (n === null) return { kind: "unreadable", field: name, value: bound };
        if (n < min || n > max) return { kind: "outOfRange", field: name, value: bound, min, max: name === "dayOfWeek" ? 7 : max };
        numbers.push(n);
      }
      from = numbers[0]!;
      to = numbers[1] ?? (m[2] === undefined ? from : max);
      // A range that runs backwards ("5-1") is not one CareBot can read for certain.
      if (to < from) return { kind: "unreadable", field: name, value: item };
    }
    for (let v = from; v <= to; v += step) values.add(name === "dayOfWeek" && v === 7 ? 0 : v);
  }
  return { text, values: [...values].sort((a, b) => a - b), any: false, everyNth };
}

function valueOf(name: CronFieldName, text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const lower = text.toLowerCase();
  const names = name === "month" ? [MONTH_NAMES, FULL_MONTH_NAMES] : name === "dayOfWeek" ? [DAY_NAMES, FULL_DAY_NAMES] : [];
  for (const list of names) {
    const i = list.indexOf(lower);
    if (i >= 0) return name === "month" ? i + 1 : i;
  }
  return null;
}

function span(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Whether the field lets every value of its range through (also "0-59", "1-7"). */
export function isEvery(field: CronField, name: CronFieldName): boolean {
  if (field.any) return true;
  const [min, max] = RANGES[name];
  return field.values.length === (name === "dayOfWeek" ? 7 : max - min + 1);
}
