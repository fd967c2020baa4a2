// Raw SQL on SQLite without Prisma's per-statement work. Prisma's SQLite adapter holds one
// better-sqlite3 connection and prepares every statement afresh; its client compiles and
// interprets each call. On the inbound hot path that was two thirds of the CPU (bench/results/
// profile.md). This runs the same raw SQL on the very same connection with prepared statements
// kept between messages. What comes back is what `$queryRawUnsafe` returns for the same SQL
// (test/db/direct-sqlite.test.ts).
//
// One connection means one transaction at a time for everyone on it. A transaction's client runs
// its statements at once (its transaction has the connection); any other client waits for the
// connection's lock first, as Prisma's own statements do (sqlite-connection-guard.ts), so a
// statement outside a transaction never lands in someone else's and is never undone by its
// rollback (test/db/writes-beside-transactions.test.ts).
import Sqlite from "better-sqlite3";
import { BoundedMap } from "../util/bounded-map.ts";
import type { ConnectionLock } from "./connection-lock.ts";
import { isInteractiveTransactionClient } from "./prisma-internals.ts";

/** Kept prepared statements; the hot path uses a few dozen distinct texts. */
const STATEMENT_CACHE_SIZE = 256;

interface Prepared {
  statement: Sqlite.Statement;
  /** Per column: how its value is typed (from its declared type, read once). */
  kinds: Kind[];
  names: string[];
}

/** A driver error as the rest of CareBot recognises it (src/db/errors.ts): Prisma's codes. */
export class DirectSqliteError extends Error {
  override readonly name = "DirectSqliteError";
  constructor(
    message: string,
    readonly code: string,
    readonly meta: Record<string, unknown>,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

export class DirectSqlite {
  #connection: Sqlite.Database | null = null;
  #lock: ConnectionLock | null = null;
  readonly #cache = new BoundedMap<string, Prepared>(STATEMENT_CACHE_SIZE);
  /** Sees every statement run here (benchmarks and tests count them). */
  onStatement?: (sql: string) => void;

  /** The connection Prisma's adapter opened and its lock; statements run here from now on. */
  attach(connection: Sqlite.Database, lock: ConnectionLock): void {
    this.#cache.clear();
    this.#connection = connection;
    this.#lock = lock;
  }

  detach(connection?: Sqlite.Database): void {
    if (connection && connection !== this.#connection) return;
    this.#cache.clear();
    this.#connection = null;
    this.#lock = null;
  }

  /** Runs a statement outside any transaction: once the connection's lock is free. */
  outside<T>(statement: () => T): Promise<T> {
    const lock = this.#lock;
    if (!lock) return Promise.reject(new Error("the SQLite connection is not open"));
    return lock.run(statement);
  }

  /** False before Prisma has connected or after it closed: callers go through Prisma then. */
  get ready(): boolean {
    return this.#connection?.open === true;
  }

  /** Rows, typed as `$queryRawUnsafe` types them; `?` placeholders. */
  query<T>(sql: string, args: readonly unknown[]): T {
    const prepared = this.#prepare(sql);
    const bound = driverValues(args);
    let rows: unknown[][];
    try {
      if (!prepared.statement.reader) {
        prepared.statement.run(bound);
        return [] as T;
      }
      rows = prepared.statement.all(bound) as unknown[][];
    } catch (error) {
      throw asDirectError(error);
    }
    const records = new Array<Record<string, unknown>>(rows.length);
    for (let i = 0; i < rows.length; i++) records[i] = toRecord(rows[i]!, prepared);
    return records as T;
  }

  /** Runs a statement that returns no rows; the number of rows it changed. */
  execute(sql: string, args: readonly unknown[]): number {
    const prepared = this.#prepare(sql);
    try {
      return prepared.statement.run(driverValues(args)).changes;
    } catch (error) {
      throw asDirectError(error);
    }
  }

  #prepare(sql: string): Prepared {
    this.onStatement?.(sql);
    const connection = this.#connection;
    if (!connection?.open) throw new Error("the SQLite connection is not open");
    const cached = this.#cache.touch(sql);
    if (cached) return cached;
    let statement: Sqlite.Statement;
    try {
      statement = connection.prepare(sql);
    } catch (error) {
      throw asDirectError(error);
    }
    statement.safeIntegers(true);
    // Rows as arrays, set once here rather than on every run.
    if (statement.reader) statement.raw(true);
    const columns = statement.reader ? statement.columns() : [];
    const prepared = { statement, kinds: columns.map((c) => kindOf(c.type)), names: columns.map((c) => c.name) };
    this.#cache.set(sql, prepared);
    return prepared;
  }
}

/** Values as Prisma's SQLite adapter binds them: times as ISO text, booleans as 0/1. */
export function toDriverValue(value: unknown): unknown {
  // Text and numbers, by far the most common, pass with one check.
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
      return value;
    case "undefined":
      return null;
    case "boolean":
      return value ? 1 : 0;
    case "object":
      if (value === null || Buffer.isBuffer(value)) return value;
      if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
      return JSON.stringify(value);
    default:
      return value;
  }
}

function driverValues(args: readonly unknown[]): unknown[] {
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = toDriverValue(args[i]);
  return values;
}

function toRecord(row: unknown[], prepared: Prepared): Record<string, unknown> {
  const { names, kinds } = prepared;
  const record: Record<string, unknown> = {};
  for (let i = 0; i < row.length; i++) record[names[i]!] = fromColumn(row[i], kinds[i]!);
  return record;
}

/** How a column's values are typed, by its declared type; a number so each value costs no string comparison. */
const enum Kind {
  /** An expression or a type kept as SQLite returns it (a whole number stays a bigint). */
  Value,
  Integer,
  DateTime,
  Json,
  Boolean,
  Real,
}

function kindOf(declared: string | null): Kind {
  switch (declared?.toUpperCase()) {
    case "INTEGER":
    case "INT":
      return Kind.Integer;
    case "DATETIME":
      return Kind.DateTime;
    case "JSONB":
      return Kind.Json;
    case "BOOLEAN":
      return Kind.Boolean;
    case "REAL":
    case "DOUBLE":
    case "FLOAT":
    case "NUMERIC":
      return Kind.Real;
    default:
      return Kind.Value;
  }
}

/**
 * A value as Prisma's raw query returns it: a declared column by its type (INTEGER a number,
 * DATETIME a Date, JSONB parsed, BOOLEAN a boolean); an expression by its value (a whole number
 * stays a bigint, as Prisma infers Int64 for it).
 */
function fromColumn(value: unknown, kind: Kind): unknown {
  if (value === null) return null;
  switch (kind) {
    case Kind.Integer:
      return typeof value === "bigint" ? Number(value) : Math.trunc(value as number);
    case Kind.DateTime:
      return new Date(typeof value === "string" ? value : Number(value));
    case Kind.Json:
      return typeof value === "string" ? JSON.parse(value) : value;
    case Kind.Boolean:
      return Boolean(Number(value));
    case Kind.Real:
      return Number(value);
    default:
      return value;
  }
}

/** SQLite's codes mapped as Prisma maps them, so callers need not know which path ran. */
function asDirectError(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code !== "string" || typeof e.message !== "string") return error;
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const columns = e.message.split("constraint failed: ").at(1)?.split(", ") ?? [];
    const fields = columns.map((c) => c.split(".").pop()!);
    return new DirectSqliteError(`Unique constraint failed on the fields: (${fields.join(", ")})`, "P2002", { target: fields }, { cause: error });
  }
  if (e.code.startsWith("SQLITE_BUSY") || e.code.startsWith("SQLITE_LOCKED")) {
    return new DirectSqliteError(e.message, e.code.startsWith("SQLITE_BUSY") ? "SQLITE_BUSY" : "SQLITE_LOCKED", {}, { cause: error });
  }
  // Any other failure of a raw statement is what Prisma reports as P2010 ("raw query failed").
  return new DirectSqliteError(`Raw query failed. Code: \`${e.code}\`. Message: \`${e.message}\``, "P2010", { code: e.code, message: e.message }, { cause: error });
}

