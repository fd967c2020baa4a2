import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "../../src/operators/password.ts";

describe("operator passwords", () => {
  it("are stored as salted scrypt hashes and verified", async () => {
    const hash = await hashPassword("верный-пароль");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain("верный");
    expect(await verifyPassword("верный-пароль", hash)).toBe(true);
    expect(await verifyPassword("неверный", hash)).toBe(false);
    expect(await hashPassword("верный-пароль")).not.toBe(hash);
  });
  it("refuses a malformed stored hash instead of throwing", async () => {
    expect(await verifyPassword("x", "plain-text")).toBe(false);
  });
  it("generates typeable passwords", () => {
    expect(generatePassword()).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  });
});
