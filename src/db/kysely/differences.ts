// What SQLite and PostgreSQL do differently, in one place, as Kysely expressions. Values that
// are compared with a column, inserted into one or set on one need nothing here: each database
// infers their type from the column, and the driver binds a Date as SQLite's stored time text
// (direct-sqlite.ts), a boolean as 0/1. What does need care:
// - a value whose type PostgreSQL cannot infer (in a SELECT list, a CASE, INSERT … SELECT):
//   `time`, `text`, `int`, `nullOf`;
// - enum constants: text on SQLite, the enum type on PostgreSQL (`enumValue`);
// - JSON: text on SQLite, jsonb on PostgreSQL (`json`, `jsonObject`, `jsonTextElements`);
// - date arithmetic (`withinDaysAfter`) and counts that PostgreSQL returns as bigint (`toNumber`).
// Upserts (`onConflict`) and RETURNING are Kysely's own and mean the same on both.
import { sql } from "kysely";
import type { Expression, RawBuilder } from "kysely";
import { sqlTime } from "../raw-sql.ts";
import type { Provider } from "./provider.ts";

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function identifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not ${what}: ${name}`);
  return name;
}

/** A point in time usable anywhere (selected, compared, in a CASE). */
export function time(provider: Provider, date: Date): RawBuilder<Date> {
  return provider === "postgresql" ? sql<Date>`CAST(${date} AS TIMESTAMP(3))` : sql<Date>`${sqlTime(provider, date)}`;
}

/** A bound time (a prepared query's parameter) where no column gives its type; the driver writes SQLite's format. */
export function timeParam(provider: Provider, value: Date): RawBuilder<Date> {
  return provider === "postgresql" ? sql<Date>`CAST(${value} AS TIMESTAMP(3))` : sql<Date>`${value}`;
}

/** Text where PostgreSQL cannot infer the type (a SELECT list, `||`). */
export function text(value: string): RawBuilder<string> {
  return sql<string>`CAST(${value} AS TEXT)`;
}

/** A whole number where PostgreSQL cannot infer the type. */
export function int(provider: Provider, value: number): RawBuilder<number> {
  return provider === "postgresql" ? sql<number>`CAST(${value} AS INTEGER)` : sql<number>`${value}`;
}

/** NULL of a column's type (PostgreSQL cannot insert an untyped NULL from a SELECT). */
export function nullOf<T>(type: "INTEGER" | "TEXT"): RawBuilder<T | null> {
  return sql<T | null>`CAST(NULL AS ${sql.raw(type)})`;
}

/** A constant of a Prisma enum: text on SQLite, the enum type on PostgreSQL. */
export function enumValue<V extends string>(provider: Provider, type: string, value: V): RawBuilder<V> {
  const v = sql.lit(identifier(value, "an enum value"));
  return provider === "postgresql" ? sql<V>`CAST(${v} AS ${sql.id(identifier(type, "an enum type"))})` : sql<V>`${v}`;
}

/** A bound value of a Prisma enum (a prepared query's parameter) where no column gives its type. */
export function enumParam<V extends string>(provider: Provider, type: string, value: V): RawBuilder<V> {
  return provider === "postgresql" ? sql<V>`CAST(${value} AS ${sql.id(identifier(type, "an enum type"))})` : sql<V>`${value}`;
}

/** A JSON document as one value, for a Json column (jsonb on PostgreSQL, text on SQLite). */
export function json(provider: Provider, document: unknown): RawBuilder<unknown> {
  return jsonText(provider, JSON.stringify(document));
}

/**
 * A Json column read back as its text, unparsed (SQLite's text as stored, PostgreSQL's jsonb
 * printed): for a document the reader parses only when it has not seen that version.
 */
export function jsonAsText(column: Expression<unknown>): RawBuilder<string> {
  return sql<string>`CAST(${column} AS TEXT)`;
}

/** A JSON document already written as text (a prepared query's parameter: preparedQuery binds it per run). */
export function jsonText(provider: Provider, textValue: string): RawBuilder<unknown> {
  return provider === "postgresql" ? sql`CAST(${textValue} AS JSONB)` : sql`${textValue}`;
}

/** A JSON object built per row from SQL expressions. */
export function jsonObject(provider: Provider, pairs: readonly (readonly [key: string, value: Expression<unknown>])[]): RawBuilder<unknown> {
  const args = pairs.map(([key, value]) => sql`${sql.lit(identifier(key, "a JSON key"))}, ${value}`);
  return sql`${sql.raw(provider === "postgresql" ? "jsonb_build_object" : "json_object")}(${sql.join(args)})`;
}

/** The text elements of a JSON array column as a one-column table `t(v)` (anything else: none). */
export function jsonTextElements(provider: Provider, column: Expression<unknown>): RawBuilder<{ v: string }> {
  return provider === "postgresql"
    ? sql`jsonb_array_elements_text(CASE WHEN jsonb_typeof(${column}) = 'array' THEN ${column} ELSE CAST('[]' AS JSONB) END) AS t(v)`
    : sql`(SELECT e."value" AS v FROM json_each(CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) = 'array' THEN ${column} END END) e WHERE e."type" = 'text') t`;
}

/** `later` is at most `days` days after `earlier` (both DateTime columns). */
export function withinDaysAfter(provider: Provider, earlier: Expression<unknown>, later: Expression<unknown>, days: number): RawBuilder<boolean> {
  return provider === "postgresql"
    ? sql<boolean>`${later} <= ${earlier} + (${int(provider, days)} * INTERVAL '1 day')`
    : sql<boolean>`julianday(${later}) <= julianday(${earlier}) + ${days}`;
}

/** A count or sum from either database as a JS number (PostgreSQL's are bigint or numeric). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** The text of `column` before the first `:` (all of it when it has none): an outbox key's kind. */
export function keyPrefix(provider: Provider, column: Expression<string>): RawBuilder<string> {
  return provider === "postgresql" ? sql<string>`split_part(${column}, ':', 1)` : sql<string>`substr(${column}, 1, instr(${column} || ':', ':') - 1)`;
}

/** Text joined with `||` (numbers are written as text by both databases). Each part is parenthesised: `||` binds tighter than `+`. */
export function concat(...parts: Expression<unknown>[]): RawBuilder<string> {
  return sql<string>`(${sql.join(
    parts.map((part) => sql`(${part})`),
    sql` || `,
  )})`;
}

/** The earlier of two times: SQLite's two-argument MIN, PostgreSQL's LEAST. */
export function earlierOf(provider: Provider, a: Expression<unknown>, b: Expression<unknown>): RawBuilder<Date> {
  return sql<Date>`${sql.raw(provider === "postgresql" ? "LEAST" : "MIN")}(${a}, ${b})`;
}

/** The JSON array column holds at least one of `values` as a text element. */
export function jsonTextElementIn(provider: Provider, column: Expression<unknown>, values: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM ${jsonTextElements(provider, column)} WHERE t.v IN (${sql.join(values)}))`;
}

/** Seconds between two DateTime columns (SQLite keeps them as ISO text, PostgreSQL as timestamps). */
export function secondsBetween(provider: Provider, from: Expression<Date | null>, to: Expression<Date | null>): RawBuilder<number> {
  return provider === "postgresql" ? sql<number>`EXTRACT(EPOCH FROM (${to} - ${from}))` : sql<number>`((julianday(${to}) - julianday(${from})) * 86400.0)`;
}

/**
 * Rows given in the statement itself, as a table `alias` with columns column1, column2 … (VALUES
 * names them so on both databases); each value must carry its type (`int`, `time`, `text`, `nullOf`).
 */
export function valuesTable<R, A extends string>(rows: readonly (readonly Expression<unknown>[])[], alias: A) {
  const tuples = rows.map((row) => sql`(${sql.join(row)})`);
  return sql<R>`(VALUES ${sql.join(tuples)})`.as(alias);
}
