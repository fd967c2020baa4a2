// The lock of SQLite's one connection: whoever holds it has the connection to itself. A
// transaction holds it from BEGIN to COMMIT or ROLLBACK; a statement outside a transaction holds
// it while it runs, so it can never land inside someone else's transaction (and be rolled back
// with it). Waiters are served in the order they came.

export class ConnectionLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  /** Resolves once the lock is the caller's; `release()` hands it to the next in line. */
  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // Handed over directly, so nobody can slip in between.
    if (next) next();
    else this.#held = false;
  }

  /**
   * Runs `work` holding the lock. When the lock is free and `work` is synchronous (a prepared
   * statement on the connection) it runs at once, costing nothing over running it bare.
   */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#held) return this.acquire().then(() => this.#holding(work));
    this.#held = true;
    return this.#holding(work);
  }

  #holding<T>(work: () => T | Promise<T>): Promise<T> {
    let result: T | Promise<T>;
    try {
      result = work();
    } catch (error) {
      this.release();
      return Promise.reject(error);
    }
    if (typeof (result as { then?: unknown } | null)?.then !== "function") {
      this.release();
      return Promise.resolve(result);
    }
    return Promise.resolve(result).finally(() => this.release());
  }
}
