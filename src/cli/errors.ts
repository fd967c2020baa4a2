import { ConfigError } from "../config.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";

/** Exit codes: 1 = the command failed, 2 = it was called or configured wrongly. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const TEXT: Dictionary<"configuration" | "portInUse" | "noDatabase"> = {
  ru: {
    configuration: "настройка окружения",
    portInUse: "порт уже занят ({reason}); укажите свободный в PORT",
    noDatabase: "нет связи с базой данных ({reason}); запущен ли PostgreSQL и верен ли DATABASE_URL?",
  },
  en: {
    configuration: "configuration",
    portInUse: "the port is already in use ({reason}); set PORT to a free one",
    noDatabase: "cannot reach the database ({reason}); is PostgreSQL running and DATABASE_URL right?",
  },
};

/** Prints one line a person can act on and ends the process; stack traces only with DEBUG=1. */
export function failAndExit(error: unknown, lang: Lang = "en"): never {
  const t = textsOf(TEXT, lang);
  if (error instanceof ConfigError) {
    process.stderr.write(`carebot: ${t.configuration}: ${error.message}\n`);
    process.exit(EXIT_USAGE);
  }
  const err = error as NodeJS.ErrnoException;
  const line =
    err?.code === "EADDRINUSE"
      ? fill(t.portInUse, { reason: err.message })
      : err?.code === "ECONNREFUSED"
        ? fill(t.noDatabase, { reason: err.message })
        : (err?.message ?? String(error));
  process.stderr.write(`carebot: ${line}\n`);
  if (process.env.DEBUG === "1" && err?.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(EXIT_FAILURE);
}
