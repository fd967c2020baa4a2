// Validation messages in the reader's language: one zod error map per language, for every issue
// code, worded to stand next to the field it is about («не больше 100», "must be at most 100").
// A schema that needs its own words names them with `says("time")` instead of writing English
// into the schema; the words live in SCHEMA_TEXT below, in both languages. Parse with
// `{ error: zodErrorMap(lang) }`; without it, English is used (set as zod's default below).
import { z } from "zod";
import { fill, textsOf } from "./lang.ts";
import type { Dictionary, Lang } from "./lang.ts";
import { plural } from "./plural.ts";
import { SCHEMA_TEXT } from "./schema-text.ts";
import type { SchemaTextKey } from "./schema-text.ts";

type RawIssue = z.core.$ZodRawIssue;
type Values = Record<string, string | number>;

const SAYS = Symbol("carebot.says");
type SaysMap = z.core.$ZodErrorMap & { [SAYS]: { key: SchemaTextKey; values: Values } };

/**
 * A schema's own message, by name: `z.string().regex(HHMM, { error: says("time") })`. The text is
 * chosen when the value is checked, in the language of that check; `{min}`, `{max}` and the
 * given values are filled in.
 */
export function says(key: SchemaTextKey, values: Values = {}): z.core.$ZodErrorMap {
  // Returning nothing hands the issue on to the parse's own error map (zodErrorMap), which reads the tag.
  const map = (() => undefined) as unknown as SaysMap;
  map[SAYS] = { key, values };
  return map;
}

/** The params of a custom issue (ctx.addIssue, refine) that names its message: `params: saysParams("unknownSegment", { … })`. */
export function saysParams(key: SchemaTextKey, values: Values = {}): { says: SchemaTextKey; values: Values } {
  return { says: key, values };
}

const GENERIC: Dictionary<
  | "required" | "type" | "typeOther" | "max" | "maxBelow" | "maxText" | "maxList" | "maxDate" | "min" | "minAbove" | "minText" | "notEmpty" | "minList" | "minDate"
  | "url" | "email" | "date" | "time" | "datetime" | "format" | "startsWith" | "endsWith" | "includes" | "multipleOf" | "unknownKeys" | "union" | "key" | "element" | "oneOf" | "exactly" | "invalid"
  | "t_number" | "t_int" | "t_string" | "t_boolean" | "t_object" | "t_array" | "t_date" | "t_null"
> = {
  ru: {
    required: "нужно заполнить",
    type: "{type}",
    typeOther: "значение не того типа",
    max: "не больше {max}",
    maxBelow: "меньше {max}",
    maxText: "не длиннее {max} {chars}",
    maxList: "не больше {max} {items}",
    maxDate: "не позже {max}",
    min: "не меньше {min}",
    minAbove: "больше {min}",
    minText: "не короче {min} {chars}",
    notEmpty: "не может быть пустым",
    minList: "нужно хотя бы {min} {items}",
    minDate: "не раньше {min}",
    url: "нужен адрес сайта, например https://example.ru/reviews",
    email: "нужен адрес электронной почты",
    date: "нужна дата в виде ГГГГ-ММ-ДД",
    time: "нужно время в виде ЧЧ:ММ",
    datetime: "нужны дата и время",
    format: "неверный формат",
    startsWith: "должно начинаться с «{prefix}»",
    endsWith: "должно заканчиваться на «{suffix}»",
    includes: "должно содержать «{includes}»",
    multipleOf: "нужно число, кратное {divisor}",
    unknownKeys: "неизвестные поля: {keys}",
    union: "не подходит ни под один из допустимых вариантов",
    key: "неверный ключ",
    element: "неверный элемент",
    oneOf: "нужно одно из значений: {values}",
    exactly: "нужно значение {value}",
    invalid: "неверное значение",
    // Whole phrases: the verb agrees with the noun («нужен текст», «нужно число», «нужна дата»).
    t_number: "нужно число",
    t_int: "нужно целое число",
    t_string: "нужен текст",
    t_boolean: "нужно «да» или «нет» (true или false)",
    t_object: "нужен объект { … }",
    t_array: "нужен список [ … ]",
    t_date: "нужна дата",
    t_null: "нужно пустое значение (null)",
  },
  en: {
    required: "is required",
    type: "must be {type}",
    typeOther: "has the wrong type",
    max: "must be at most {max}",
    maxBelow: "must be below {max}",
    maxText: "must be at most {max} {chars}",
    maxList: "must list at most {max} {items}",
    maxDate: "must be {max} or earlier",
    min: "must be at least {min}",
    minAbove: "must be above {min}",
    minText: "must be at least {min} {chars}",
    notEmpty: "must not be empty",
    minList: "must list at least {min} {items}",
    minDate: "must be {min} or later",
    url: "must be a web address such as https://example.ru/reviews",
    email: "must be an email address",
    date: 'must be a date "YYYY-MM-DD"',
    time: 'must be a time "HH:MM"',
    datetime: "must be a date and time",
    format: "has the wrong format",
    startsWith: 'must start with "{prefix}"',
    endsWith: 'must end with "{suffix}"',
    includes: 'must contain "{includes}"',
    multipleOf: "must be a multiple of {divisor}",
    unknownKeys: "unknown fields: {keys}",
    union: "matches none of the allowed forms",
    key: "has an invalid key",
    element: "has an invalid item",
    oneOf: "must be one of {values}",
    exactly: "must be {value}",
    invalid: "is not valid",
    t_number: "a number",
    t_int: "a whole number",
    t_string: "text",
    t_boolean: "true or false",
    t_object: "an object ({ … })",
    t_array: "a list ([ … ])",
    t_date: "a date",
    t_null: "null",
  },
};

