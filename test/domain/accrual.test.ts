import { describe, expect, it } from "vitest";
import { accrualPoints } from "../../src/domain/bonus/accrual.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";

const rules = parseClinicSettings({ bonus: { categoryPercent: { dentistry: 7.5 } } }).bonus;

describe("accrualPoints", () => {
  it("accrues 5% of the paid amount by default, rounded down to whole points", () => {
    expect(accrualPoints(250_000, "therapy", rules)).toBe(125); // 2 500 ₽ → 125 points
    expect(accrualPoints(1_999, null, rules)).toBe(0); // 19.99 ₽ → 0.99 → 0
  });
  it("uses a category's own percentage and excludes diagnostics", () => {
    expect(accrualPoints(1_000_000, "dentistry", rules)).toBe(750);
    expect(accrualPoints(320_000, "diagnostics", rules)).toBe(0);
  });
  it("gives nothing for a free or refunded amount", () => {
    expect(accrualPoints(0, "therapy", rules)).toBe(0);
    expect(accrualPoints(-5000, "therapy", rules)).toBe(0);
  });
});
