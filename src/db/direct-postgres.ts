// Raw SQL on PostgreSQL without Prisma's per-statement work, as direct-sqlite.ts does on SQLite.
// `$queryRawUnsafe` compiles a query plan and interprets it for every call before the pg driver
// sees the SQL; on the inbound hot path that cost more client CPU than the statements themselves.
// Here the same SQL goes straight to the driver adapter's own connection: db.transaction's
// transaction (the pg client it checked out of the pool) for its lent client, the pool for the
// service's client. The adapter maps values and errors as it does for Prisma; the rows are then
// typed as `$queryRawUnsafe` types them (rawRowsAsPrisma, prisma-internals.ts), and each
// statement is a named prepared statement on its connection (statementName below).
// test/db/direct-postgres.test.ts holds the results equal to Prisma's for the same SQL.
import type { ArgType, SqlQuery, SqlQueryable } from "@prisma/driver-adapter-utils";
import { BoundedMap } from "../util/bounded-map.ts";
import { rawRowsAsPrisma } from "./prisma-internals.ts";

/** A raw statement's failure as Prisma reports it (P2010, the driver's error kept in `meta`), so src/db/errors.ts reads it the same. */
export class DirectPostgresError extends Error {
  override readonly name = "DirectPostgresError";
  readonly code = "P2010";
  constructor(
    message: string,
    readonly meta: { code?: string; message?: string; driverAdapterError: unknown },
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** How a client reaches the connection its statements belong on. */
export interface DirectPostgresAccess {
  /** The connection now: db.transaction's open transaction, or the pool; null to leave it to Prisma. */
  queryable(): SqlQueryable | null;
  /** Sees every statement run here (benchmarks count them). */
  onStatement?: (sql: string) => void;
}

interface Attached extends DirectPostgresAccess {
  owner: object;
}

const DIRECT = Symbol.for("carebot.direct-postgres");

export function attachDirectPostgres(client: object, access: DirectPostgresAccess): void {
  const attached: Attached = { ...access, owner: client };
  Object.defineProperty(client, DIRECT, { value: attached, enumerable: false, configurable: true });
}

/**
 * Runs a statement (PostgreSQL's $1 placeholders) on the client's direct path, or returns
 * undefined when it has none: Prisma runs it then. Prisma's interactive-transaction client sees
 * its parent's properties but runs in a transaction of its own, so it is left to Prisma.
 */
export function runDirectPostgres<T>(client: object, sql: string, values: readonly unknown[], result: "rows" | "count"): Promise<T> | undefined {
  const access = (client as Record<symbol, Attached | undefined>)[DIRECT];
  if (!access || access.owner !== client) return undefined;
  let queryable: SqlQueryable | null;
  try {
    queryable = access.queryable();
  } catch (error) {
    return Promise.reject(error);
  }
  if (!queryable) return undefined;
  access.onStatement?.(sql);
  const query = driverQuery(sql, values);
  const running = result === "rows" ? queryable.queryRaw(query).then(rawRowsAsPrisma) : queryable.executeRaw(query);
  return (running as Promise<T>).catch((error: unknown) => {
    throw asPrismaError(error);
  });
}

const DATETIME: ArgType = { scalarType: "datetime", arity: "scalar" };
const OTHER: ArgType = { scalarType: "unknown", arity: "scalar" };

/** The statement as the adapter takes it, named so the connection keeps it prepared. */
function driverQuery(sql: string, values: readonly unknown[]): SqlQuery {
  const args = values.map((v) => (v === undefined ? null : v));
  const query: SqlQuery = { sql, args, argTypes: args.map((v) => (v instanceof Date ? DATETIME : OTHER)) };
  prepared.add(query);
  return query;
}

/** Statements sent here; only they get a name (Prisma's own, of many shapes, stay unnamed). */
const prepared = new WeakSet<SqlQuery>();
/** A name per SQL text, never reused for another text (pg refuses a name bound to two texts). */
const names = new BoundedMap<string, string>(512);
let lastName = 0;

/**
 * The adapter's statementNameGenerator (adapters.ts): a name for the direct path's statements,
 * so each connection parses and plans a hot statement once and then only binds and executes it.
 */
export function statementName(query: SqlQuery): string {
  if (!prepared.has(query)) return undefined as unknown as string;
  let name = names.touch(query.sql);
  if (!name) {
    name = `carebot_${(++lastName).toString(36)}`;
    names.set(query.sql, name);
  }
  return name;
}

/** The adapter's DriverAdapterError as `$queryRawUnsafe` wraps it. */
function asPrismaError(error: unknown): unknown {
  const e = error as { name?: string; cause?: { originalCode?: string; originalMessage?: string; kind?: string } };
  if (e?.name !== "DriverAdapterError") return error;
  const code = e.cause?.originalCode;
  const message = e.cause?.originalMessage ?? e.cause?.kind ?? "unknown";
  return new DirectPostgresError(`Raw query failed. Code: \`${code ?? "N/A"}\`. Message: \`${message}\``, { code, message, driverAdapterError: error }, { cause: error });
}
