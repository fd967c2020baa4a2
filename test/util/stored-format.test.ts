import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FormatVersionError, StoredFormat, versionIssueOf } from "../../src/util/versioned/stored-format.ts";

// A format that went through two changes: `name` was split into `first`/`last`, then `tags`
// became required.
const format = new StoredFormat({
  name: "card",
  field: "formatVersion",
  schema: z.object({ formatVersion: z.literal(3), first: z.string(), last: z.string(), tags: z.array(z.string()) }).strict(),
  steps: [
    ({ name, ...doc }) => {
      const [first = "", last = ""] = String(name ?? "").split(" ");
      return { ...doc, first, last };
    },
    (doc) => ({ ...doc, tags: doc.tags ?? [] }),
  ],
});

describe("a stored format", () => {
  it("reads a document without a version as the first version and runs every step in order", () => {
    expect(format.current).toBe(3);
    expect(format.read({ name: "Анна Петрова" })).toEqual({ formatVersion: 3, first: "Анна", last: "Петрова", tags: [] });
  });

  it("starts the chain at the version a document declares", () => {
    expect(format.read({ formatVersion: 2, first: "Анна", last: "Петрова" })).toEqual({ formatVersion: 3, first: "Анна", last: "Петрова", tags: [] });
    expect(format.read({ formatVersion: 3, first: "Анна", last: "Петрова", tags: ["vip"] })).toEqual({ formatVersion: 3, first: "Анна", last: "Петрова", tags: ["vip"] });
  });

  it("does not change the document it was given", () => {
    const stored = { name: "Анна Петрова" };
    format.upgrade(stored);
    expect(stored).toEqual({ name: "Анна Петрова" });
  });

  it("refuses a document written by a newer version, saying so", () => {
    expect(() => format.read({ formatVersion: 4, first: "Анна" })).toThrow(FormatVersionError);
    expect(() => format.read({ formatVersion: 4, first: "Анна" })).toThrow("this card is version 4, newer than this CareBot reads (3); update CareBot before reading it");
  });

  it("refuses a version field that is not a version", () => {
    for (const bad of [0, 1.5, "2", null]) {
      expect(() => format.upgrade({ formatVersion: bad })).toThrow(`the card's formatVersion must be a whole number from 1 to 3, not ${JSON.stringify(bad)}`);
    }
  });

  it("validates the upgraded document with today's schema", () => {
    const read = format.safeRead({ formatVersion: 3, first: "Анна" });
    expect(read.success).toBe(false);
    if (!read.success) expect(read.error.issues.map((i) => i.path.join("."))).toEqual(["last", "tags"]);
    // Anything but an object is left to the schema, which names what it expected.
    expect(format.safeRead("Анна").success).toBe(false);
  });

  it("reports a version it cannot read as an issue at the version field, for the caller to word", () => {
    const read = format.safeRead({ formatVersion: 7 });
    expect(read.success).toBe(false);
    if (read.success) return;
    const [issue] = read.error.issues;
    expect(issue!.path).toEqual(["formatVersion"]);
    expect(versionIssueOf(issue!)).toEqual({ found: 7, current: 3, newer: true });
  });
});
