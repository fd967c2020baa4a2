import { describe, expect, it } from "vitest";
import { CLEAR, defaultReader } from "../../../src/domain/understanding/index.ts";
import type { Reader } from "../../../src/domain/understanding/index.ts";

const read = (text: string, expecting: Parameters<Reader["read"]>[2], language: "ru" | "en" = "ru") => defaultReader().read(text, language, expecting);

describe("understanding a promo code out of the blue", () => {
  it("reads «у меня промокод» and its forms as the wish to use one", () => {
    for (const text of ["У меня промокод", "у меня есть промо-код", "хочу применить промокод", "Можно использовать купон?", "есть код скидки"]) {
      const reading = read(text, "free");
      expect(reading.intent, text).toBe("promo");
      expect(reading.confidence, text).toBeGreaterThanOrEqual(CLEAR);
    }
    expect(read("I have a promo code", "free", "en")).toMatchObject({ intent: "promo" });
  });

  it("leaves a complaint a complaint, and a promo code inside another conversation to it", () => {
    expect(read("болит зуб, у меня промокод", "free").intent).toBe("complaint");
    expect(read("у меня промокод", "nps-comment").intent).not.toBe("promo");
  });
});
