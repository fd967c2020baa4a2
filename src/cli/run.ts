// carebot's command line as a function: argv and a CliIo in, the exit code out. Each command lives in
// src/cli/<name>.ts; this file only wires them. src/cli.ts runs it on the process; the tests run it
// in their own (test/support/cli.ts), so nothing here may outlive a run: the program is built anew
// each time, and every command closes what it opens.
import path from "node:path";
import { Argument, Command, CommanderError, Option } from "commander";
import { loadConfig } from "../config.ts";
import { LANGS, textsOf } from "../i18n/lang.ts";
import { JOB_KINDS } from "../scheduler/kinds.ts";
import { systemClock } from "../util/clock.ts";
import { EXIT_USAGE, reportFailure } from "./errors.ts";
import { commanderErrorIn, HELP_TEXT } from "./help-text.ts";
import type { CliIo } from "./io.ts";
import { cliLang } from "./lang.ts";

// A command's module is loaded when it runs, after the configuration is read (a bad one is refused
// at once): `--help` or `flows validate` need not load the database clients, the bots and the
// HTTP server, which each start of the command line would otherwise pay for.
const commands = {
  campaigns: () => import("./campaigns.ts"),
  chat: () => import("./chat.ts"),
  clinic: () => import("./clinic.ts"),
  flows: () => import("./flows.ts"),
  import: () => import("./import.ts"),
  importVisits: () => import("./import-visits.ts"),
  jobs: () => import("./jobs.ts"),
  migrate: () => import("./migrate.ts"),
  operators: () => import("./operators.ts"),
  patients: () => import("./patients.ts"),
  seed: () => import("./seed.ts"),
  start: () => import("./start.ts"),
};

/**
 * Runs `carebot <args>` (args without `node` and the script) to its end and returns the exit code:
 * 0, 1 when the command failed, 2 when it was called or configured wrongly. `carebot start` ends
 * when the service stops (SIGINT, SIGTERM).
 */
