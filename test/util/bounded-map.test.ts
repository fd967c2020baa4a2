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
});