const TYPE_KEY: Record<string, "t_number" | "t_int" | "t_string" | "t_boolean" | "t_object" | "t_array" | "t_date" | "t_null"> = {
  number: "t_number", int: "t_int", string: "t_string", boolean: "t_boolean", object: "t_object", record: "t_object",
  map: "t_object", array: "t_array", tuple: "t_array", set: "t_array", date: "t_date", null: "t_null",
};

const quoted = (lang: Lang, value: unknown) => (lang === "ru" ? `«${String(value)}»` : JSON.stringify(value));

/** The message for one issue in `lang`: the schema's own (says) if it names one, else the generic one for its code. */
export function issueMessage(issue: RawIssue, lang: Lang): string {
  const own = saidBy(issue);
  const numbers: Values = {};
  if ("minimum" in issue) numbers.min = String(issue.minimum);
  if ("maximum" in issue) numbers.max = String(issue.maximum);
  if (own) return fill(textsOf(SCHEMA_TEXT, lang)[own.key], { ...numbers, ...own.values });
  const t = textsOf(GENERIC, lang);
  const units = (n: number, ru: [string, string, string], en: [string, string]) => (lang === "ru" ? plural(n, ru) : n === 1 ? en[0] : en[1]);
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return t.required;
      const key = TYPE_KEY[String(issue.expected)];
      return key ? fill(t.type, { type: t[key] }) : t.typeOther;
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "string") return fill(t.maxText, { max: n, chars: units(n, ["символа", "символов", "символов"], ["character", "characters"]) });
      if (issue.origin === "array" || issue.origin === "set") return fill(t.maxList, { max: n, items: units(n, ["элемента", "элементов", "элементов"], ["item", "items"]) });
      if (issue.origin === "date") return fill(t.maxDate, numbers);
      return fill(issue.inclusive === false ? t.maxBelow : t.max, numbers);
    }
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "string") return n <= 1 ? t.notEmpty : fill(t.minText, { min: n, chars: units(n, ["символа", "символов", "символов"], ["character", "characters"]) });
      if (issue.origin === "array" || issue.origin === "set") return fill(t.minList, { min: n, items: units(n, ["элемент", "элемента", "элементов"], ["item", "items"]) });
      if (issue.origin === "date") return fill(t.minDate, numbers);
      return fill(issue.inclusive === false ? t.minAbove : t.min, numbers);
    }
    case "invalid_format": {
      const format = String(issue.format);
      if (format === "url") return t.url;
      if (format === "email") return t.email;
      if (format === "date") return t.date;
      if (format === "time") return t.time;
      if (format === "datetime") return t.datetime;
      if (format === "starts_with") return fill(t.startsWith, { prefix: String((issue as { prefix?: string }).prefix) });
      if (format === "ends_with") return fill(t.endsWith, { suffix: String((issue as { suffix?: string }).suffix) });
      if (format === "includes") return fill(t.includes, { includes: String((issue as { includes?: string }).includes) });
      return t.format;
    }
    case "not_multiple_of":
      return fill(t.multipleOf, { divisor: String(issue.divisor) });
    case "unrecognized_keys":
      return fill(t.unknownKeys, { keys: issue.keys.map((k) => quoted(lang, k)).join(", ") });
    case "invalid_union":
      return t.union;
    case "invalid_key":
      return t.key;
    case "invalid_element":
      return t.element;
    case "invalid_value":
      return issue.values.length === 1 ? fill(t.exactly, { value: quoted(lang, issue.values[0]) }) : fill(t.oneOf, { values: issue.values.map((v) => quoted(lang, v)).join(", ") });
    default:
      return t.invalid;
  }
}

/** The error map to parse with: `schema.safeParse(input, { error: zodErrorMap(lang) })`. */
export function zodErrorMap(lang: Lang): z.core.$ZodErrorMap {
  return (issue) => issueMessage(issue, lang);
}

/**
 * A parsed issue's message in `lang`, for schemas that word their messages in English themselves
 * (the MIS API's, which the CSV import shares): English keeps the schema's own words; other
 * languages rebuild the message from the issue (a custom one by its `saysParams`). Parse with
 * `{ reportInput: true }` so a missing field reads as "required".
 */
export function issueMessageIn(issue: z.core.$ZodIssue, lang: Lang): string {
  return lang === "en" ? issue.message : issueMessage(issue as unknown as RawIssue, lang);
}

/** "bonus.accrualPercent", "campaigns.0.offer" */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * One issue as a line for a person: the field in human words where `labels` knows it ("Начисление,
 * % от оплаты: не больше 100"), else its dotted path ("bonus.accrualPercent: …").
 */
export function describeIssue(issue: { path: readonly PropertyKey[]; message: string }, labels: (path: string) => string | undefined = () => undefined): string {
  const path = dottedPath(issue.path);
  const where = labels(path) ?? path;
  return where ? `${where}: ${issue.message}` : issue.message;
}

function saidBy(issue: RawIssue): { key: SchemaTextKey; values: Values } | undefined {
  const params = (issue as { params?: { says?: SchemaTextKey; values?: Values } }).params;
  if (issue.code === "custom" && params?.says) return { key: params.says, values: params.values ?? {} };
  const ownMap = (issue.inst?._zod.def as { error?: Partial<SaysMap> } | undefined)?.error;
  return ownMap?.[SAYS];
}

// A parse that forgets the map still reads as the schema meant it, in English.
z.config({ customError: zodErrorMap("en") });
