import { describe, expect, it } from "vitest";
import { decodeCallbackData, encodeCallbackData, MAX_CALLBACK_DATA_BYTES } from "../../../src/channels/telegram/callback-data.ts";

describe("callback data", () => {
  it("round-trips strings and numbers, keeping the type", () => {
    for (const value of ["yes", "visit:confirm", "Да, подтверждаю", "a b", "7", 0, 10, -5, 3.5, 1e21]) {
      const data = encodeCallbackData(value);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_CALLBACK_DATA_BYTES);
      expect(decodeCallbackData(data)).toBe(value);
    }
    expect(encodeCallbackData("yes")).toBe("c:yes");
    expect(encodeCallbackData(9)).toBe("n:9");
    expect(decodeCallbackData(encodeCallbackData("7"))).toBe("7"); // a string stays a string
  });

  it("counts bytes, not characters, and names the value that does not fit", () => {
    const fits = "я".repeat(31); // 62 bytes + "c:" = 64
    expect(decodeCallbackData(encodeCallbackData(fits))).toBe(fits);
    const tooLong = "я".repeat(32);
    expect(() => encodeCallbackData(tooLong)).toThrow(new RegExp(`option value "${tooLong}" is too long.*66 bytes.*at most 64`));
    expect(() => encodeCallbackData("x".repeat(63))).toThrow(/too long/);
  });

  it("refuses values no button should carry", () => {
    expect(() => encodeCallbackData("")).toThrow(/empty/);
    expect(() => encodeCallbackData(Number.NaN)).toThrow(/NaN is not a finite number/);
    expect(() => encodeCallbackData(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });

  it("rejects anything encode would not have produced", () => {
    for (const data of ["visit:yes", "c:", "n:", "n:01", "n: 1", "n:1.0", "n:0x1", "n:abc", "n:Infinity", "x:1", "C:yes", "", "c"]) {
      expect(decodeCallbackData(data), data).toBeUndefined();
    }
    for (const data of [undefined, null, 5, { c: "yes" }]) expect(decodeCallbackData(data)).toBeUndefined();
    expect(decodeCallbackData(`c:${"x".repeat(63)}`)).toBeUndefined(); // 65 bytes: Telegram would never deliver it
  });
});
