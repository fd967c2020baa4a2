import type { Clock } from "../../util/clock.ts";

export const WINDOW_MS = 15 * 60_000;
/** Wrong passwords for one account (or from one trusted browser) before attempts wait. */
export const FREE_FAILURES = 5;
/**
 * Failures from one client address, over all accounts, before that address waits. Far above one
 * person's mistakes: behind a reverse proxy without TRUST_PROXY all staff share one address.
 */
export const ADDRESS_FREE_FAILURES = 50;
const BASE_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

/** What a failure is counted against: an account, a client address, or a browser the account logged in from. */
export type ThrottleKey = { account: string } | { address: string } | { device: string };

interface Entry {
  failures: number[];
  blockedUntil: number;
}

const idOf = (key: ThrottleKey): string => ("account" in key ? `account:${key.account.toLowerCase()}` : "address" in key ? `address:${key.address}` : `device:${key.device}`);
const freeFailures = (key: ThrottleKey): number => ("address" in key ? ADDRESS_FREE_FAILURES : FREE_FAILURES);

/**
 * Slows password guessing. After its free failures in 15 minutes a key waits (30 s, then 60 s,
 * 120 s … up to 15 min) and, while it waits, no password is checked for it at all. Accounts and
 * addresses are counted apart, so failures on made-up or other logins never hold back an account
 * until its address alone has failed ADDRESS_FREE_FAILURES times; a browser an account already
 * logged in from has its own count, so a stranger's guesses lock neither out (see device-cookie.ts).
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly clock: Clock) {}

  /** Milliseconds the attempt must still wait (0: go ahead). */
  waitFor(keys: ThrottleKey[]): number {
    const now = this.clock.now().getTime();
    return Math.max(0, ...keys.map((k) => (this.#entries.get(idOf(k))?.blockedUntil ?? 0) - now));
  }

  failed(keys: ThrottleKey[]): void {
    const now = this.clock.now().getTime();
    this.#prune(now);
    for (const key of keys) {
      const id = idOf(key);
      const entry = this.#entries.get(id) ?? { failures: [], blockedUntil: 0 };
      entry.failures = entry.failures.filter((t) => t > now - WINDOW_MS);
      entry.failures.push(now);
      const over = entry.failures.length - freeFailures(key);
      if (over >= 0) entry.blockedUntil = now + Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** over);
      this.#entries.set(id, entry);
    }
  }

  /** A right password clears the account's (or the browser's) count; the address keeps its own. */
  succeeded(key: ThrottleKey): void {
    this.#entries.delete(idOf(key));
  }

  #prune(now: number): void {
    if (this.#entries.size < 10_000) return;
    for (const [key, entry] of this.#entries) {
      if (entry.blockedUntil < now && entry.failures.every((t) => t <= now - WINDOW_MS)) this.#entries.delete(key);
    }
  }
}
