import { ConfigError } from "../config.ts";
import { ClinicNotResolved } from "../domain/clinic/not-resolved.ts";
import { formatProblem } from "../flows/loader/problems.ts";
import type { Problem } from "../flows/loader/problems.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import type { CliIo } from "./io.ts";

/** Exit codes: 1 = the command failed, 2 = it was called or configured wrongly. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const TEXT: Dictionary<"flowProblems" | "configuration" | "portInUse" | "noDatabase" | "unknownClinic" | "noClinic" | "severalClinics"> = {
  ru: {
    flowProblems: "в сценариях и текстах есть ошибки ({count}); их перечисляет и `carebot flows validate`:\n{problems}",
    unknownClinic: "в базе данных нет клиники «{slug}» ({source})",
    noClinic: "в базе данных ещё нет клиники: выполните `carebot seed --demo` или запустите с SEED_DEMO=1",
    severalClinics: "в базе данных несколько клиник: укажите в CLINIC_SLUG ту, которую обслуживает этот CareBot",
    configuration: "настройка окружения",
    portInUse: "порт уже занят ({reason}); укажите свободный в PORT",
    noDatabase: "нет связи с базой данных ({reason}); запущен ли PostgreSQL и верен ли DATABASE_URL?",
  },
  en: {
    flowProblems: "flows and templates have {count} problem(s):\n{problems}",
    unknownClinic: 'no clinic "{slug}" in the database ({source})',
    noClinic: "the database has no clinic yet: run `carebot seed --demo` or start with SEED_DEMO=1",
    severalClinics: "the database has several clinics: set CLINIC_SLUG to the one this CareBot serves",
    configuration: "configuration",
    portInUse: "the port is already in use ({reason}); set PORT to a free one",
    noDatabase: "cannot reach the database ({reason}); is PostgreSQL running and DATABASE_URL right?",
  },
};

/**
 * The flows' FlowLoadError (src/flows/service.ts), told by its name: importing the class would load
 * the flow loader into every start of the command line, `--help` included.
 */
function isFlowLoadError(error: unknown): error is { problems: Problem[] } {
  return (error as { name?: unknown })?.name === "FlowLoadError" && Array.isArray((error as { problems?: unknown }).problems);
}

/** Why the clinic is not known, in the command's language; `source` names where the slug came from (CLINIC_SLUG, --clinic). */
export function clinicProblem(error: ClinicNotResolved, lang: Lang, source = "CLINIC_SLUG"): string {
  const t = textsOf(TEXT, lang);
  if (error.why === "unknown-slug") return fill(t.unknownClinic, { slug: error.slug ?? "", source });
  return error.why === "none" ? t.noClinic : t.severalClinics;
}

/** Prints one line a person can act on and returns the exit code; stack traces only with DEBUG=1. */
export function reportFailure(error: unknown, lang: Lang, io: Pick<CliIo, "stderr" | "env">): number {
  const t = textsOf(TEXT, lang);
  if (error instanceof ConfigError) {
    io.stderr.write(`carebot: ${t.configuration}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const err = error as NodeJS.ErrnoException;
  const line =
    err?.code === "EADDRINUSE"
      ? fill(t.portInUse, { reason: err.message })
      : err?.code === "ECONNREFUSED"
        ? fill(t.noDatabase, { reason: err.message })
        : error instanceof ClinicNotResolved
          ? clinicProblem(error, lang)
          : isFlowLoadError(error)
            ? fill(t.flowProblems, { count: error.problems.length, problems: error.problems.map(formatProblem).join("\n") })
            : (err?.message ?? String(error));
  io.stderr.write(`carebot: ${line}\n`);
  if (io.env.DEBUG === "1" && err?.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT_FAILURE;
}
