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

  describe("one send at a time with a gap after each (WhatsApp Web)", () => {
    /** A clock that moves only when the limiter sleeps or a send takes time: no real waiting. */
    function steppedClock(start = 1_000_000) {
      let now = start;
      const sleeps: number[] = [];
      return { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), advance: (ms: number) => void (now += ms), sleeps };
    }

    it("spaces sends by the gap plus jitter, measured from the end of the previous one", async () => {
      const clock = steppedClock();
      const randoms = [0.5, 0.25, 0];
      const limiter = new RateLimiter({ perSecond: 0, perChatIntervalMs: 0, gapAfterSendMs: 3000, jitterMs: 2000 }, { now: clock.now, sleep: clock.sleep, random: () => randoms.shift() ?? 0 });
      const startedAt: number[] = [];
      const send = (chat: string) =>
        limiter.run(chat, async () => {
          startedAt.push(clock.now());
          clock.advance(400); // the send itself takes 0.4 s
        });
      await Promise.all([send("a"), send("b"), send("a"), send("c")]);
      // First at once (its jitter drawn too); then 3 s + jitter after each previous send ended.
      expect(startedAt.map((t) => t - 1_000_000)).toEqual([1000, 1400 + 3000 + 500, 5300 + 3000 + 0, 8700 + 3000 + 0]);
    });

    it("does not wait for the gap when the previous send is long enough ago", async () => {
      const clock = steppedClock();
      const limiter = new RateLimiter({ perSecond: 0, perChatIntervalMs: 0, gapAfterSendMs: 3000 }, { now: clock.now, sleep: clock.sleep });
      await limiter.run("a", async () => {});
      clock.advance(10_000);
      await limiter.run("b", async () => {});
      expect(clock.sleeps).toEqual([]);
    });

    it("never runs two sends at once and keeps call order, even when one fails", async () => {
      const clock = steppedClock();
      const limiter = new RateLimiter({ perSecond: 0, perChatIntervalMs: 0, gapAfterSendMs: 0 }, { now: clock.now, sleep: clock.sleep });
      let running = 0;
      let most = 0;
      const order: number[] = [];
      const task = (n: number, fail = false) =>
        limiter.run(`chat-${n}`, async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(n);
          running -= 1;
          if (fail) throw new Error(`send ${n} failed`);
          return n;
        });
      const results = await Promise.allSettled([task(1), task(2, true), task(3)]);
      expect(most).toBe(1);
      expect(order).toEqual([1, 2, 3]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    });
  });
});
