// The few SQL spellings the seeding statements need that differ between SQLite and PostgreSQL.
import type { Provider } from "../../src/db/sql-statement.ts";

export interface SeedDialect {
  /** A one-column table `(i)` of the integers 1..n, 64-bit (products of ids must not overflow). */
  series(n: number): string;
  /** `MM-DD` of day `dayExpr` (0..365) of the leap year 2000: every calendar day, 29 Feb included. */
  monthDayOfLeapYear(dayExpr: string): string;
  /** `expr` as text, left-padded with zeros to 7 characters. */
  pad7(expr: string): string;
  /** A DateTime constant, stored the way Prisma stores it (ISO text on SQLite, timestamp on PostgreSQL). */
  time(iso: string): string;
  /** `iso` plus `daysExpr` days, as a DateTime column value. */
  plusDays(iso: string, daysExpr: string): string;
  /** A text expression as a Prisma enum (a plain text column on SQLite). */
  asEnum(type: string, expr: string): string;
}

const sqliteTime = (iso: string) => new Date(iso).toISOString().replace("Z", "+00:00");
const pgTime = (iso: string) => new Date(iso).toISOString().replace("T", " ").replace("Z", "");

const SQLITE: SeedDialect = {
  series: (n) => `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s)`,
  monthDayOfLeapYear: (day) => `strftime('%m-%d', date('2000-01-01', '+' || (${day}) || ' days'))`,
  pad7: (e) => `substr('0000000' || (${e}), -7)`,
  time: (iso) => `'${sqliteTime(iso)}'`,
  plusDays: (iso, days) => `strftime('%Y-%m-%dT%H:%M:%S.000+00:00', '${pgTime(iso)}', '+' || (${days}) || ' days')`,
  asEnum: (_type, e) => e,
};

const POSTGRES: SeedDialect = {
  series: (n) => `(SELECT i FROM generate_series(CAST(1 AS BIGINT), ${n}) AS g(i))`,
  monthDayOfLeapYear: (day) => `to_char(DATE '2000-01-01' + CAST(${day} AS INTEGER), 'MM-DD')`,
  pad7: (e) => `lpad(CAST(${e} AS TEXT), 7, '0')`,
  time: (iso) => `CAST('${pgTime(iso)}' AS TIMESTAMP(3))`,
  plusDays: (iso, days) => `(CAST('${pgTime(iso)}' AS TIMESTAMP(3)) + (${days}) * INTERVAL '1 day')`,
  asEnum: (type, e) => `CAST(${e} AS "${type}")`,
};

export function seedDialect(provider: Provider): SeedDialect {
  return provider === "postgresql" ? POSTGRES : SQLITE;
}
