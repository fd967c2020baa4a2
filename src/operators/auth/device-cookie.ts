// A browser an account has logged in from carries a signed "device cookie" naming that account.
// Its attempts are counted on their own, so a stranger's wrong guesses at the same account or from
// the same address (every member of staff behind one proxy) never lock that person out
// (OWASP's "device cookies" against lockout). The key is made at start: after a restart, or on
// another instance, an old cookie simply counts as an unknown browser again.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DEVICE_COOKIE = "carebot_device";
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

export class DeviceCookies {
  readonly #key = randomBytes(32);

  /** A fresh cookie value for a browser that just logged in to `login`. */
  issue(login: string): string {
    const payload = `${Buffer.from(login.toLowerCase()).toString("base64url")}.${randomBytes(9).toString("base64url")}`;
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The cookie's own id (its signature) when it was issued here to `login`, else null. */
  verify(value: string | null, login: string): string | null {
    if (!value) return null;
    const parts = value.split(".");
    if (parts.length !== 3) return null;
    const [who = "", nonce = "", signature = ""] = parts;
    const expected = Buffer.from(this.#sign(`${who}.${nonce}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return Buffer.from(who, "base64url").toString() === login.toLowerCase() ? signature : null;
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#key).update(payload).digest("base64url");
  }
}

export function deviceCookie(value: string, secure: boolean): string {
  // Only the login form reads it.
  return [`${DEVICE_COOKIE}=${value}`, "Path=/console/login", "HttpOnly", "SameSite=Strict", `Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}`, ...(secure ? ["Secure"] : [])].join("; ");
}
