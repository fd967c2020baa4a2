import { z } from "zod";
import { cronProblem } from "../schedules/runnable.ts";
import { clinicSettingsSchema, upgradeSettingsDocument } from "./settings.ts";
import type { ClinicSettings } from "./settings.ts";

// The settings document as a person submits it (console, `carebot clinic import`): the clinic
// schema plus two things a hand-edited document needs. A key the schema does not know is refused,
// never silently dropped (a typo such as "acrualPercent" would otherwise lose the change without
// a word), and every problem reads "must be …" next to the field it is about.

/** One problem of a submitted document: the field's dotted path ("bonus.accrualPercent", "" for the whole document). */
export interface SettingsProblem {
  path: string;
  message: string;
}

export type SettingsDocumentCheck = { ok: true; settings: ClinicSettings } | { ok: false; problems: SettingsProblem[] };

/** Validates a whole submitted document: the parsed settings with defaults filled in, or every problem found. */
export function checkSettingsDocument(submitted: unknown): SettingsDocumentCheck {
  const raw = upgradeSettingsDocument(submitted);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: "", message: "must be a JSON object of settings ({ \"bonus\": { … }, … })" }] };
  }
  const problems = unknownKeys(clinicSettingsSchema, raw, []);
  const parsed = clinicSettingsSchema.safeParse(raw, { error: readableMessage });
  if (!parsed.success) {
    // Unknown keys are reported above, one per key, with the key's own path.
    for (const issue of parsed.error.issues) if (issue.code !== "unrecognized_keys") problems.push({ path: dotted(issue.path), message: issue.message });
  }
  const reported = new Set(problems.map((p) => p.path));
  problems.push(...invalidSchedules((raw as { schedules?: unknown }).schedules).filter((p) => !reported.has(p.path)));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, settings: parsed.data };
}

/** "campaigns.0.offer.bonusPoints" */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The schema checks a schedule's shape (five fields); node-cron also has to accept its values. */
function invalidSchedules(schedules: unknown): SettingsProblem[] {
  if (!isPlainObject(schedules)) return [];
  return Object.entries(schedules)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, expression]) => ({ name, expression, problem: cronProblem(expression) }))
    .filter((s) => s.problem !== null)
    .map(({ name, expression, problem }) => ({ path: `schedules.${name}`, message: `"${expression}" is not a valid cron expression: ${problem}` }));
}

/** Walks the input beside the schema and names every key no object of the schema declares. */
function unknownKeys(schema: z.ZodType, value: unknown, path: PropertyKey[]): SettingsProblem[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeys(inner.element as z.ZodType, item, [...path, i]));
  }
  if (inner instanceof z.ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => unknownKeys(inner.valueType as z.ZodType, item, [...path, key]));
  }
  if (!(inner instanceof z.ZodObject) || !isPlainObject(value)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape[key];
    if (field) return unknownKeys(field, item, [...path, key]);
    const guess = closest(key, known);
    const hint = guess ? `did you mean "${guess}"?` : `known here: ${known.join(", ")}`;
    return [{ path: dotted([...path, key]), message: `is not a setting CareBot knows (${hint}); remove it or fix its name` }];
  });
}

/** The schema under defaults, optionals and pipes: the one that says what the value looks like. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The known key a typo most likely meant: at most a third of its letters off. */
function closest(key: string, known: string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object ({ … })",
  array: "a list ([ … ])",
  record: "an object ({ … })",
};

/**
 * Messages for the checks settings.ts leaves to zod's defaults ("Too big: expected number to be
 * <=100" becomes "must be at most 100"); the schema's own messages win over these.
 */
function readableMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[String(issue.expected)] ?? String(issue.expected)}`;
    }
    case "too_big": {
      const max = String(issue.maximum);
      if (issue.origin === "string") return `must be at most ${max} characters`;
      if (issue.origin === "array") return `must list at most ${max} items`;
      return issue.inclusive === false ? `must be below ${max}` : `must be at most ${max}`;
    }
    case "too_small": {
      const min = String(issue.minimum);
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "must not be empty" : `must be at least ${min} characters`;
      if (issue.origin === "array") return `must list at least ${min} item(s)`;
      return issue.inclusive === false ? `must be above ${min}` : `must be at least ${min}`;
    }
    case "invalid_format":
      if (issue.format === "url") return "must be a web address such as https://example.ru/reviews";
      return `must be a valid ${String(issue.format)}`;
    default:
      return undefined;
  }
}
