// The branches as the clinic page edits them: one row per branch (and an empty one for a new
// branch). Problems come back as codes per field ("branches.1.phone") for the console to word.
import { DateTime } from "luxon";
import { z } from "zod";
import { WEEKDAYS } from "../clinic/calendar.ts";
import type { Weekday } from "../clinic/calendar.ts";
import { clinicPhoneE164 } from "../clinic/phone.ts";
import type { ReviewLink } from "../clinic/profile.ts";
import { BRANCH_CODE } from "./branch.ts";
import { branchCalendarSchema } from "./calendar.ts";
import type { BranchCalendar } from "./calendar.ts";

export interface BranchFormRow {
  /** The stored branch's id; null for a new one. */
  id: number | null;
  code: string;
  name: string;
  address: string;
  phone: string;
  /** One site a line: "Яндекс Карты https://…" (the address is the line's last word). */
  reviews: string;
  /** Its own working hours instead of the clinic's; a day's text "09:00-20:00", "" for a day off. */
  ownHours: boolean;
  hours: Record<Weekday, string>;
  /** Its own closed dates, comma- or line-separated: "2027-03-15, 2027-03-16". */
  daysOff: string;
  /** One date a line with its hours: "2026-12-31 09:00-15:00". */
  specialHours: string;
  remove: boolean;
}

export type BranchProblemCode = "code-invalid" | "code-taken" | "name-empty" | "name-long" | "address-long" | "phone-invalid" | "review-line-invalid" | "reviews-too-many" | "hours-invalid" | "branch-used" | "day-off-invalid" | "special-hours-invalid" | "special-hours-twice" | "special-on-day-off" | "dates-too-many";

export interface BranchProblem {
  field: string;
  code: BranchProblemCode;
  value?: string;
}

export interface CheckedBranch {
  /** Its row on the form, for problems found while saving. */
  row: number;
  id: number | null;
  code: string;
  name: string;
  address: string;
  phone: string;
  reviewLinks: ReviewLink[];
  calendar: BranchCalendar | null;
  remove: boolean;
}

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–—]\s*([01]\d|2[0-3]):([0-5]\d)$/;

/** A real date as typed: "2027-03-15" (not 2027-02-30). */
const dateTyped = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => DateTime.fromISO(d).isValid);

/** A line of special hours: "2026-12-31 09:00-15:00" (a dash of any kind, spaces as typed). */
const specialLine = z
  .string()
  .transform((line) => /^(\S+)\s+(\d{2}:\d{2})\s*[-–—]\s*(\d{2}:\d{2})$/.exec(line))
  .pipe(z.custom<RegExpExecArray>((m) => m !== null))
  .transform((m) => ({ date: m[1]!, start: m[2]!, end: m[3]! }))
  .pipe(z.object({ date: dateTyped, start: z.string(), end: z.string() }).refine((h) => HOURS.test(`${h.start}-${h.end}`) && h.start < h.end));

const listOf = (text: string, separators: RegExp) => text.split(separators).map((l) => l.trim()).filter(Boolean);

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** A row with nothing typed in it (the form's spare row for a new branch). */
export function isBlankRow(row: BranchFormRow): boolean {
  return row.id === null && !row.code.trim() && !row.name.trim() && !row.address.trim() && !row.phone.trim() && !row.reviews.trim() && !row.daysOff.trim() && !row.specialHours.trim();
}

export type BranchFormCheck = { ok: true; branches: CheckedBranch[] } | { ok: false; problems: BranchProblem[] };

export function checkBranchForm(rows: BranchFormRow[]): BranchFormCheck {
  const problems: BranchProblem[] = [];
  const branches: CheckedBranch[] = [];
  const codes = new Set<string>();
  rows.forEach((row, i) => {
    if (isBlankRow(row)) return;
    const at = (field: string) => `branches.${i}.${field}`;
    const code = row.code.trim();
    if (!BRANCH_CODE.test(code)) problems.push({ field: at("code"), code: "code-invalid", value: code });
    else if (codes.has(code) && !row.remove) problems.push({ field: at("code"), code: "code-taken", value: code });
    if (!row.remove) codes.add(code);
    const name = row.name.trim();
    if (!name) problems.push({ field: at("name"), code: "name-empty" });
    else if (name.length > 120) problems.push({ field: at("name"), code: "name-long" });
    const address = row.address.trim();
    if (address.length > 300) problems.push({ field: at("address"), code: "address-long" });
    let phone = "";
    if (row.phone.trim()) {
      const e164 = clinicPhoneE164(row.phone);
      if (e164) phone = e164;
      else problems.push({ field: at("phone"), code: "phone-invalid", value: row.phone.trim() });
    }
    const reviewLinks: ReviewLink[] = [];
    for (const line of row.reviews.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const cut = line.search(/\s+\S+$/);
      const label = cut > 0 ? line.slice(0, cut).replace(/[\s:—–-]+$/, "").trim() : "";
      const url = cut > 0 ? line.slice(cut).trim() : line;
      if (!label || !isWebAddress(url)) problems.push({ field: at("reviews"), code: "review-line-invalid", value: line });
      else reviewLinks.push({ label, url });
    }
    if (reviewLinks.length > 8) problems.push({ field: at("reviews"), code: "reviews-too-many" });
    let week: BranchCalendar["week"] = null;
    if (row.ownHours) {
      week = {} as Record<Weekday, { start: string; end: string } | null>;
      for (const day of WEEKDAYS) {
        const text = row.hours[day].trim();
        const m = HOURS.exec(text);
        if (!text) week[day] = null;
        else if (!m || `${m[1]}:${m[2]}` >= `${m[3]}:${m[4]}`) {
          problems.push({ field: at(`hours.${day}`), code: "hours-invalid", value: text });
          week[day] = null;
        } else week[day] = { start: `${m[1]}:${m[2]}`, end: `${m[3]}:${m[4]}` };
      }
    }
    const daysOff: string[] = [];
    for (const text of listOf(row.daysOff, /[\s,;]+/)) {
      const date = dateTyped.safeParse(text);
      if (!date.success) problems.push({ field: at("daysOff"), code: "day-off-invalid", value: text });
      else if (!daysOff.includes(date.data)) daysOff.push(date.data);
    }
    const specialHours: BranchCalendar["specialHours"] = [];
    for (const line of listOf(row.specialHours, /\r?\n|;/)) {
      const hours = specialLine.safeParse(line);
      if (!hours.success) problems.push({ field: at("specialHours"), code: "special-hours-invalid", value: line });
      else if (specialHours.some((h) => h.date === hours.data.date)) problems.push({ field: at("specialHours"), code: "special-hours-twice", value: hours.data.date });
      else if (daysOff.includes(hours.data.date)) problems.push({ field: at("specialHours"), code: "special-on-day-off", value: hours.data.date });
      else specialHours.push(hours.data);
    }
    if (daysOff.length > 366) problems.push({ field: at("daysOff"), code: "dates-too-many" });
    if (specialHours.length > 366) problems.push({ field: at("specialHours"), code: "dates-too-many" });
    // Nothing of its own: the clinic's calendar as it is (stored as none).
    const own = week !== null || daysOff.length > 0 || specialHours.length > 0;
    const calendar = own ? branchCalendarSchema.parse({ version: 2, week, daysOff: daysOff.sort(), specialHours: specialHours.sort((a, b) => a.date.localeCompare(b.date)) }) : null;
    branches.push({ row: i, id: row.id, code, name, address, phone, reviewLinks, calendar, remove: row.remove });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, branches };
}
