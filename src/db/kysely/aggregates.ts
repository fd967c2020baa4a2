// Sums the dashboard and the reports build from conditions, the same on both databases. Constants
// are literals: a bound value in a CASE has no type PostgreSQL can infer.
import { sql } from "kysely";
import type { Expression, RawBuilder, SqlBool } from "kysely";

/** How many rows meet `condition` (0 over no rows). */
export function countWhere(condition: Expression<SqlBool>): RawBuilder<number | string | bigint> {
  return sql`COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
}

/** The sum of `value` over the rows that meet `condition` (0 over none). */
export function sumWhere(condition: Expression<SqlBool>, value: Expression<number | null>): RawBuilder<number | string | bigint> {
  return sql`COALESCE(SUM(CASE WHEN ${condition} THEN ${value} ELSE 0 END), 0)`;
}

/** The sum of a column (0 over no rows). */
export function sumOf(value: Expression<number | null>): RawBuilder<number | string | bigint> {
  return sql`COALESCE(SUM(${value}), 0)`;
}
