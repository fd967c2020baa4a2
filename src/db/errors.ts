/**
 * A unique constraint refused the write, optionally on a given column: Prisma's P2002 from a
 * model call, or a raw statement's P2010 whose driver error says so.
 */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const e = error as { code?: string; meta?: Record<string, unknown>; message?: string };
  const rawUnique = e?.code === "P2010" && (e.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause?.kind === "UniqueConstraintViolation";
  if (e?.code !== "P2002" && !rawUnique) return false;
  if (!column) return true;
  return JSON.stringify(e.meta ?? {}).includes(column) || String(e.message).includes(column);
}

/**
 * True for failures of the database itself (unreachable, timed out, locked), as opposed to a
 * flow's own mistakes: those are retried by the caller, never answered as a flow error.
 */
export function isDatabaseError(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  if (typeof e?.name === "string" && e.name.startsWith("PrismaClient")) return true;
  // What a driver adapter raises itself, where no Prisma client wrapped it (db.transaction's BEGIN and COMMIT).
  if (e?.name === "DriverAdapterError") return true;
  return typeof e?.code === "string" && /^(P\d{4}|ECONNREFUSED|ECONNRESET|ETIMEDOUT|SQLITE_BUSY|SQLITE_LOCKED|57P01)$/.test(e.code);
}

/** Codes of a database that is unreachable, restarting, locked or timing out: it comes back. */
const CONNECTION_CODES = /^(P1001|P1002|P1008|P1017|P2024|P2028|P2034|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|SQLITE_BUSY|SQLITE_LOCKED|57P01|57P02|57P03|08\d{3}|53300)$/;
const CONNECTION_WORDS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|connection (terminated|closed|refused|reset)|Can't reach database|database is locked|SQLITE_BUSY|timed out|Timed out|socket hang up|Transaction already closed|Unable to start a transaction/i;

/** A driver adapter's own name for a connection it lost or could not make (its error's `cause.kind`). */
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionAlreadyClosed"]);

/** Follows BotError.error and Error.cause, where grammY and the driver adapters keep the original. */
export function* errorChain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    yield current;
    const e = current as { error?: unknown; cause?: unknown };
    current = e.error ?? e.cause;
  }
}

/** The database (or the route to it) is away: waiting and trying again helps. */
export function isConnectionFailure(error: unknown): boolean {
  for (const e of errorChain(error)) {
    const { code, message, name, kind, originalCode, originalMessage } = e as Record<string, unknown>;
    if (typeof code === "string" && CONNECTION_CODES.test(code)) return true;
    if (name === "PrismaClientInitializationError") return true;
    if (typeof message === "string" && CONNECTION_WORDS.test(message)) return true;
    // A driver adapter's error keeps the driver's in its cause: { kind, originalCode, originalMessage }.
    if (typeof kind === "string" && CONNECTION_KINDS.has(kind)) return true;
    if (typeof originalCode === "string" && CONNECTION_CODES.test(originalCode)) return true;
    if (typeof originalMessage === "string" && CONNECTION_WORDS.test(originalMessage)) return true;
  }
  return false;
}

/**
 * What another connection holding the data looks like: SQLite's write lock held past the busy
 * timeout (extended codes too), a PostgreSQL serialization failure or deadlock (40001, 40P01),
 * Prisma's P2034 for either. isConnectionFailure takes SQLite's lock too (its callers wait out
 * both alike); PostgreSQL's conflicts it leaves to bounded retries (update-failures.ts).
 */
const BUSY_CODES = /^(SQLITE_BUSY(_[A-Z]+)?|SQLITE_LOCKED(_[A-Z]+)?|40001|40P01|P2034)$/;
const BUSY_WORDS = /database is locked|database table is locked|could not serialize access|deadlock detected/i;
/** The PostgreSQL adapter's name for 40001 and 40P01 (its error's `cause.kind`). */
const BUSY_KINDS = new Set(["TransactionWriteConflict"]);

/**
 * The database is busy: another connection holds what this statement needs. Nothing is wrong
 * with the statement; running it again shortly helps. On SQLite a model call reports it as
 * P1008 "Operation has timed out", the driver's SQLITE_BUSY kept in `meta.driverAdapterError`.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (const e of errorChain(error)) {
    if (looksBusy(e)) return true;
    const adapterError = (e as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
    if (adapterError !== undefined) for (const inner of errorChain(adapterError)) if (looksBusy(inner)) return true;
  }
  return false;
}

function looksBusy(e: unknown): boolean {
  const { code, message, kind, originalCode, originalMessage } = e as Record<string, unknown>;
  if ([code, originalCode].some((value) => typeof value === "string" && BUSY_CODES.test(value))) return true;
  if ([message, originalMessage].some((value) => typeof value === "string" && BUSY_WORDS.test(value))) return true;
  return typeof kind === "string" && BUSY_KINDS.has(kind);
}

/**
 * The database failed, not the caller's own logic: a database error or a lost connection anywhere
 * in the error's chain. The PostgreSQL driver throws a dropped connection as a plain Error
 * ("Connection terminated unexpectedly") that no adapter or client wraps, so the name and code
 * alone miss it; such a failure must be retried, never answered to a patient as a flow error.
 */
export function isDatabaseFailure(error: unknown): boolean {
  for (const e of errorChain(error)) if (isDatabaseError(e)) return true;
  return isConnectionFailure(error);
}
