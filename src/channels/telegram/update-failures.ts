// What to do when handling one update failed: try it again later (the database, or the way to
// it, is away for a while) or give up on it (a poison update fails the same way every time).
import { isDatabaseError } from "../../db/errors.ts";

/** Codes of a database that is unreachable, restarting, locked or timing out: it comes back. */
const CONNECTION_CODES = /^(P1001|P1002|P1008|P1017|P2024|P2028|P2034|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|SQLITE_BUSY|SQLITE_LOCKED|57P01|57P02|57P03|08\d{3}|53300)$/;
const CONNECTION_WORDS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|connection (terminated|closed|refused|reset)|Can't reach database|database is locked|SQLITE_BUSY|timed out|Timed out|socket hang up|Transaction already closed|Unable to start a transaction/i;

/** A database error that is not about the connection (a constraint, a bad value) gets a few tries only. */
export const MAX_ATTEMPTS_FOR_OTHER_DATABASE_ERRORS = 5;

export type FailureDecision = "retry" | "give-up";

/** Follows BotError.error and Error.cause, where grammY and the driver adapters keep the original. */
function* chain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    yield current;
    const e = current as { error?: unknown; cause?: unknown };
    current = e.error ?? e.cause;
  }
}

/** The database (or the route to it) is away: waiting and trying again helps. */
export function isConnectionFailure(error: unknown): boolean {
  for (const e of chain(error)) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && CONNECTION_CODES.test(code)) return true;
    if (name === "PrismaClientInitializationError") return true;
    if (typeof message === "string" && CONNECTION_WORDS.test(message)) return true;
  }
  return false;
}

function isAnyDatabaseError(error: unknown): boolean {
  for (const e of chain(error)) if (isDatabaseError(e) || (e as { name?: unknown }).name === "DriverAdapterError") return true;
  return false;
}

/**
 * Counts failed attempts per update and decides. Connection failures are retried for as long as
 * they last (nothing works without the database; the update must not be lost meanwhile). Other
 * database errors get a few attempts (a deadlock passes, a constraint does not). Anything else is
 * a poison update: retrying it would only repeat the failure.
 */
export class UpdateFailures {
  readonly #attempts = new Map<number, number>();
  readonly #limit = 10_000; // memory bound: the oldest counts go first

  decide(updateId: number, error: unknown): FailureDecision {
    const attempts = (this.#attempts.get(updateId) ?? 0) + 1;
    this.#attempts.delete(updateId);
    this.#attempts.set(updateId, attempts);
    if (this.#attempts.size > this.#limit) this.#attempts.delete(this.#attempts.keys().next().value!);
    if (isConnectionFailure(error)) return "retry";
    if (isAnyDatabaseError(error) && attempts < MAX_ATTEMPTS_FOR_OTHER_DATABASE_ERRORS) return "retry";
    return "give-up"; // the caller reads attempts() for its log, then forget()s
  }

  /** The update went through (or was given up): its count is no longer needed. */
  forget(updateId: number): void {
    this.#attempts.delete(updateId);
  }

  attempts(updateId: number): number {
    return this.#attempts.get(updateId) ?? 0;
  }
}
