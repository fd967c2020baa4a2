import type { Database, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/errors.ts";

/**
 * Runs `fn` in one transaction. Two MIS requests about the same new record can race to insert it;
 * the loser hits a unique constraint, and running it again finds the winner's row and updates it.
 */
export async function inTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>, attempts = 3, timeout = 20_000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn, { timeout, maxWait: 20_000 });
    } catch (error) {
      if (attempt >= attempts || !isUniqueViolation(error)) throw error;
    }
  }
}
