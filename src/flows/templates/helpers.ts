import Handlebars from "handlebars";
import { DateTime } from "luxon";
import { isTemplateLocale, type TemplateLocale } from "./view.ts";
import { genderOf } from "../../domain/names/names.ts";

export type TemplateEnvironment = typeof Handlebars;

/** Where a helper call sits in its template, as Handlebars passes it in `options.loc`. */
export interface TemplateLocation {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/**
 * A helper got an argument it cannot print. Carries the call's location and the argument's
 * index so the store can name the variable behind it ("context.x").
 */
export class TemplateHelperError extends Error {
  override name = "TemplateHelperError";
  readonly helper: string;
  readonly argIndex: number | undefined;
  readonly loc: TemplateLocation | undefined;
  /** The argument was undefined: usually a misspelt or absent variable. */
  readonly missing: boolean;
  constructor(helper: string, message: string, at: { loc?: TemplateLocation; argIndex?: number; missing?: boolean } = {}) {
    super(`${helper}: ${message}`);
    this.helper = helper;
    this.loc = at.loc;
    this.argIndex = at.argIndex;
    this.missing = at.missing ?? false;
  }
}

/**
 * Hidden helper the store wraps around every `{{expression}}` it prints, so a value that is
 * missing, null, NaN, a date or an object fails loudly instead of becoming "" or "[object Object]".
 */
export const VALUE_HELPER = "__value";

interface HelperOptions {
  fn?: (context: unknown) => string;
  inverse?: (context: unknown) => string;
  hash: Record<string, unknown>;
  data?: { locale?: unknown; timezone?: unknown; root?: { locale?: unknown; timezone?: unknown } };
  loc?: TemplateLocation;
}

/** Thrown inside a helper body; `define` adds the helper name and the call's location. */
class ArgumentError extends Error {
  readonly argIndex: number | undefined;
  readonly missing: boolean;
  constructor(argIndex: number | undefined, message: string, missing = false) {
    super(message);
    this.argIndex = argIndex;
    this.missing = missing;
  }
}

// ---------- formatting (pure, also usable outside templates) ----------

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: TemplateLocale, currency: boolean): Intl.NumberFormat {
  const id = `${locale}:${currency}`;
  let format = numberFormats.get(id);
  if (!format) {
    // stripIfInteger: "2 500 ₽" for whole roubles, "2 500,50 ₽" otherwise.
    format = currency
      ? new Intl.NumberFormat(locale, { style: "currency", currency: "RUB", trailingZeroDisplay: "stripIfInteger" })
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numberFormats.set(id, format);
  }
  return format;
}

/** Kopecks → "2 500 ₽" (ru) / "RUB 2,500" (en), with the spaces Intl uses. */
export function formatMoney(amountMinor: number, locale: TemplateLocale): string {
  return numberFormat(locale, true).format(amountMinor / 100);
}

/** Grouped number as the locale writes it: "1 500" / "1,500". */
export function formatNumber(n: number, locale: TemplateLocale): string {
  return numberFormat(locale, false).format(n);
}

const pluralRules = new Map<TemplateLocale, Intl.PluralRules>();

/** How many word forms `{{plural}}` needs: ru one/few/many, en one/other. */
export const PLURAL_FORMS: Record<TemplateLocale, readonly string[]> = {
  ru: ["one", "few", "many"],
  en: ["one", "other"],
};

const RU_FORM: Partial<Record<Intl.LDMLPluralRule, number>> = { one: 0, few: 1, many: 2, other: 1 };

/** Picks the word for `n`: forms are in PLURAL_FORMS order for the locale. */
export function pluralWord(n: number, forms: readonly string[], locale: TemplateLocale): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  const category = rules.select(n);
  // ru "other" is fractions ("1,5 балла"): the same word as "few".
  const index = locale === "ru" ? (RU_FORM[category] ?? 1) : category === "one" ? 0 : 1;
  return forms[index] ?? "";
}

const POINT_WORDS: Record<TemplateLocale, readonly string[]> = {
  ru: ["балл", "балла", "баллов"],
  en: ["point", "points"],
};

/** "1 балл", "1 500 баллов", "2 points" (no-break space, so the number never wraps away from its word). */
export function formatPoints(n: number, locale: TemplateLocale): string {
  return `${formatNumber(n, locale)}\u00a0${pluralWord(n, POINT_WORDS[locale], locale)}`;
}

function inZone(instant: Date | string, zone: string, locale: TemplateLocale): DateTime {
  const dt =
    typeof instant === "string" ? DateTime.fromISO(instant, { zone }) : DateTime.fromJSDate(instant, { zone });
  return dt.setLocale(locale);
}

/** "24 ноября" / "24 November"; with `year` "24 ноября 2026". */
export function formatDate(instant: Date | string, zone: string, locale: TemplateLocale, year = false): string {
  return inZone(instant, zone, locale).toFormat(year ? "d MMMM yyyy" : "d MMMM");
}

