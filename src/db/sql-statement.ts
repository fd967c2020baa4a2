// One SQL text for both databases, with its values numbered $1, $2 … as `rawQuery` takes them.
// What cannot be the same is kept here: PostgreSQL wants the type of a value it cannot infer (a
// value in a SELECT list, a CASE branch), enum constants cast to their type, jsonb; SQLite keeps
// times and JSON as text and enums as plain text.
import type { Database, Db, Tx } from "./client.ts";
import { rawExecuteOn, rawQuery, rawQueryOn, sqlTime } from "./raw-sql.ts";

export type Provider = Database["provider"];

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Runs one statement on a connection or an interactive transaction. */
export interface SqlRunner {
  readonly provider: Provider;
  query<T>(sql: string, values: unknown[]): Promise<T>;
  /** A statement that returns no rows; resolves to the rows it changed. */
  execute(sql: string, values: unknown[]): Promise<number>;
}

/** A runner over a client or a transaction; `onStatement` sees every statement (tests count them). */
export function sqlRunner(client: Db | Tx, provider: Provider, onStatement?: (sql: string) => void): SqlRunner {
  return {
    provider,
    query: <T>(sql: string, values: unknown[]) => {
      onStatement?.(sql);
      return rawQueryOn<T>(client, provider, sql, values);
    },
    execute: (sql: string, values: unknown[]) => {
      onStatement?.(sql);
      return rawExecuteOn(client, provider, sql, values);
    },
  };
}

/** A constant of a Prisma enum: text on SQLite, the enum type on PostgreSQL (INSERT … SELECT needs it). */
export function enumConstant(provider: Provider, type: string, value: string): string {
  if (!IDENTIFIER.test(type) || !IDENTIFIER.test(value)) throw new Error(`not an enum constant: ${type}.${value}`);
  return provider === "postgresql" ? `CAST('${value}' AS "${type}")` : `'${value}'`;
}

/** One statement being written: each value becomes the next $n, typed where PostgreSQL needs it. */
export class SqlStatement {
  readonly values: unknown[] = [];

  constructor(readonly provider: Provider) {}

  get pg(): boolean {
    return this.provider === "postgresql";
  }

  /** A value compared with a column: both databases infer its type from the column. */
  value(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }

  /** Several values, for `IN (…)`. */
  list(values: readonly unknown[]): string {
    return values.map((v) => this.value(v)).join(", ");
  }

  /** A point in time, usable anywhere (selected, compared, in a CASE). */
  time(date: Date): string {
    const p = this.value(sqlTime(this.provider, date));
    return this.pg ? `CAST(${p} AS TIMESTAMP(3))` : p;
  }

  /** Text where PostgreSQL cannot infer the type (a SELECT list, `||`). */
  text(s: string): string {
    return `CAST(${this.value(s)} AS TEXT)`;
  }

  /** A whole number where PostgreSQL cannot infer the type. */
  int(n: number): string {
    const p = this.value(n);
    return this.pg ? `CAST(${p} AS INTEGER)` : p;
  }

  enumValue(type: string, value: string): string {
    return enumConstant(this.provider, type, value);
  }

  /** A JSON document passed as one value, for a Json column (jsonb on PostgreSQL, text on SQLite). */
  json(document: unknown): string {
    const p = this.value(JSON.stringify(document));
    return this.pg ? `CAST(${p} AS JSONB)` : p;
  }

  /** A JSON object built from SQL expressions per row. */
  jsonObject(pairs: readonly (readonly [key: string, expr: string])[]): string {
    const args = pairs.map(([key, expr]) => {
      if (!IDENTIFIER.test(key)) throw new Error(`not a JSON key for SQL: ${key}`);
      return `'${key}', ${expr}`;
    });
    return `${this.pg ? "jsonb_build_object" : "json_object"}(${args.join(", ")})`;
  }

  /** NULL of a column's type (PostgreSQL cannot insert an untyped NULL from a SELECT). */
  nullOf(type: "INTEGER" | "TEXT"): string {
    return `CAST(NULL AS ${type})`;
  }

  /** Runs the statement on a database or a runner (a transaction). */
  run<T>(target: Database | SqlRunner, sql: string): Promise<T> {
    if (target.provider !== this.provider) throw new Error("SQL written for another database");
    return "query" in target ? target.query<T>(sql, this.values) : rawQuery<T>(target, sql, this.values);
  }

  /** Runs a statement that returns no rows (INSERT, UPDATE); resolves to the rows it changed. */
  execute(target: Database | SqlRunner, sql: string): Promise<number> {
    if (target.provider !== this.provider) throw new Error("SQL written for another database");
    return "execute" in target ? target.execute(sql, this.values) : rawExecuteOn(target.prisma, target.provider, sql, this.values);
  }
}

/** The text elements of a JSON array column, as a one-column table `t(v)` (anything else: none). */
export function jsonTextElements(provider: Provider, column: string): string {
  return provider === "postgresql"
    ? `jsonb_array_elements_text(CASE WHEN jsonb_typeof(${column}) = 'array' THEN ${column} ELSE CAST('[]' AS JSONB) END) AS t(v)`
    : `(SELECT e."value" AS v FROM json_each(CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) = 'array' THEN ${column} END END) e WHERE e."type" = 'text') t`;
}

/** `later` is at most `days` days after `earlier` (both DateTime columns). */
export function withinDaysAfter(s: SqlStatement, earlier: string, later: string, days: number): string {
  return s.pg ? `${later} <= ${earlier} + (${s.int(days)} * INTERVAL '1 day')` : `julianday(${later}) <= julianday(${earlier}) + ${s.value(days)}`;
}

/** A count or sum from either database as a JS number (PostgreSQL's are bigint or numeric). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
