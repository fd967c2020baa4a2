// What to do when handling one update failed: try it again later (the database, or the way to
// it, is away for a while) or give up on it (a poison update fails the same way every time).
import { isConnectionFailure, isDatabaseFailure } from "../../db/errors.ts";
import { BoundedMap } from "../../util/bounded-map.ts";

/** A database error that is not about the connection (a constraint, a bad value) gets a few tries only. */
export const MAX_ATTEMPTS_FOR_OTHER_DATABASE_ERRORS = 5;

export type FailureDecision = "retry" | "give-up";

/**
 * Counts failed attempts per update and decides. Connection failures are retried for as long as
 * they last (nothing works without the database; the update must not be lost meanwhile). Other
 * database errors get a few attempts (a deadlock passes, a constraint does not). Anything else is
 * a poison update: retrying it would only repeat the failure.
 */
export class UpdateFailures {
  // Memory bound: the oldest counts go first.
  readonly #attempts = new BoundedMap<number, number>(10_000);

  decide(updateId: number, error: unknown): FailureDecision {
    const attempts = (this.#attempts.get(updateId) ?? 0) + 1;
    this.#attempts.set(updateId, attempts);
    if (isConnectionFailure(error)) return "retry";
    if (isDatabaseFailure(error) && attempts < MAX_ATTEMPTS_FOR_OTHER_DATABASE_ERRORS) return "retry";
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
