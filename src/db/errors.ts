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
 * The database failed, not the caller's own logic: a database error or a lost connection anywhere
 * in the error's chain. The PostgreSQL driver throws a dropped connection as a plain Error
 * ("Connection terminated unexpectedly") that no adapter or client wraps, so the name and code
 * alone miss it; such a failure must be retried, never answered to a patient as a flow error.
 */
export function isDatabaseFailure(error: unknown): boolean {
  for (const e of errorChain(error)) if (isDatabaseError(e)) return true;
  return isConnectionFailure(error);
}
