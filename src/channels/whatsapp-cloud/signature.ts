// Meta signs every webhook POST: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256 of the raw body
// with the app secret. Checked on the bytes as they arrived (a re-serialized body would differ).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";

export function signatureOf(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** True only for the exact signature of these bytes (compared in constant time). */
export function isSignedBy(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signatureOf(appSecret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
