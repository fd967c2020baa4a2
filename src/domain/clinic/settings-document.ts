import { z } from "zod";
import { explainCron } from "../schedules/explain.ts";
import { DEFAULT_LANG, fill, textsOf } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";
import { dottedPath, zodErrorMap } from "../../i18n/zod.ts";
import { SCHEMA_TEXT } from "../../i18n/schema-text.ts";
import { FormatVersionError } from "../../util/versioned/stored-format.ts";
import { clinicSettingsSchema, upgradeSettingsDocument } from "./settings.ts";
import type { ClinicSettings } from "./settings.ts";
import type { SettingsChecks } from "./settings-checks.ts";

// The settings document as a person submits it (console, `carebot clinic import`): the clinic
// schema plus two things a hand-edited document needs. A key the schema does not know is refused,
// never silently dropped (a typo such as "acrualPercent" would otherwise lose the change without
// a word), and every problem reads «не больше 100» / "must be at most 100" next to the field it is
// about, in the language of the person who submitted it.

/** One problem of a submitted document: the field's dotted path ("bonus.accrualPercent", "" for the whole document). */
export interface SettingsProblem {
  path: string;
  message: string;
}

export type SettingsDocumentCheck = { ok: true; settings: ClinicSettings } | { ok: false; problems: SettingsProblem[] };

/**
 * Validates a whole submitted document: the parsed settings with defaults filled in, or every
 * problem found, in `lang`. `checks` judge what the domain cannot: templates and schedules.
 */
export function checkSettingsDocument(submitted: unknown, checks: SettingsChecks, lang: Lang = DEFAULT_LANG): SettingsDocumentCheck {
  const t = textsOf(SCHEMA_TEXT, lang);
  let raw: unknown;
  try {
    raw = upgradeSettingsDocument(submitted);
  } catch (error) {
    if (!(error instanceof FormatVersionError)) throw error;
    const message = fill(error.isNewer ? t.formatNewer : t.formatInvalid, { found: String(error.found), current: String(error.current) });
    return { ok: false, problems: [{ path: error.field, message }] };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: "", message: t.notSettingsObject }] };
  }
  const problems = unknownKeys(clinicSettingsSchema, raw, [], lang);
  const parsed = clinicSettingsSchema.safeParse(raw, { error: zodErrorMap(lang) });
  if (!parsed.success) {
    // Unknown keys are reported above, one per key, with the key's own path.
    for (const issue of parsed.error.issues) if (issue.code !== "unrecognized_keys") problems.push({ path: dotted(issue.path), message: issue.message });
  }
  const reported = new Set(problems.map((p) => p.path));
  const document = raw as { schedules?: unknown; campaigns?: unknown; cannedReplies?: unknown; whatsappTemplates?: unknown };
  problems.push(
    ...[
      ...invalidSchedules(document.schedules, checks, lang),
      ...invalidCampaignSchedules(document.campaigns, checks, lang),
      ...brokenCannedReplies(document.cannedReplies, checks, lang),
      ...brokenTemplateParams(document.whatsappTemplates, checks, lang),
    ].filter((p) => !reported.has(p.path)),
  );
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, settings: parsed.data };
}

/** "campaigns.0.offer.bonusPoints" */
export const dotted = dottedPath;

/**
 * What is wrong with a schedule, in the page's language: the schedule reader's own words (it knows
 * which field is off and why), else the general message.
 */
function scheduleProblem(expression: string, lang: Lang): string {
  const explained = explainCron(expression, lang);
  if (!explained.ok) return explained.error;
  return fill(textsOf(SCHEMA_TEXT, lang).cronInvalidValue, { expression });
}

/** The schema checks a schedule's shape (five fields); the reader and the scheduler have to accept its values. */
function invalidSchedules(schedules: unknown, checks: SettingsChecks, lang: Lang): SettingsProblem[] {
  if (!isPlainObject(schedules)) return [];
  return Object.entries(schedules)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, expression]) => ({ name, expression, problem: checks.cronProblem(expression) }))
    .filter((s) => s.problem !== null)
    .map(({ name, expression }) => ({ path: `schedules.${name}`, message: scheduleProblem(expression, lang) }));
}

/** A campaign's own schedule: the scheduler has to be able to run it. */
function invalidCampaignSchedules(campaigns: unknown, checks: SettingsChecks, lang: Lang): SettingsProblem[] {
  if (!Array.isArray(campaigns)) return [];
  return campaigns.flatMap((campaign: unknown, i) => {
    const schedule = isPlainObject(campaign) ? campaign.schedule : undefined;
    if (typeof schedule !== "string" || checks.cronProblem(schedule) === null) return [];
    return [{ path: `campaigns.${i}.schedule`, message: textsOf(SCHEMA_TEXT, lang).cronInvalid }];
  });
}

/** A canned reply the console could not render for a patient: its template's problem, next to its text. */
function brokenCannedReplies(replies: unknown, checks: SettingsChecks, lang: Lang): SettingsProblem[] {
  if (!Array.isArray(replies)) return [];
  const t = textsOf(SCHEMA_TEXT, lang);
  return replies.flatMap((reply: unknown, i) => {
    const text = isPlainObject(reply) ? reply.text : undefined;
    const problem = typeof text === "string" && text.length > 0 ? checks.templateProblem(text) : null;
    return problem ? [{ path: `cannedReplies.${i}.text`, message: fill(t[problem.says], problem.values) }] : [];
  });
}

/** A WhatsApp template's parameters are Handlebars too, rendered with the message's own view. */
function brokenTemplateParams(templates: unknown, checks: SettingsChecks, lang: Lang): SettingsProblem[] {
  if (!isPlainObject(templates)) return [];
  const t = textsOf(SCHEMA_TEXT, lang);
  return Object.entries(templates).flatMap(([kind, template]) => {
    const params = isPlainObject(template) && Array.isArray(template.params) ? (template.params as unknown[]) : [];
    return params.flatMap((param, i) => {
      const problem = typeof param === "string" && param.length > 0 ? checks.templateProblem(param) : null;
      return problem ? [{ path: `whatsappTemplates.${kind}.params.${i}`, message: fill(t[problem.says], problem.values) }] : [];
    });
  });
}

/** Walks the input beside the schema and names every key no object of the schema declares. */
function unknownKeys(schema: z.ZodType, value: unknown, path: PropertyKey[], lang: Lang): SettingsProblem[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeys(inner.element as z.ZodType, item, [...path, i], lang));
  }
  if (inner instanceof z.ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => unknownKeys(inner.valueType as z.ZodType, item, [...path, key], lang));
  }
  if (!(inner instanceof z.ZodObject) || !isPlainObject(value)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape[key];
    if (field) return unknownKeys(field, item, [...path, key], lang);
    const t = textsOf(SCHEMA_TEXT, lang);
    const guess = closest(key, known);
    const hint = guess ? fill(t.didYouMean, { guess }) : fill(t.knownHere, { known: known.join(", ") });
    return [{ path: dotted([...path, key]), message: fill(t.unknownSetting, { hint }) }];
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
