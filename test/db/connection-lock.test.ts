import { describe, expect, it } from "vitest";
import { ConnectionLock } from "../../src/db/connection-lock.ts";

// The lock every statement on SQLite's one connection takes (src/db/sqlite-connection-guard.ts).
describe("ConnectionLock", () => {
  it("runs synchronous work at once when free, and is free again afterwards", async () => {
    const lock = new ConnectionLock();
    let ran = false;
    const done = lock.run(() => {
      ran = true;
      return 7;
    });
    expect(ran).toBe(true);
    expect(lock.held).toBe(false);
    expect(await done).toBe(7);
  });

  it("makes everyone wait while it is held, then serves them in the order they came", async () => {
    const lock = new ConnectionLock();
    const order: string[] = [];
    await lock.acquire(); // a transaction holds the connection
    const a = lock.run(() => order.push("a"));
    const b = lock.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push("b");
    });
    const c = lock.acquire().then(() => {
      order.push("c");
      lock.release();
    });
    const d = lock.run(() => order.push("d"));
    expect(order).toEqual([]);
    order.push("transaction ends");
    lock.release();
    await Promise.all([a, b, c, d]);
    expect(order).toEqual(["transaction ends", "a", "b", "c", "d"]);
    expect(lock.held).toBe(false);
  });

  it("gives the lock back when the work throws or rejects", async () => {
    const lock = new ConnectionLock();
    await expect(
      lock.run(() => {
        throw new Error("SQLITE_CONSTRAINT");
      }),
    ).rejects.toThrow("SQLITE_CONSTRAINT");
    expect(lock.held).toBe(false);
    await expect(lock.run(() => Promise.reject(new Error("SQLITE_BUSY")))).rejects.toThrow("SQLITE_BUSY");
    expect(lock.held).toBe(false);
    expect(await lock.run(() => "next")).toBe("next");
  });
});
