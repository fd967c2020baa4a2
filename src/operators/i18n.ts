// The console speaks Russian by default and English on request. The choice lives in a cookie
// (set by GET /console/lang?to=en) so every page and script of the session agrees on it.
import type { FastifyRequest } from "fastify";
import { readCookie } from "./auth/tokens.ts";

export const CONSOLE_LANGS = ["ru", "en"] as const;
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];
export const LANG_COOKIE = "carebot_lang";

export function isConsoleLang(value: unknown): value is ConsoleLang {
  return typeof value === "string" && (CONSOLE_LANGS as readonly string[]).includes(value);
}

/** The language of this request's pages: the cookie if it names one we have, else Russian. */
export function consoleLang(request: FastifyRequest): ConsoleLang {
  const chosen = readCookie(request.headers.cookie, LANG_COOKIE);
  return isConsoleLang(chosen) ? chosen : "ru";
}

/** A page's texts in both languages; the type makes a text missing in one of them a compile error. */
export type Dictionary<K extends string> = Record<ConsoleLang, Record<K, string>>;
