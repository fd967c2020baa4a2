// Sums, flags, ranks and buckets the dashboard and the reports build, the same on both databases. Constants
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

/** 1 where `condition` holds, else 0: a flag to group by. */
export function flag(condition: Expression<SqlBool>): RawBuilder<number> {
  return sql<number>`CASE WHEN ${condition} THEN 1 ELSE 0 END`;
}

/** An enum column (or any value) as text, to compare or group on both databases alike. */
export function asText(value: Expression<unknown>): RawBuilder<string> {
  return sql<string>`CAST(${value} AS TEXT)`;
}

/** GROUP BY the first `count` selected columns by position, so a computed column is not written twice. */
export function firstColumns(count: number): RawBuilder<unknown>[] {
  return Array.from({ length: count }, (_, i) => sql.raw(String(i + 1)));
}

/** Which of the ascending `bounds` a value falls before (0 … bounds.length), as one CASE. */
export function bucketBefore(value: Expression<unknown>, bounds: readonly Expression<unknown>[]): RawBuilder<number> {
  if (bounds.length === 0) return sql<number>`0`;
  const branches = bounds.map((bound, i) => sql`WHEN ${value} < ${bound} THEN ${sql.lit(i)}`);
  return sql<number>`CASE ${sql.join(branches, sql` `)} ELSE ${sql.lit(bounds.length)} END`;
}

/** The row's place (1, 2 …) in the order of `value`, and how many rows there are: for a median. */
export function rankOf(value: Expression<unknown>): { rank: RawBuilder<number>; rows: RawBuilder<number> } {
  return { rank: sql<number>`ROW_NUMBER() OVER (ORDER BY ${value})`, rows: sql<number>`COUNT(*) OVER ()` };
}

/** The rank(s) of the middle row(s) of `rows` rows: (n+1)/2 and (n+2)/2 in whole numbers. */
export function middleRanks(rows: Expression<unknown>): RawBuilder<number>[] {
  return [sql<number>`(${rows} + 1) / 2`, sql<number>`(${rows} + 2) / 2`];
}
