// The console speaks Russian by default and English on request. The choice lives in a cookie
// (set by GET /console/lang?to=en) so every page and script of the session agrees on it.
// Languages and the Dictionary type are CareBot's one i18n mechanism (src/i18n/lang.ts).
import type { FastifyRequest } from "fastify";
import { DEFAULT_LANG, isLang, LANGS } from "../i18n/lang.ts";
import type { Lang } from "../i18n/lang.ts";
import { readCookie } from "./auth/tokens.ts";

export type { Dictionary } from "../i18n/lang.ts";
export const CONSOLE_LANGS = LANGS;
export type ConsoleLang = Lang;
export const LANG_COOKIE = "carebot_lang";

export const isConsoleLang = isLang;

/** The language of this request's pages: the cookie if it names one we have, else Russian. */
export function consoleLang(request: FastifyRequest): ConsoleLang {
  const chosen = readCookie(request.headers.cookie, LANG_COOKIE);
  return isLang(chosen) ? chosen : DEFAULT_LANG;
}
