import type { Database } from "./client.ts";

/**
 * A time as raw SQL must compare it with stored DateTime columns: Prisma keeps SQLite times as
 * ISO text ("2026-11-22T11:00:00.000+00:00"), PostgreSQL's as timestamps (UTC).
 */
export function sqlTime(provider: Database["provider"], date: Date): string | Date {
  return provider === "sqlite" ? date.toISOString().replace("Z", "+00:00") : date;
}

/**
 * Runs raw SQL written with PostgreSQL's numbered placeholders ($1, $2 …) on either database:
 * SQLite's driver takes `?` in order of appearance, so each use of $n becomes `?` with its value.
 */
export function rawQuery<T>(db: Database, sql: string, values: unknown[]): Promise<T> {
  if (db.provider === "postgresql") return db.prisma.$queryRawUnsafe<T>(sql, ...values);
  const args: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    args.push(values[Number(n) - 1]);
    return "?";
  });
  return db.prisma.$queryRawUnsafe<T>(text, ...args);
}