/** "10:00" (ru, 24h) / "10:00 AM" (en). */
export function formatTime(instant: Date | string, zone: string, locale: TemplateLocale): string {
  return inZone(instant, zone, locale).toFormat(locale === "ru" ? "HH:mm" : "h:mm a");
}

/** "24 ноября в 10:00" / "24 November at 10:00 AM". */
export function formatDateTime(instant: Date | string, zone: string, locale: TemplateLocale, year = false): string {
  const joiner = locale === "ru" ? "в" : "at";
  return `${formatDate(instant, zone, locale, year)} ${joiner} ${formatTime(instant, zone, locale)}`;
}

/** "понедельник" / "Monday". */
export function formatWeekday(instant: Date | string, zone: string, locale: TemplateLocale): string {
  return inZone(instant, zone, locale).toFormat("cccc");
}

/** "Иванова А. С" → "Иванова А. С."; "Иванова А. С." stays as it is (no «..»). */
export function endSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

// ---------- argument checks ----------

/** How a bad value reads in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined (a missing value)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : "a date";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function finiteNumber(value: unknown, argIndex: number, what: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new ArgumentError(argIndex, `expected ${what}, got ${describeValue(value)}`, value === undefined);
}

function minorUnits(value: unknown): number {
  // JSON context may carry amounts as strings of digits.
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === "number" && Number.isSafeInteger(n)) return n;
  throw new ArgumentError(0, `expected an amount in kopecks (a whole number), got ${describeValue(value)}`, value === undefined);
}

function instant(value: unknown, zone: string): Date | string {
  const ok =
    (value instanceof Date && !Number.isNaN(value.getTime())) ||
    (typeof value === "string" && DateTime.fromISO(value, { zone }).isValid);
  if (ok) return value as Date | string;
  throw new ArgumentError(0, `expected a date (a Date or an ISO 8601 string), got ${describeValue(value)}`, value === undefined);
}

interface Settings {
  locale: TemplateLocale;
  zone: string;
}

// The store passes the template's locale and the patient's zone in @data; the root view is the fallback.
function settings(options: HelperOptions): Settings {
  const locale = options.data?.locale ?? options.data?.root?.locale;
  const zone = options.data?.timezone ?? options.data?.root?.timezone;
  if (!isTemplateLocale(locale)) throw new ArgumentError(undefined, `unknown locale ${describeValue(locale)}`);
  if (typeof zone !== "string" || !DateTime.now().setZone(zone).isValid) {
    throw new ArgumentError(undefined, `unknown time zone ${describeValue(zone)}`);
  }
  return { locale, zone };
}

// ---------- the helpers ----------

type HelperBody = (this: unknown, args: unknown[], options: HelperOptions) => unknown;

interface HelperSpec {
  /** Allowed argument counts, not counting Handlebars' options object. */
  arity: readonly number[];
  usage: string;
  body: HelperBody;
}

const dateHelper =
  (format: (d: Date | string, zone: string, locale: TemplateLocale, year: boolean) => string): HelperBody =>
  (args, options) => {
    const { locale, zone } = settings(options);
    return format(instant(args[0], zone), zone, locale, options.hash.year === true);
  };