/** Runs one statement on the direct path as a given client may. */
export type DirectGate = <T>(statement: () => T) => Promise<T>;

/** How a client reaches the direct path: the client it was given to, and that client's gate. */
interface DirectAccess {
  direct: DirectSqlite;
  owner: object;
  gate: DirectGate;
}

/** Where a Prisma client keeps its direct path (Prisma's transaction client sees it too). */
const DIRECT = Symbol.for("carebot.direct-sqlite");

/**
 * Gives `client` the direct path. Its statements pass `gate`: the service's client waits for
 * the connection's lock (`direct.outside`); db.transaction's client checks its transaction is
 * still open.
 */
export function attachDirectSqlite(client: object, direct: DirectSqlite, gate: DirectGate): void {
  const access: DirectAccess = { direct, owner: client, gate };
  Object.defineProperty(client, DIRECT, { value: access, enumerable: false, configurable: true });
}

/** The client's direct path, when it has one that is connected. */
export function directSqliteOf(client: object): DirectSqlite | undefined {
  const access = (client as Record<symbol, DirectAccess | undefined>)[DIRECT];
  return access?.direct.ready ? access.direct : undefined;
}

/**
 * Runs `statement` on the client's direct path, or returns undefined when it has none (the
 * caller goes through Prisma). Prisma's interactive-transaction client, made from the service's
 * client, runs it at once: its transaction holds the connection.
 */
export function runDirect<T>(client: object, statement: (direct: DirectSqlite) => T): Promise<T> | undefined {
  const access = (client as Record<symbol, DirectAccess | undefined>)[DIRECT];
  if (!access?.direct.ready) return undefined;
  const direct = access.direct;
  if (access.owner !== client && isInteractiveTransactionClient(client)) return runNow(() => statement(direct));
  return access.gate(() => statement(direct));
}

/** A synchronous statement as a settled promise. */
export function runNow<T>(statement: () => T): Promise<T> {
  try {
    return Promise.resolve(statement());
  } catch (error) {
    return Promise.reject(error);
  }
}
