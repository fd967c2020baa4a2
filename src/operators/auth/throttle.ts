import type { Clock } from "../../util/clock.ts";

export const WINDOW_MS = 15 * 60_000;
export const FREE_FAILURES = 5;
const BASE_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

interface Entry {
  failures: number[];
  blockedUntil: number;
}

/**
 * Slows password guessing, per login and per client address: after 5 wrong passwords in 15
 * minutes every further attempt waits (30 s, then 60 s, 120 s … up to 15 min). While a wait
 * runs no password is checked at all, so a right one is refused too.
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly clock: Clock) {}

  /** Milliseconds the attempt must still wait (0: go ahead). */
  waitFor(keys: string[]): number {
    const now = this.clock.now().getTime();
    return Math.max(0, ...keys.map((k) => (this.#entries.get(k)?.blockedUntil ?? 0) - now));
  }

  failed(keys: string[]): void {
    const now = this.clock.now().getTime();
    this.#prune(now);
    for (const key of keys) {
      const entry = this.#entries.get(key) ?? { failures: [], blockedUntil: 0 };
      entry.failures = entry.failures.filter((t) => t > now - WINDOW_MS);
      entry.failures.push(now);
      const over = entry.failures.length - FREE_FAILURES;
      if (over >= 0) entry.blockedUntil = now + Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** over);
      this.#entries.set(key, entry);
    }
  }

  succeeded(key: string): void {
    this.#entries.delete(key);
  }

  #prune(now: number): void {
    if (this.#entries.size < 10_000) return;
    for (const [key, entry] of this.#entries) {
      if (entry.blockedUntil < now && entry.failures.every((t) => t <= now - WINDOW_MS)) this.#entries.delete(key);
    }
  }
}
