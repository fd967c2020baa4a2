// `carebot clinic export [--out file]` and `carebot clinic import <file> [--dry-run]`: the clinic's
// settings as one JSON file, for editing in a text editor, keeping in git or moving between
// installations. Import checks the whole file and saves all of it or nothing.
import { readFileSync, writeFileSync } from "node:fs";
import type { Writable } from "node:stream";
import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { parseJson } from "../flows/loader/parse-json.ts";
import { loadSettings, saveSettings } from "../operators/settings/store.ts";
import type { Clock } from "../util/clock.ts";
import { systemClock } from "../util/clock.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { plural } from "../i18n/plural.ts";
import { EXIT_FAILURE } from "./errors.ts";

const TEXT: Dictionary<"storedProblem" | "document" | "wrote" | "cannotRead" | "problems" | "stale" | "unchanged" | "dryRun" | "saved"> = {
  ru: {
    storedProblem: "внимание: в сохранённых настройках: {path}: {message}",
    document: "настройки",
    wrote: "Настройки клиники «{clinic}» записаны в {file}.",
    cannotRead: "{file}: не удалось прочитать ({reason})",
    problems: "{problems}; настройки не изменены.",
    stale: "пока шёл импорт, настройки изменились; ничего не сохранено — запустите импорт ещё раз",
    unchanged: "{file} совпадает с сохранёнными настройками клиники «{clinic}»; менять нечего.",
    dryRun: "{file} в порядке. Он изменит: {sections}. Пробный запуск: ничего не сохранено.",
    saved: "Настройки клиники «{clinic}» сохранены из {file}. Изменено: {sections}.",
  },
  en: {
    storedProblem: "warning: the saved settings: {path}: {message}",
    document: "settings",
    wrote: "Wrote the settings of {clinic} to {file}.",
    cannotRead: "{file}: cannot read it ({reason})",
    problems: "{problems}; the settings were not changed.",
    stale: "the settings changed while importing; nothing was saved — run the import again",
    unchanged: "{file} matches the saved settings of {clinic}; nothing to change.",
    dryRun: "{file} is valid. It would change: {sections}. Dry run: nothing was saved.",
    saved: "Saved the settings of {clinic} from {file}. Changed: {sections}.",
  },
};

const countProblems = (n: number, lang: Lang) => (lang === "ru" ? `${n} ${plural(n, ["ошибка", "ошибки", "ошибок"])}` : `${n} problem(s)`);

export interface ClinicIo {
  stdout: Writable;
  stderr: Writable;
  clock: Clock;
}

const defaultIo = (): ClinicIo => ({ stdout: process.stdout, stderr: process.stderr, clock: systemClock });

async function withClinic(config: Config, fn: (db: Database, clinic: { id: number; name: string }) => Promise<number>): Promise<number> {
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    return await fn(db, await resolveClinic(db, config.clinicSlug));
  } finally {
    await db.close();
  }
}

/** Prints (or writes to --out) the settings, pretty, with every default filled in. */
export function exportClinicCommand(config: Config, options: { out?: string; lang?: Lang }, io: ClinicIo = defaultIo()): Promise<number> {
  const lang = options.lang ?? "en";
  const t = textsOf(TEXT, lang);
  return withClinic(config, async (db, clinic) => {
    const stored = await loadSettings(db, clinic.id, lang);
    const text = `${JSON.stringify(stored.settings, null, 2)}\n`;
    // A stored document that no longer validates is still exported, so it can be fixed and imported.
    for (const problem of stored.problems) io.stderr.write(`${fill(t.storedProblem, { path: problem.path || t.document, message: problem.message })}\n`);
    if (options.out) {
      writeFileSync(options.out, text);
      io.stderr.write(`${fill(t.wrote, { clinic: clinic.name, file: options.out })}\n`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  });
}

/** Checks the file and saves it as the clinic's settings; every problem as `file: path: what`, exit 1. */
export async function importClinicCommand(config: Config, file: string, options: { dryRun?: boolean; lang?: Lang }, io: ClinicIo = defaultIo()): Promise<number> {
  const lang = options.lang ?? "en";
  const t = textsOf(TEXT, lang);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    io.stderr.write(`${fill(t.cannotRead, { file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message })}\n`);
    return EXIT_FAILURE;
  }
  const json = parseJson(text, lang);
  if (!json.ok) {
    io.stderr.write(`${file}: ${json.message}\n`);
    return EXIT_FAILURE;
  }
  const dryRun = options.dryRun === true;
  return withClinic(config, async (db, clinic) => {
    const result = await saveSettings(db, { clinicId: clinic.id, version: null, document: json.value, by: { operatorId: null, via: "cli" }, now: io.clock.now(), dryRun, lang });
    if (result.status === "invalid") {
      for (const problem of result.problems) io.stderr.write(`${file}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}\n`);
      io.stderr.write(`${fill(t.problems, { problems: countProblems(result.problems.length, lang) })}\n`);
      return EXIT_FAILURE;
    }
    // Another save (the console) landed between this import's read and its write.
    if (result.status === "stale") {
      io.stderr.write(`${t.stale}\n`);
      return EXIT_FAILURE;
    }
    const sections = result.sections.join(", ");
    const values = { file, clinic: clinic.name, sections };
    io.stdout.write(`${fill(result.sections.length === 0 ? t.unchanged : dryRun ? t.dryRun : t.saved, values)}\n`);
    return 0;
  });
}
