import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/util/bounded-map.ts";

describe("BoundedMap", () => {
  it("forgets the least recently written or touched entry once past its limit", () => {
    const m = new BoundedMap<string, number>(3);
    m.set("a", 1).set("b", 2).set("c", 3);
    m.set("a", 10); // rewritten: now the newest
    expect(m.touch("b")).toBe(2); // used: newer than c
    m.set("d", 4);
    expect([...m.keys()]).toEqual(["a", "b", "d"]);
    expect(m.get("a")).toBe(10);
    expect(m.touch("c")).toBeUndefined();
    expect(m.size).toBe(3);
  });

  it("keeps the order right when the entry touched is the newest, or was deleted, cleared or evicted", () => {
    const m = new BoundedMap<string, number | undefined>(2);
    m.set("a", 1).set("b", 2);
    expect(m.touch("b")).toBe(2); // already the newest: stays last
    expect(m.touch("b")).toBe(2);
    m.set("c", 3); // a goes
    expect([...m.keys()]).toEqual(["b", "c"]);
    m.delete("c");
    m.set("x", undefined);
    expect(m.touch("x")).toBeUndefined();
    expect(m.has("x")).toBe(true);
    expect(m.touch("b")).toBe(2); // b is the newest again, x the oldest
    m.set("d", 4);
    expect([...m.keys()]).toEqual(["b", "d"]);
    m.clear();
    expect(m.touch("d")).toBeUndefined();
    m.set("e", 5).set("f", 6).set("g", 7); // e evicted
    expect(m.touch("e")).toBeUndefined();
    expect([...m.keys()]).toEqual(["f", "g"]);
  });
});
