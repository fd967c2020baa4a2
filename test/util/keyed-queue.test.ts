import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../src/util/keyed-queue.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("KeyedQueue: the one per-chat ordering layer", () => {
  it("runs one key's tasks in order, lets other keys through, survives a failure and waits for all in idle()", async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      if (fail) throw new Error(name);
    };
    const a1 = queue.run("a", task("a1", true));
    void queue.run("a", task("a2"));
    void queue.run("b", task("b1"));
    await expect(a1).rejects.toThrow("a1");
    await queue.idle();
    expect(queue.size).toBe(0);
    // a2 waits for a1 (even though it failed); b1 ran beside a1.
    expect(log.indexOf("a2 start")).toBeGreaterThan(log.indexOf("a1 end"));
    expect(log.indexOf("b1 start")).toBeLessThan(log.indexOf("a1 end"));
    expect(log.filter((l) => l.endsWith("end"))).toHaveLength(3);
  });
});
