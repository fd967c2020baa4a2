// The command line's language: `--lang ru|en`, else CAREBOT_LANG, else the terminal's locale
// (LC_ALL, LC_MESSAGES, LANG: ru_RU.UTF-8 → Russian, en_GB.UTF-8 → English), else Russian,
// CareBot's own default (a server's C or POSIX locale says nothing about its clinic's staff).
import { DEFAULT_LANG, isLang, langOfLocale } from "../i18n/lang.ts";
import type { Lang } from "../i18n/lang.ts";

/** The value of `--lang` among the arguments (`--lang en`, `--lang=en`), if given. */
function langArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return undefined;
    if (arg === "--lang") return argv[i + 1];
    if (arg.startsWith("--lang=")) return arg.slice("--lang=".length);
  }
  return undefined;
}

/**
 * Which language the command speaks. A `--lang` or CAREBOT_LANG naming neither language is left
 * for the caller to refuse (undefined `chosen` and `bad` set), so the mistake is named, not ignored.
 */
export function cliLang(argv: readonly string[], env: NodeJS.ProcessEnv): { lang: Lang; bad?: { source: string; value: string } } {
  const argument = langArgument(argv);
  if (argument !== undefined) return isLang(argument) ? { lang: argument } : { lang: fallback(env), bad: { source: "--lang", value: argument } };
  const configured = env.CAREBOT_LANG?.trim();
  if (configured) return isLang(configured) ? { lang: configured } : { lang: fallback(env), bad: { source: "CAREBOT_LANG", value: configured } };
  return { lang: fallback(env) };
}

function fallback(env: NodeJS.ProcessEnv): Lang {
  return langOfLocale(env.LC_ALL) ?? langOfLocale(env.LC_MESSAGES) ?? langOfLocale(env.LANG) ?? DEFAULT_LANG;
}
