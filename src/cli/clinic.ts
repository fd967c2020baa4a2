// `carebot clinic export [--out file]` and `carebot clinic import <file> [--dry-run]`: the clinic's
// settings as one JSON file, for editing in a text editor, keeping in git or moving between
// installations. Import checks the whole file and saves all of it or nothing.
import { readFileSync, writeFileSync } from "node:fs";
import type { Writable } from "node:stream";
import type { Config } from "../config.ts";
import { resolveClinic } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { parseJson } from "../flows/loader/parse-json.ts";
import { loadSettings, saveSettings } from "../operators/settings/store.ts";
import type { Clock } from "../util/clock.ts";
import { systemClock } from "../util/clock.ts";
import { EXIT_FAILURE } from "./errors.ts";

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
export function exportClinicCommand(config: Config, options: { out?: string }, io: ClinicIo = defaultIo()): Promise<number> {
  return withClinic(config, async (db, clinic) => {
    const stored = await loadSettings(db, clinic.id);
    const text = `${JSON.stringify(stored.settings, null, 2)}\n`;
    // A stored document that no longer validates is still exported, so it can be fixed and imported.
    for (const problem of stored.problems) io.stderr.write(`warning: the saved settings: ${problem.path || "settings"}: ${problem.message}\n`);
    if (options.out) {
      writeFileSync(options.out, text);
      io.stderr.write(`Wrote the settings of ${clinic.name} to ${options.out}.\n`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  });
}

/** Checks the file and saves it as the clinic's settings; every problem as `file: path: what`, exit 1. */
export async function importClinicCommand(config: Config, file: string, options: { dryRun?: boolean }, io: ClinicIo = defaultIo()): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    io.stderr.write(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return EXIT_FAILURE;
  }
  const json = parseJson(text);
  if (!json.ok) {
    io.stderr.write(`${file}: ${json.message}\n`);
    return EXIT_FAILURE;
  }
  const dryRun = options.dryRun === true;
  return withClinic(config, async (db, clinic) => {
    const result = await saveSettings(db, { clinicId: clinic.id, version: null, document: json.value, by: { operatorId: null, via: "cli" }, now: io.clock.now(), dryRun });
    if (result.status === "invalid") {
      for (const problem of result.problems) io.stderr.write(`${file}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}\n`);
      io.stderr.write(`${result.problems.length} problem(s); the settings were not changed.\n`);
      return EXIT_FAILURE;
    }
    // Another save (the console) landed between this import's read and its write.
    if (result.status === "stale") {
      io.stderr.write("the settings changed while importing; nothing was saved — run the import again\n");
      return EXIT_FAILURE;
    }
    const sections = result.sections.join(", ");
    if (result.sections.length === 0) io.stdout.write(`${file} matches the saved settings of ${clinic.name}; nothing to change.\n`);
    else if (dryRun) io.stdout.write(`${file} is valid. It would change: ${sections}. Dry run: nothing was saved.\n`);
    else io.stdout.write(`Saved the settings of ${clinic.name} from ${file}. Changed: ${sections}.\n`);
    return 0;
  });
}
