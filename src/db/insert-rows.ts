// Many rows into one table in one statement, for bulk work (a history import books thousands of
// visits and ledger entries). Prisma's createMany costs about a millisecond of CPU per row in its
// query compiler; this passes the rows as one JSON document that the database unpacks itself
// (json_each on SQLite, jsonb_array_elements on PostgreSQL), whatever their number.
import { sqlTime } from "./raw-sql.ts";
import { sqlRunner } from "./sql-statement.ts";
import type { SqlRunner } from "./sql-statement.ts";
import { TypedSql } from "./kysely/typed-sql.ts";

export type ColumnType = "int" | "text" | "bool" | "time" | { enum: string };

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not an SQL identifier: ${name}`);
  return `"${name}"`;
}

/** A JSON array element as a column value of its type. */
function valueOf(provider: SqlRunner["provider"], index: number, type: ColumnType): string {
  if (provider === "sqlite") {
    // SQLite keeps booleans as 0/1, times as ISO text (see sqlTime) and enums as text: JSON gives all three.
    return `json_extract(e."value", '$[${index}]')`;
  }
  const text = `(e.v->>${index})`;
  if (typeof type === "object") return `CAST(${text} AS ${quoted(type.enum)})`;
  if (type === "int") return `CAST(${text} AS INTEGER)`;
  if (type === "bool") return `CAST(${text} AS BOOLEAN)`;
  if (type === "time") return `CAST(${text} AS TIMESTAMP(3))`;
  return text;
}

/**
 * Inserts `rows` (values in the order of `columns`; a Date for a time, null for NULL) into
 * `table` and returns the `returning` columns of each inserted row, in no particular order
 * (return a natural key with the id). Runs inside the caller's transaction (typed SQL on its `tx`).
 */
export async function insertRows<R extends Record<string, unknown>>(
  target: SqlRunner | TypedSql,
  table: string,
  columns: readonly (readonly [name: string, type: ColumnType])[],
  rows: readonly (readonly unknown[])[],
  returning: readonly string[],
): Promise<R[]> {
  if (rows.length === 0) return [];
  const runner = target instanceof TypedSql ? sqlRunner(target.client, target.provider) : target;
  const provider = runner.provider;
  const document = JSON.stringify(rows.map((row) => row.map((v) => (v instanceof Date ? sqlTime(provider, v) : v))));
  const values = columns.map(([, type], i) => valueOf(provider, i, type)).join(", ");
  const source = provider === "sqlite" ? `json_each($1) e ORDER BY e."key"` : `jsonb_array_elements(CAST($1 AS JSONB)) WITH ORDINALITY AS e(v, n) ORDER BY e.n`;
  const sql = `INSERT INTO ${quoted(table)} (${columns.map(([name]) => quoted(name)).join(", ")})
     SELECT ${values} FROM ${source}
     RETURNING ${returning.map(quoted).join(", ")}`;
  return runner.query<R[]>(sql, [document]);
}
