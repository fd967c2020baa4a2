import { describe, expect, it } from "vitest";
import { clip } from "../../src/util/clip.ts";

describe("clip", () => {
  it("keeps a short text whole and cuts a long one to the limit", () => {
    expect(clip("болит зуб", 20)).toBe("болит зуб");
    expect(clip("болит зуб", 5)).toBe("болит");
  });

  it("never leaves half an emoji, so the text stays valid JSON for PostgreSQL", () => {
    const text = `${"а".repeat(199)}😷 и ещё`;
    const cut = clip(text, 200);
    expect(cut).toBe("а".repeat(199));
    expect(JSON.stringify(cut)).not.toMatch(/\\ud83d/i);
    expect(clip(`${"а".repeat(198)}😷`, 200)).toBe(`${"а".repeat(198)}😷`);
  });
});
