import { describe, expect, it } from "vitest";
import { createThrottle } from "../../../src/channels/whatsapp/throttle.ts";

/** A clock that moves only when the throttle sleeps: no real waiting. */
function virtualClock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe("createThrottle", () => {
  it("spaces sends by the minimum interval plus jitter, measured from the end of the previous one", async () => {
    const clock = virtualClock();
    const randoms = [0.5, 0.25, 0];
    const throttle = createThrottle({ minIntervalMs: 3000, maxJitterMs: 2000, now: clock.now, sleep: clock.sleep, random: () => randoms.shift() ?? 0 });
    const startedAt: number[] = [];
    const send = () => throttle.run(async () => {
      startedAt.push(clock.now());
      clock.advance(400); // the send itself takes 0.4 s
    });
    await Promise.all([send(), send(), send(), send()]);
    // First at once; then 3 s + jitter after each previous send ended.
    expect(startedAt.map((t) => t - 1_000_000)).toEqual([0, 400 + 3000 + 1000, 4800 + 3000 + 500, 8700 + 3000 + 0]);
    expect(clock.sleeps).toEqual([4000, 3500, 3000]);
  });

  it("does not wait when the previous send is long enough ago", async () => {
    const clock = virtualClock();
    const throttle = createThrottle({ now: clock.now, sleep: clock.sleep, random: () => 0.99 });
    await throttle.run(async () => {});
    clock.advance(10_000);
    await throttle.run(async () => {});
    expect(clock.sleeps).toEqual([]);
  });

  it("never runs two tasks at once and keeps call order, even when one fails", async () => {
    const clock = virtualClock();
    const throttle = createThrottle({ minIntervalMs: 0, maxJitterMs: 0, now: clock.now, sleep: clock.sleep });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number, fail = false) => throttle.run(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(n);
      running -= 1;
      if (fail) throw new Error(`task ${n} failed`);
      return n;
    });
    const results = await Promise.allSettled([task(1), task(2, true), task(3)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(order).toEqual([1, 2, 3]);
    expect(most).toBe(1);
  });

  it("uses 3 s and up to 2 s of jitter by default", async () => {
    const clock = virtualClock();
    const throttle = createThrottle({ now: clock.now, sleep: clock.sleep, random: () => 0.999 });
    await throttle.run(async () => {});
    await throttle.run(async () => {});
    expect(clock.sleeps).toEqual([3000 + 1998]);
    expect(() => createThrottle({ minIntervalMs: -1 })).toThrow(/≥ 0/);
  });
});
