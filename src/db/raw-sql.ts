import type { Database, Db, Tx } from "./client.ts";
import { BoundedMap } from "../util/bounded-map.ts";
import { runDirect, toDriverValue } from "./direct-sqlite.ts";
import { runDirectPostgres } from "./direct-postgres.ts";

/**
 * A time as raw SQL must compare it with stored DateTime columns: Prisma keeps SQLite times as
 * ISO text ("2026-11-22T11:00:00.000+00:00"), PostgreSQL's as timestamps (UTC).
 */
export function sqlTime(provider: Database["provider"], date: Date): string | Date {
  return provider === "sqlite" ? date.toISOString().replace("Z", "+00:00") : date;
}

/** Which value each `?` takes, by SQL text: the hot path's few statements are rewritten once. */
const positionalCache = new BoundedMap<string, { text: string; order: number[] }>(512);

/** SQL written with $1, $2 … as SQLite's driver takes it: `?` in order of appearance, each with its value. */
export function positional(sql: string, values: readonly unknown[]): { text: string; args: unknown[] } {
  let known = positionalCache.get(sql);
  if (!known) {
    const order: number[] = [];
    const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
      order.push(Number(n) - 1);
      return "?";
    });
    known = { text, order };
    positionalCache.set(sql, known);
  }
  return { text: known.text, args: known.order.map((i) => values[i]) };
}

/**
 * Runs raw SQL written with PostgreSQL's numbered placeholders ($1, $2 …) on either database,
 * on a client or inside an interactive transaction. On SQLite it runs on Prisma's connection
 * directly with a kept prepared statement (src/db/direct-sqlite.ts), same rows, same errors;
 * outside a transaction it waits for the connection's lock, as Prisma's statements do.
 */
export function rawQueryOn<T>(client: Db | Tx, provider: Database["provider"], sql: string, values: readonly unknown[]): Promise<T> {
  if (provider === "postgresql") return runDirectPostgres<T>(client, sql, values, "rows") ?? client.$queryRawUnsafe<T>(sql, ...values);
  const { text, args } = positional(sql, values);
  return runDirect(client, (direct) => direct.query<T>(text, args)) ?? client.$queryRawUnsafe<T>(text, ...args);
}

/** Like rawQueryOn for a statement that returns no rows: resolves to the rows it changed. */
export function rawExecuteOn(client: Db | Tx, provider: Database["provider"], sql: string, values: readonly unknown[]): Promise<number> {
  if (provider === "postgresql") return runDirectPostgres<number>(client, sql, values, "count") ?? client.$executeRawUnsafe(sql, ...values);
  const { text, args } = positional(sql, values);
  return runDirect(client, (direct) => direct.execute(text, args)) ?? client.$executeRawUnsafe(text, ...args);
}

/** rawQueryOn on a database's own client. */
export function rawQuery<T>(db: Database, sql: string, values: unknown[]): Promise<T> {
  return rawQueryOn<T>(db.prisma, db.provider, sql, values);
}

/**
 * Runs SQL already written in the database's own placeholders (SQLite's `?`, PostgreSQL's `$1`),
 * as the typed SQL layer compiles it (src/db/kysely): no rewriting of the text. `rows` resolves
 * to the rows, `count` to the rows it changed. Same connections, lock and errors as rawQueryOn;
 * on PostgreSQL, past Prisma on the adapter's connection (src/db/direct-postgres.ts).
 */
export function runNative<T>(client: Db | Tx, provider: Database["provider"], sql: string, values: readonly unknown[], result: "rows" | "count"): Promise<T> {
  if (provider === "postgresql") {
    const direct = runDirectPostgres<T>(client, sql, values, result);
    if (direct) return direct;
    return (result === "rows" ? client.$queryRawUnsafe<T>(sql, ...values) : client.$executeRawUnsafe(sql, ...values)) as Promise<T>;
  }
  const direct = runDirect(client, (d) => (result === "rows" ? d.query<T>(sql, values) : (d.execute(sql, values) as T)));
  if (direct) return direct;
  const args = values.map(toDriverValue);
  return (result === "rows" ? client.$queryRawUnsafe<T>(sql, ...args) : client.$executeRawUnsafe(sql, ...args)) as Promise<T>;
}
