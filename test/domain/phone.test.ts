import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/domain/patients/phone.ts";
import { isReferralCode, newReferralCode } from "../../src/domain/referrals/code.ts";

describe("normalizePhone", () => {
  it.each(["8 (999) 123-45-67", "+7 999 1234567", "9991234567", "+7-999-123-45-67"])("reads %s as +79991234567", (input) => {
    expect(normalizePhone(input)).toBe("+79991234567");
  });
  it("keeps foreign numbers and refuses nonsense", () => {
    expect(normalizePhone("+44 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhone("123")).toBeNull();
    expect(normalizePhone("позвоните мне")).toBeNull();
  });
});

describe("referral codes", () => {
  it("are six readable characters", () => {
    for (let i = 0; i < 100; i++) {
      const code = newReferralCode();
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      expect(code).not.toMatch(/[01OIL]/);
      expect(isReferralCode(code.toLowerCase())).toBe(true);
    }
    expect(isReferralCode("HELLO0")).toBe(false);
  });
});