const HELPERS: Record<string, HelperSpec> = {
  money: {
    arity: [1],
    usage: "{{money amountInKopecks}}",
    body: (args, options) => formatMoney(minorUnits(args[0]), settings(options).locale),
  },
  points: {
    arity: [1],
    usage: "{{points n}}",
    body: (args, options) => formatPoints(finiteNumber(args[0], 0, "a number of points"), settings(options).locale),
  },
  plural: {
    arity: [3, 4],
    usage: '{{plural n "балл" "балла" "баллов"}} (ru) or {{plural n "point" "points"}} (en)',
    body: (args, options) => {
      const { locale } = settings(options);
      const n = finiteNumber(args[0], 0, "a number");
      const forms = args.slice(1);
      const needed = PLURAL_FORMS[locale];
      if (forms.length !== needed.length) {
        throw new ArgumentError(undefined, `${locale} needs ${needed.length} word forms (${needed.join(", ")}), got ${forms.length}`);
      }
      forms.forEach((form, i) => {
        if (typeof form !== "string") throw new ArgumentError(i + 1, `word forms must be text, got ${describeValue(form)}`, form === undefined);
      });
      return pluralWord(n, forms as string[], locale);
    },
  },
  gender: {
    arity: [3, 4],
    usage: '{{gender doctor "рекомендовал" "рекомендовала"}} (a full name, or "male"/"female"; a fourth word for when the name does not say)',
    body: (args) => {
      const [who, male, female, unknown] = args;
      [male, female, ...(args.length === 4 ? [unknown] : [])].forEach((form, i) => {
        if (typeof form !== "string") throw new ArgumentError(i + 1, `word forms must be text, got ${describeValue(form)}`, form === undefined);
      });
      if (who === undefined) throw new ArgumentError(0, "the person is undefined (a missing value)", true);
      const gender = who === "male" || who === "female" ? who : typeof who === "string" && who !== "" ? genderOf(who) : null;
      // Unknown: the fourth word if given, else the masculine form, which Russian uses for «врач» in general.
      return gender === "female" ? female : gender === "male" ? male : ((args.length === 4 ? unknown : male) as string);
    },
  },
  date: { arity: [1], usage: "{{date d}} or {{date d year=true}}", body: dateHelper(formatDate) },
  time: { arity: [1], usage: "{{time d}}", body: dateHelper(formatTime) },
  datetime: { arity: [1], usage: "{{datetime d}} or {{datetime d year=true}}", body: dateHelper(formatDateTime) },
  weekday: { arity: [1], usage: "{{weekday d}}", body: dateHelper(formatWeekday) },
  eq: {
    arity: [2],
    usage: "{{#eq a b}}…{{else}}…{{/eq}}",
    body(args, options) {
      // undefined is almost always a misspelt variable; compare with null on purpose instead.
      args.forEach((arg, i) => {
        if (arg === undefined) throw new ArgumentError(i, `argument ${i + 1} is ${describeValue(arg)}`, arg === undefined);
      });
      return block(this, args[0] === args[1], options);
    },
  },
  gt: {
    arity: [2],
    usage: "{{#gt a b}}…{{else}}…{{/gt}}",
    body(args, options) {
      const a = finiteNumber(args[0], 0, "a number");
      const b = finiteNumber(args[1], 1, "a number");
      return block(this, a > b, options);
    },
  },
  default: {
    arity: [2],
    usage: '{{default value "fallback"}}',
    body: (args) => {
      const [value, fallback] = args;
      if (fallback === undefined || fallback === null) {
        throw new ArgumentError(1, `the fallback is ${describeValue(fallback)}`, fallback === undefined);
      }
      return value === undefined || value === null || value === "" ? fallback : value;
    },
  },
  sentence: {
    arity: [1],
    usage: "{{sentence result.visit.doctor}} (the text and the sentence's dot, unless it ends in one: «А. С.», not «А. С..»)",
    body: (args, options) => endSentence(printable(args[0], options.hash.expr)),
  },
  [VALUE_HELPER]: {
    arity: [1],
    usage: "{{value}}",
    body: (args, options) => printable(args[0], options.hash.expr),
  },
};

// Block form renders a branch; inline form (`{{#if (eq a b)}}`) returns the boolean.
function block(context: unknown, condition: boolean, options: HelperOptions): unknown {
  if (!options.fn) return condition;
  return condition ? options.fn(context) : (options.inverse?.(context) ?? "");
}

/** The text of a printed value, or an error that says what to write instead. */
function printable(value: unknown, expr: unknown): string {
  const name = typeof expr === "string" && expr !== "" ? `"${expr}"` : "the value";
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (value === undefined) throw new ArgumentError(0, `${name} is undefined`, true);
  if (value === null) throw new ArgumentError(0, `${name} is null; use {{default ${exprText(expr)} "…"}} or {{#if}}`);
  if (typeof value === "number") throw new ArgumentError(0, `${name} is ${value}, not a number to print`);
  if (typeof value === "boolean") throw new ArgumentError(0, `${name} is ${value}; use {{#if ${exprText(expr)}}}`);
  if (value instanceof Date) {
    throw new ArgumentError(0, `${name} is a date; print it with {{date …}}, {{time …}} or {{datetime …}}`);
  }
  throw new ArgumentError(0, `${name} is ${describeValue(value)}, not text`);
}

const exprText = (expr: unknown): string => (typeof expr === "string" && expr !== "" ? expr : "…");

/** Helper names for `knownHelpers` (with `knownHelpersOnly`, anything else fails to compile). */
export const TEMPLATE_HELPERS: readonly string[] = Object.keys(HELPERS);

export function knownHelpers(): Record<string, boolean> {
  return Object.fromEntries(TEMPLATE_HELPERS.map((name) => [name, true]));
}

function define(name: string, spec: HelperSpec): Handlebars.HelperDelegate {
  return function (this: unknown, ...all: unknown[]): unknown {
    // Handlebars always passes its options object last.
    const options = all.pop() as HelperOptions;
    try {
      if (!spec.arity.includes(all.length)) {
        const want = spec.arity.join(" or ");
        throw new ArgumentError(undefined, `takes ${want} argument${want === "1" ? "" : "s"}, got ${all.length}: ${spec.usage}`);
      }
      return spec.body.call(this, all, options);
    } catch (error) {
      if (error instanceof ArgumentError) throw new TemplateHelperError(name, error.message, { loc: options.loc, argIndex: error.argIndex, missing: error.missing });
      throw error;
    }
  };
}

/** A fresh Handlebars environment with CareBot's helpers: the global one is never touched. */
export function createTemplateEnvironment(): TemplateEnvironment {
  const env = Handlebars.create();
  for (const [name, spec] of Object.entries(HELPERS)) env.registerHelper(name, define(name, spec));
  return env;
}
