// One SQL text for both databases, with its values numbered $1, $2 … as `rawQuery` takes them.
// What differs between SQLite and PostgreSQL is kept here: how a time is passed and compared,
// how a parameter is typed where PostgreSQL cannot infer it, enum constants, JSON arrays.
import type { Database } from "../../db/client.ts";
import { rawQuery, sqlTime } from "../../db/raw-sql.ts";

export type Provider = Database["provider"];

export class SqlParams {
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

  /** A point in time compared with a DateTime column (ISO text on SQLite, a timestamp on PostgreSQL). */
  time(date: Date): string {
    const p = this.value(sqlTime(this.provider, date));
    return this.pg ? `CAST(${p} AS TIMESTAMP(3))` : p;
  }

  /** Text where PostgreSQL cannot infer the type (a SELECT list, `||`). */
  text(s: string): string {
    return `CAST(${this.value(s)} AS TEXT)`;
  }

  /** A JSON document for a Json column (jsonb on PostgreSQL, JSON text on SQLite). */
  json(document: unknown): string {
    const p = this.value(JSON.stringify(document));
    return this.pg ? `CAST(${p} AS JSONB)` : p;
  }

  /** A whole number where PostgreSQL cannot infer the type. */
  int(n: number): string {
    const p = this.value(n);
    return this.pg ? `CAST(${p} AS INTEGER)` : p;
  }

  run<T>(db: Database, sql: string): Promise<T> {
    if (db.provider !== this.provider) throw new Error("SQL written for another database");
    return rawQuery<T>(db, sql, this.values);
  }

  /** Runs a statement that returns no rows (INSERT, UPDATE); resolves to the rows it changed. */
  execute(db: Database, sql: string): Promise<number> {
    if (db.provider !== this.provider) throw new Error("SQL written for another database");
    if (db.provider === "postgresql") return db.prisma.$executeRawUnsafe(sql, ...this.values);
    // SQLite's driver takes `?` in order of appearance, as rawQuery does.
    const args: unknown[] = [];
    const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
      args.push(this.values[Number(n) - 1]);
      return "?";
    });
    return db.prisma.$executeRawUnsafe(text, ...args);
  }
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A constant of a Prisma enum: text on SQLite, the enum type on PostgreSQL (INSERT … SELECT needs it). */
export function enumConstant(provider: Provider, type: string, value: string): string {
  if (!IDENTIFIER.test(type) || !IDENTIFIER.test(value)) throw new Error(`not an enum constant: ${type}.${value}`);
  return provider === "postgresql" ? `CAST('${value}' AS "${type}")` : `'${value}'`;
}

/** The text elements of a JSON array column, as a one-column table `t(v)` (anything else: none). */
export function jsonTextElements(provider: Provider, column: string): string {
  return provider === "postgresql"
    ? `jsonb_array_elements_text(CASE WHEN jsonb_typeof(${column}) = 'array' THEN ${column} ELSE CAST('[]' AS JSONB) END) AS t(v)`
    : `(SELECT e."value" AS v FROM json_each(CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) = 'array' THEN ${column} END END) e WHERE e."type" = 'text') t`;
}

/** `later` is at most `days` days after `earlier` (both DateTime columns). */
export function withinDaysAfter(params: SqlParams, earlier: string, later: string, days: number): string {
  return params.pg
    ? `${later} <= ${earlier} + (${params.int(days)} * INTERVAL '1 day')`
    : `julianday(${later}) <= julianday(${earlier}) + ${params.value(days)}`;
}

/** A count or sum from either database as a JS number (PostgreSQL's are bigint or numeric). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