export async function runCarebot(args: readonly string[], io: CliIo): Promise<number> {
  // The language is known before the commands are declared, so their help is written in it too.
  const chosen = cliLang(args, io.env);
  const lang = chosen.lang;
  if (chosen.bad) {
    const known = LANGS.join(", ");
    io.stderr.write(lang === "ru" ? `carebot: ${chosen.bad.source} «${chosen.bad.value}»: такого языка нет (есть ${known})\n` : `carebot: ${chosen.bad.source} "${chosen.bad.value}": no such language (known: ${known})\n`);
    return EXIT_USAGE;
  }
  const h = textsOf(HELP_TEXT, lang);
  const config = () => loadConfig(io.env);
  const out = { stdout: io.stdout, stderr: io.stderr };
  const clocked = { ...out, clock: systemClock };

  let code = 0;
  /** The action of a command that finishes: its code is the run's. */
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number> | number) =>
    async (...args: A) => {
      code = await fn(...args);
    };

  const program = new Command("carebot")
    .description(h.program)
    .addOption(new Option("--lang <lang>", h.lang).choices(LANGS))
    .helpOption("-h, --help", h.help)
    .helpCommand("help [command]", h.helpCommand)
    .configureHelp({ styleTitle: (title) => (h as Record<string, string>)[title] ?? title })
    // Commander writes to the run's streams, not the process's, and throws where it would exit.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(commanderErrorIn(lang, text)),
      // A terminal's width, else commander's own 80.
      getOutHelpWidth: () => (io.stdout.isTTY ? (io.stdout.columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? (io.stderr.columns ?? 80) : 80),
      getOutHasColors: () => io.stdout.isTTY === true && io.stdout.hasColors?.() === true,
      getErrHasColors: () => io.stderr.isTTY === true && io.stderr.hasColors?.() === true,
    })
    .showHelpAfterError()
    .exitOverride();

  program
    .command("start")
    .description(h.start)
    .action(
      run(async () => {
        const c = config();
        return (await commands.start()).startCommand(c, io);
      }),
    );

  program
    .command("migrate")
    .description(h.migrate)
    .option("--status", h.migrateStatus)
    .action(
      run(async (options: { status?: boolean }) => {
        const c = config();
        return (await commands.migrate()).migrateCommand(c, { ...options, lang }, out);
      }),
    );

  program
    .command("seed")
    .description(h.seed)
    .option("--demo", h.seedDemo)
    .action(
      run(async (options: { demo?: boolean }) => {
        const c = config();
        return (await commands.seed()).seedCommand(c, { ...options, lang }, out);
      }),
    );

  program
    .command("chat")
    .description(h.chat)
    .option("--patient <id>", h.chatPatient)
    .action(
      run(async (options: { patient?: string }) => {
        const c = config();
        return (await commands.chat()).chatCommand(c, options, { input: io.stdin, output: io.stdout, error: io.stderr }, lang);
      }),
    );

  const flows = program.command("flows").description(h.flows);
  const dirsOf = (options: { dir?: string; templates?: string }) => {
    const c = config();
    return {
      flowsDir: options.dir ? path.resolve(options.dir) : c.flowsDir,
      templatesDir: options.templates ? path.resolve(options.templates) : c.templatesDir,
    };
  };
  flows
    .command("validate")
    .description(h.flowsValidate)
    .option("--dir <dir>", h.flowsDir)
    .option("--templates <dir>", h.flowsTemplates)
    .action(run(async (options: { dir?: string; templates?: string }) => (await commands.flows()).validateCommand(dirsOf(options), lang, out)));
  flows
    .command("graph [id]")
    .description(h.flowsGraph)
    .option("--all", h.flowsGraphAll)
    .option("--dir <dir>", h.flowsDirShort)
    .option("--templates <dir>", h.flowsTemplatesShort)
    .action(
      run(async (id: string | undefined, options: { dir?: string; templates?: string; all?: boolean }) => (await commands.flows()).graphCommand(dirsOf(options), id, options.all, lang, out)),
    );
  flows
    .command("schema")
    .description(h.flowsSchema)
    .option("--dir <dir>", h.flowsDirShort)
    .action(run(async (options: { dir?: string }) => (await commands.flows()).schemaCommand(dirsOf(options), out)));

  const importing = program.command("import").description(h.import);
  importing
    .command("patients <file>")
    .description(h.importPatients)
    .action(
      run(async (file: string) => {
        const c = config();
        return (await commands.import()).importPatientsCommand(c, file, out, lang);
      }),
    );
  importing
    .command("visits <file>")
    .description(h.importVisits)
    .action(
      run(async (file: string) => {
        const c = config();
        return (await commands.importVisits()).importVisitsCommand(c, file, out, lang);
      }),
    );

  const jobs = program.command("jobs").description(h.jobs);
  jobs
    .command("run")
    .description(h.jobsRun)
    .addArgument(new Argument("<kind>", h.jobsKind).choices(JOB_KINDS))
    .option("--at <iso>", h.jobsAt)
    .option("--dry-run", h.jobsDryRun)
    .option("--wait", h.wait)
    .option("--no-wait", h.noWait)
    .action(
      run(async (kind: string, options: { at?: string; dryRun?: boolean; wait?: boolean }) => {
        const c = config();
        return (await commands.jobs()).jobsRunCommand(c, kind, options, { output: io.stdout, error: io.stderr }, lang);
      }),
    );

  const campaigns = program.command("campaigns").description(h.campaigns);
  campaigns
    .command("preview <id>")
    .description(h.campaignsPreview)
    .action(
      run(async (id: string) => {
        const c = config();
        return (await commands.campaigns()).previewCampaignCommand(c, id, clocked, lang);
      }),
    );
  campaigns
    .command("run <id>")
    .description(h.campaignsRun)
    .option("--dry-run", h.campaignsDryRun)
    .option("--wait", h.wait)
    .option("--no-wait", h.noWaitSummary)
    .action(
      run(async (id: string, options: { dryRun?: boolean; wait?: boolean }) => {
        const c = config();
        return (await commands.campaigns()).runCampaignCommand(c, id, options, clocked, lang);
      }),
    );

  const clinic = program.command("clinic").description(h.clinic);
  clinic
    .command("export")
    .description(h.clinicExport)
    .option("--out <file>", h.clinicOut)
    .action(
      run(async (options: { out?: string }) => {
        const c = config();
        return (await commands.clinic()).exportClinicCommand(c, { ...options, lang }, clocked);
      }),
    );
  clinic
    .command("import <file>")
    .description(h.clinicImport)
    .option("--dry-run", h.clinicDryRun)
    .action(
      run(async (file: string, options: { dryRun?: boolean }) => {
        const c = config();
        return (await commands.clinic()).importClinicCommand(c, file, { ...options, lang }, clocked);
      }),
    );

  const operators = program.command("operators").description(h.operators);
  operators
    .command("add")
    .description(h.operatorsAdd)
    .requiredOption("--login <login>", h.operatorsLogin)
    .option("--role <role>", h.operatorsRole, "operator")
    .option("--name <name>", h.operatorsName)
    .option("--clinic <slug>", h.operatorsClinic)
    .action(
      run(async (options: { login: string; role: string; name?: string; clinic?: string }) => {
        const c = config();
        return (await commands.operators()).operatorsAddCommand(c, options, io, undefined, lang);
      }),
    );

  const patients = program.command("patients").description(h.patients);
  patients
    .command("export <id>")
    .description(h.patientsExport)
    .action(run(async (id: string) => (await commands.patients()).exportPatientCommand(config(), id, clocked, lang)));
  patients
    .command("erase <id>")
    .description(h.patientsErase)
    .option("--yes", h.patientsYes)
    .action(run(async (id: string, options: { yes?: boolean }) => (await commands.patients()).erasePatientCommand(config(), id, options, clocked, lang)));

  try {
    await program.parseAsync(args, { from: "user" });
    return code;
  } catch (error) {
    // Commander's own exits: help (0) and wrong usage, which it has already explained (2).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    return reportFailure(error, lang, io);
  }
}
