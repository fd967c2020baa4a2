// The little SQL dialect the planners share. Each planner writes ONE SQL text for both databases;
// what cannot be the same is hidden here: PostgreSQL wants the type of a value it cannot infer
// (a value in a SELECT list, a CASE branch), enum constants cast to their type, and builds JSON
// with jsonb_build_object; SQLite stores times and JSON as text and enums as plain text.
import type { Database, Db, Tx } from "../db/client.ts";
import { rawQuery, sqlTime } from "../db/raw-sql.ts";

export type Provider = Database["provider"];

/** Runs one statement on the planner's connection (or transaction). */
export interface SqlRunner {
  readonly provider: Provider;
  query<T>(sql: string, values: unknown[]): Promise<T>;
}

/**
 * A runner over a client or an interactive transaction, through `rawQuery` ($1 placeholders on
 * both databases). `onStatement` sees every statement: tests count them.
 */
export function sqlRunner(client: Db | Tx, provider: Provider, onStatement?: (sql: string) => void): SqlRunner {
  // rawQuery needs only the provider and $queryRawUnsafe, which a transaction client has too.
  const db: Database = { prisma: client as Db, provider, close: async () => {} };
  return {
    provider,
    query: <T>(sql: string, values: unknown[]) => {
      onStatement?.(sql);
      return rawQuery<T>(db, sql, values);
    },
  };
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** One statement being written: each value becomes the next $n, typed where PostgreSQL needs it. */
export class Statement {
  readonly values: unknown[] = [];

  constructor(readonly provider: Provider) {}

  get #pg(): boolean {
    return this.provider === "postgresql";
  }

  /** A value compared with a column (both databases infer its type from the column). */
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
    return this.#pg ? `CAST(${p} AS TIMESTAMP(3))` : p;
  }

  text(s: string): string {
    return `CAST(${this.value(s)} AS TEXT)`;
  }

  int(n: number): string {
    const p = this.value(n);
    return this.#pg ? `CAST(${p} AS INTEGER)` : p;
  }

  /** A constant of a Prisma enum: text in SQLite, the enum type in PostgreSQL. */
  enumValue(type: string, value: string): string {
    if (!IDENTIFIER.test(type) || !IDENTIFIER.test(value)) throw new Error(`not an enum constant: ${type}.${value}`);
    return this.#pg ? `'${value}'::"${type}"` : `'${value}'`;
  }

  /** A JSON object built from SQL expressions (jsonb on PostgreSQL, JSON text on SQLite). */
  json(pairs: readonly (readonly [key: string, expr: string])[]): string {
    const args = pairs.map(([key, expr]) => {
      if (!IDENTIFIER.test(key)) throw new Error(`not a JSON key for SQL: ${key}`);
      return `'${key}', ${expr}`;
    });
    return `${this.#pg ? "jsonb_build_object" : "json_object"}(${args.join(", ")})`;
  }

  /** NULL of a column's type (PostgreSQL cannot insert an untyped NULL from a SELECT). */
  nullOf(type: "INTEGER" | "TEXT"): string {
    return `CAST(NULL AS ${type})`;
  }

  run<T>(runner: SqlRunner, sql: string): Promise<T> {
    if (runner.provider !== this.provider) throw new Error("statement written for another database");
    return runner.query<T>(sql, this.values);
  }
}

/** A count from either database as a JS number (PostgreSQL's COUNT is bigint). */
export function toCount(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
