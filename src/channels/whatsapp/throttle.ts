// Sends through an unofficial client get a number banned when they look automated: one message at
// a time, at least `minIntervalMs` after the previous one finished, plus a random pause on top.
// Conservative on purpose; the outbox dispatcher simply waits longer for its answer.

export interface ThrottleOptions {
  /** Quiet time after each send, in ms (default 3000). */
  minIntervalMs?: number;
  /** Up to this many extra ms, drawn at random for each send (default 2000). */
  maxJitterMs?: number;
  /** Injected in tests: no real waiting. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1), like Math.random. */
  random?: () => number;
}

export interface Throttle {
  /** Runs `task` when its turn comes; tasks run one after another in call order. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createThrottle(options: ThrottleOptions = {}): Throttle {
  const minIntervalMs = options.minIntervalMs ?? 3000;
  const maxJitterMs = options.maxJitterMs ?? 2000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  if (!(minIntervalMs >= 0) || !(maxJitterMs >= 0)) throw new Error("createThrottle: minIntervalMs and maxJitterMs must be ≥ 0");

  let tail: Promise<unknown> = Promise.resolve();
  let lastDoneAt: number | undefined; // measured from the end: a slow send still gets its pause

  function run<T>(task: () => Promise<T>): Promise<T> {
    const turn = tail.then(async () => {
      if (lastDoneAt !== undefined) {
        const wait = lastDoneAt + minIntervalMs + Math.floor(random() * maxJitterMs) - now();
        if (wait > 0) await sleep(wait);
      }
      try {
        return await task();
      } finally {
        lastDoneAt = now();
      }
    });
    tail = turn.catch(() => {}); // a failed send must not block the ones behind it
    return turn;
  }

  return { run };
}
