// The limiter on a virtual clock: sends are spaced, and a stalled event loop — timers that fire
// late and all at once — still lets no more than the limit leave in any second.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/outbox/rate-limiter.ts";

/** Virtual time: sleepers wake when the test advances the clock past their time, unless it is stalled. */
function virtualTime() {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((wake) => sleepers.push({ at: now + ms, wake }));
  /** Moves time forward by 1 ms steps; during a stall nothing wakes, after it every overdue sleeper wakes at once. */
  const run = async (until: number, stalls: [number, number][] = []) => {
    for (; now < until; now += 1) {
      if (stalls.some(([from, to]) => now >= from && now < to)) continue;
      for (const s of sleepers.filter((x) => x.at <= now)) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.wake();
      }
      // Let woken acquirers run (and perhaps sleep again) before time moves on.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { now: () => now, sleep, run };
}

/** The most releases in any window of 1000 ms. */
function busiestSecond(times: number[]): number {
  let best = 0;
  for (const start of times) best = Math.max(best, times.filter((t) => t >= start && t < start + 1000).length);
  return best;
}

describe("RateLimiter", () => {
  it("spaces sends to the global pace and one chat's sends by its interval", async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ perSecond: 25, perChatIntervalMs: 1000 }, { now: time.now, sleep: time.sleep });
    const released: [string, number][] = [];
    const send = (chat: string) => limiter.acquire(chat).then(() => released.push([chat, time.now()]));
    const all = Promise.all([...Array.from({ length: 50 }, (_, i) => send(`chat-${i}`)), send("chat-0")]);
    await time.run(3000);
    await all;
    expect(released).toHaveLength(51);
    expect(busiestSecond(released.map(([, t]) => t))).toBeLessThanOrEqual(25);
    const chat0 = released.filter(([c]) => c === "chat-0").map(([, t]) => t);
    expect(chat0[1]! - chat0[0]!).toBeGreaterThanOrEqual(1000);
  });

  it("adds to each wait the jitter drawn from the injected random source", async () => {
    const time = virtualTime();
    const draws = [0.5, 0.25];
    const limiter = new RateLimiter({ perSecond: 0, perChatIntervalMs: 3000, jitterMs: 2000 }, { now: time.now, sleep: time.sleep, random: () => draws.shift()! });
    const released: number[] = [];
    const both = Promise.all([limiter.acquire("chat"), limiter.acquire("chat")].map((acquired) => acquired.then(() => released.push(time.now()))));
    await time.run(6000);
    await both;
    // 0.5 × 2000 after the start; then the chat's 3000 ms gap plus 0.25 × 2000.
    expect(released).toEqual([1000, 4500]);
    expect(draws).toEqual([]);
  });

  it("lets no burst through after a stall: at most the limit in any second", async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ perSecond: 25, perChatIntervalMs: 0 }, { now: time.now, sleep: time.sleep });
    const released: number[] = [];
    const sends = Array.from({ length: 200 }, (_, i) => limiter.acquire(`chat-${i}`).then(() => released.push(time.now())));
    // The event loop stalls for most of a second, as on a starved CPU: the sends booked for that
    // second wake together, just before the next second's sends are due on time.
    await time.run(10_000, [[200, 1190], [4100, 4600]]);
    await Promise.all(sends);
    expect(released).toHaveLength(200);
    expect(busiestSecond(released)).toBeLessThanOrEqual(25);
  });
});
