import type { Database } from "./client.ts";

/**
 * A time as raw SQL must compare it with stored DateTime columns: Prisma keeps SQLite times as
 * ISO text ("2026-11-22T11:00:00.000+00:00"), PostgreSQL's as timestamps (UTC).
 */
export function sqlTime(provider: Database["provider"], date: Date): string | Date {
  return provider === "sqlite" ? date.toISOString().replace("Z", "+00:00") : date;
}
