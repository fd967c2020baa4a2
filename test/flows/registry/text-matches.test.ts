import { describe, expect, it } from "vitest";
import { builtInGuards } from "../../../src/flows/registry/guards/index.ts";

const textMatches = builtInGuards.textMatches!;
const check = (params: unknown, text: string) =>
  textMatches.check({ context: {}, event: { type: "TEXT", text }, facts: {} as never }, textMatches.params.parse(params));

describe("textMatches guard", () => {
  it("finds a word in the normalized text, or matches the pattern, each params object answering the same every time", () => {
    const params = textMatches.params.parse({ words: ["Ёлка!"], pattern: "^\\d{3}$" });
    const input = (text: string) => ({ context: {}, event: { type: "TEXT" as const, text }, facts: {} as never });
    for (let i = 0; i < 2; i++) {
      expect(textMatches.check(input("Купили ЕЛКУ вчера"), params)).toBe(false);
      expect(textMatches.check(input("вот елка"), params)).toBe(true);
      expect(textMatches.check(input("123"), params)).toBe(true);
      expect(textMatches.check(input("1234"), params)).toBe(false);
    }
    expect(check({ pattern: "привет" }, "ПРИВЕТ всем")).toBe(true);
    expect(check({ words: ["да"] }, "нет")).toBe(false);
    expect(textMatches.check({ context: {}, event: { type: "NUMBER", value: 1 }, facts: {} as never }, params)).toBe(false);
  });
});
