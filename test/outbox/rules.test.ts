import { describe, expect, it } from "vitest";
import { capUntil, quietUntil } from "../../src/outbox/rules.ts";

const quiet = { start: "21:00", end: "09:00" };

describe("quiet hours", () => {
  it.each([
    ["2026-11-23T17:59:00Z", null], // 20:59 in Moscow
    ["2026-11-23T18:00:00Z", "2026-11-24T06:00:00.000Z"], // 21:00 → 09:00 next morning
    ["2026-11-23T21:30:00Z", "2026-11-24T06:00:00.000Z"], // 00:30 → the same morning
    ["2026-11-24T05:59:00Z", "2026-11-24T06:00:00.000Z"],
    ["2026-11-24T06:00:00Z", null],
  ])("at %s in Moscow, marketing waits until %s", (at, until) => {
    expect(quietUntil(new Date(at), "Europe/Moscow", quiet)?.toISOString() ?? null).toBe(until);
  });
  it("works for a window that does not cross midnight, and none", () => {
    expect(quietUntil(new Date("2026-11-23T11:00:00Z"), "UTC", { start: "10:00", end: "12:00" })?.toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(quietUntil(new Date("2026-11-23T11:00:00Z"), "UTC", { start: "10:00", end: "10:00" })).toBeNull();
  });
});

describe("frequency cap", () => {
  it("lets one marketing message through every few days", () => {
    const now = new Date("2026-11-24T09:00:00Z");
    expect(capUntil(now, null, 3)).toBeNull();
    expect(capUntil(now, new Date("2026-11-22T09:00:00Z"), 3)?.toISOString()).toBe("2026-11-25T09:00:00.000Z");
    expect(capUntil(now, new Date("2026-11-20T09:00:00Z"), 3)).toBeNull();
    expect(capUntil(now, new Date("2026-11-24T08:00:00Z"), 0)).toBeNull();
  });
});
