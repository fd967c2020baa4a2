// carebot: the command line. Each command lives in src/cli/<name>.ts; this file only wires them.
import path from "node:path";
import { Argument, Command, Option } from "commander";
import { loadConfig } from "./config.ts";
import { failAndExit } from "./cli/errors.ts";
import { commanderErrorIn, HELP_TEXT } from "./cli/help-text.ts";
import { cliLang } from "./cli/lang.ts";
import { LANGS, textsOf } from "./i18n/lang.ts";
import { JOB_KINDS } from "./scheduler/kinds.ts";

// A command's module is loaded when it runs, after the configuration is read (a bad one is refused
// at once): `--help` or `flows validate` need not load the database clients, the bots and the
// HTTP server, which each start of the command line would otherwise pay for.
const commands = {
  campaigns: () => import("./cli/campaigns.ts"),
  chat: () => import("./cli/chat.ts"),
  clinic: () => import("./cli/clinic.ts"),
  flows: () => import("./cli/flows.ts"),
  import: () => import("./cli/import.ts"),
  importVisits: () => import("./cli/import-visits.ts"),
  jobs: () => import("./cli/jobs.ts"),
  migrate: () => import("./cli/migrate.ts"),
  operators: () => import("./cli/operators.ts"),
  patients: () => import("./cli/patients.ts"),
  seed: () => import("./cli/seed.ts"),
  start: () => import("./cli/start.ts"),
};

// The language is known before the commands are declared, so their help is written in it too.
const chosen = cliLang(process.argv.slice(2), process.env);
const lang = chosen.lang;
const h = textsOf(HELP_TEXT, lang);

const program = new Command("carebot")
  .description(h.program)
  .addOption(new Option("--lang <lang>", h.lang).choices(LANGS))
  .helpOption("-h, --help", h.help)
  .helpCommand("help [command]", h.helpCommand)
  .configureHelp({ styleTitle: (title) => (h as Record<string, string>)[title] ?? title })
  .configureOutput({ outputError: (text, write) => write(commanderErrorIn(lang, text)) })
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
if (chosen.bad) {
  const known = LANGS.join(", ");
  process.stderr.write(lang === "ru" ? `carebot: ${chosen.bad.source} «${chosen.bad.value}»: такого языка нет (есть ${known})\n` : `carebot: ${chosen.bad.source} "${chosen.bad.value}": no such language (known: ${known})\n`);
  process.exit(2);
}

/** Runs a command that finishes: exits with its code (the wasm schema engine leaves a timer behind). */
const run =
  <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
  async (...args: A) => {
    try {
      process.exit(await fn(...args));
    } catch (error) {
      failAndExit(error, lang);
    }
  };

program
  .command("start")
  .description(h.start)
  .action(async () => {
    try {
      const config = loadConfig();
      await (await commands.start()).startCommand(config);
    } catch (error) {
      failAndExit(error, lang);
    }
  });

program
  .command("migrate")
  .description(h.migrate)
  .option("--status", h.migrateStatus)
  .action(
    run(async (options: { status?: boolean }) => {
      const config = loadConfig();
      return (await commands.migrate()).migrateCommand(config, { ...options, lang });
    }),
  );

program
  .command("seed")
  .description(h.seed)
  .option("--demo", h.seedDemo)
  .action(
    run(async (options: { demo?: boolean }) => {
      const config = loadConfig();
      return (await commands.seed()).seedCommand(config, { ...options, lang });
    }),
  );

program
  .command("chat")
  .description(h.chat)
  .option("--patient <id>", h.chatPatient)
  .action(
    run(async (options: { patient?: string }) => {
      const config = loadConfig();
      return (await commands.chat()).chatCommand(config, options, undefined, lang);
    }),
  );

const flows = program.command("flows").description(h.flows);
const dirsOf = (options: { dir?: string; templates?: string }) => {
  const config = loadConfig();
  return {
    flowsDir: options.dir ? path.resolve(options.dir) : config.flowsDir,
    templatesDir: options.templates ? path.resolve(options.templates) : config.templatesDir,
  };
};
flows
  .command("validate")
  .description(h.flowsValidate)
  .option("--dir <dir>", h.flowsDir)
  .option("--templates <dir>", h.flowsTemplates)
  .action(
    run(async (options: { dir?: string; templates?: string }) => (await commands.flows()).validateCommand(dirsOf(options), lang)),
  );
flows
  .command("graph [id]")
  .description(h.flowsGraph)
  .option("--all", h.flowsGraphAll)
  .option("--dir <dir>", h.flowsDirShort)
  .option("--templates <dir>", h.flowsTemplatesShort)
  .action(
    run(async (id: string | undefined, options: { dir?: string; templates?: string; all?: boolean }) => (await commands.flows()).graphCommand(dirsOf(options), id, options.all, lang)),
  );
flows
  .command("schema")
  .description(h.flowsSchema)
  .option("--dir <dir>", h.flowsDirShort)
  .action(
    run(async (options: { dir?: string }) => (await commands.flows()).schemaCommand(dirsOf(options))),
  );

const importing = program.command("import").description(h.import);
importing
  .command("patients <file>")
  .description(h.importPatients)
  .action(
    run(async (file: string) => {
      const config = loadConfig();
      return (await commands.import()).importPatientsCommand(config, file, undefined, lang);
    }),
  );
importing
  .command("visits <file>")
  .description(h.importVisits)
  .action(
    run(async (file: string) => {
      const config = loadConfig();
      return (await commands.importVisits()).importVisitsCommand(config, file, undefined, lang);
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
      const config = loadConfig();
      return (await commands.jobs()).jobsRunCommand(config, kind, options, undefined, lang);
    }),
  );

const campaigns = program.command("campaigns").description(h.campaigns);
campaigns
  .command("preview <id>")
  .description(h.campaignsPreview)
  .action(
    run(async (id: string) => {
      const config = loadConfig();
      return (await commands.campaigns()).previewCampaignCommand(config, id, undefined, lang);
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
      const config = loadConfig();
      return (await commands.campaigns()).runCampaignCommand(config, id, options, undefined, lang);
    }),
  );

const clinic = program.command("clinic").description(h.clinic);
clinic
  .command("export")
  .description(h.clinicExport)
  .option("--out <file>", h.clinicOut)
  .action(
    run(async (options: { out?: string }) => {
      const config = loadConfig();
      return (await commands.clinic()).exportClinicCommand(config, { ...options, lang });
    }),
  );
clinic
  .command("import <file>")
  .description(h.clinicImport)
  .option("--dry-run", h.clinicDryRun)
  .action(
    run(async (file: string, options: { dryRun?: boolean }) => {
      const config = loadConfig();
      return (await commands.clinic()).importClinicCommand(config, file, { ...options, lang });
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
      const config = loadConfig();
      return (await commands.operators()).operatorsAddCommand(config, options, undefined, lang);
    }),
  );

const patients = program.command("patients").description(h.patients);
patients
  .command("export <id>")
  .description(h.patientsExport)
  .action(run(async (id: string) => (await commands.patients()).exportPatientCommand(loadConfig(), id, undefined, lang)));
patients
  .command("erase <id>")
  .description(h.patientsErase)
  .option("--yes", h.patientsYes)
  .action(run(async (id: string, options: { yes?: boolean }) => (await commands.patients()).erasePatientCommand(loadConfig(), id, options, undefined, lang)));

await program.parseAsync(process.argv);
