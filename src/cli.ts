// carebot: the command line. Each command lives in src/cli/<name>.ts; this file only wires them.
import path from "node:path";
import { Argument, Command } from "commander";
import { loadConfig } from "./config.ts";
import { failAndExit } from "./cli/errors.ts";
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
  seed: () => import("./cli/seed.ts"),
  start: () => import("./cli/start.ts"),
};

const program = new Command("carebot")
  .description("CareBot keeps a clinic in touch with its patients through Telegram and WhatsApp.")
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

/** Runs a command that finishes: exits with its code (the wasm schema engine leaves a timer behind). */
const run =
  <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
  async (...args: A) => {
    try {
      process.exit(await fn(...args));
    } catch (error) {
      failAndExit(error);
    }
  };

program
  .command("start")
  .description("migrate the database, seed the demo clinic into an empty one, and serve (HOST, PORT)")
  .action(async () => {
    try {
      const config = loadConfig();
      await (await commands.start()).startCommand(config);
    } catch (error) {
      failAndExit(error);
    }
  });

program
  .command("migrate")
  .description("apply pending database migrations (DATABASE_URL)")
  .option("--status", "report pending, edited or failed migrations instead of applying them")
  .action(
    run(async (options: { status?: boolean }) => {
      const config = loadConfig();
      return (await commands.migrate()).migrateCommand(config, options);
    }),
  );

program
  .command("seed")
  .description("fill the database with sample data")
  .option("--demo", "a demo clinic with ~50 patients, visits, bonuses, follow-ups and an operator account")
  .action(
    run(async (options: { demo?: boolean }) => {
      const config = loadConfig();
      return (await commands.seed()).seedCommand(config, options);
    }),
  );

program
  .command("chat")
  .description("talk to the clinic's flows in the terminal as one of its patients (/state, /start <flow>, /reset, /quit)")
  .option("--patient <id>", "the patient to talk as (default: pick from a list)")
  .action(
    run(async (options: { patient?: string }) => {
      const config = loadConfig();
      return (await commands.chat()).chatCommand(config, options);
    }),
  );

const flows = program.command("flows").description("check, draw and describe the clinic's flows (flows/, templates/)");
const dirsOf = (options: { dir?: string; templates?: string }) => {
  const config = loadConfig();
  return {
    flowsDir: options.dir ? path.resolve(options.dir) : config.flowsDir,
    templatesDir: options.templates ? path.resolve(options.templates) : config.templatesDir,
  };
};
flows
  .command("validate")
  .description("check every flow and text; prints `file: path: problem` for each, exit 1 on any")
  .option("--dir <dir>", "the flows folder (default: FLOWS_DIR or ./flows)")
  .option("--templates <dir>", "the templates folder (default: TEMPLATES_DIR or ./templates)")
  .action(
    run(async (options: { dir?: string; templates?: string }) => (await commands.flows()).validateCommand(dirsOf(options))),
  );
flows
  .command("graph [id]")
  .description("print a flow as a Mermaid state diagram (--all: every flow, as Markdown)")
  .option("--all", "every flow, as the Markdown page docs/flow-graphs.md")
  .option("--dir <dir>", "the flows folder")
  .option("--templates <dir>", "the templates folder")
  .action(
    run(async (id: string | undefined, options: { dir?: string; templates?: string; all?: boolean }) => (await commands.flows()).graphCommand(dirsOf(options), id, options.all)),
  );
flows
  .command("schema")
  .description("write flows/flow.schema.json, the JSON Schema editors use for flow files")
  .option("--dir <dir>", "the flows folder")
  .action(
    run(async (options: { dir?: string }) => (await commands.flows()).schemaCommand(dirsOf(options))),
  );

const importing = program.command("import").description("bring the clinic's data in from its MIS");
importing
  .command("patients <file>")
  .description("create or update patients from a CSV file (externalId,fullName,phone[,birthDate,timezone,locale,tags,source]); refused rows are listed on stderr and in FILE.errors.csv, exit 1 if any")
  .action(
    run(async (file: string) => {
      const config = loadConfig();
      return (await commands.import()).importPatientsCommand(config, file);
    }),
  );
importing
  .command("visits <file>")
  .description(
    "record past visits from a CSV file (externalId,patientExternalId,doctor,service,amount,status,startsAt[,serviceCategory,isProcedure,endsAt,completedAt,updatedAt,followUpDueAt,followUpService,followUpDoctor]) " +
      "as history: points, last visits and follow-ups, and no message at all; idempotent; refused rows are listed on stderr and in FILE.errors.csv, exit 1 if any",
  )
  .action(
    run(async (file: string) => {
      const config = loadConfig();
      return (await commands.importVisits()).importVisitsCommand(config, file);
    }),
  );

const jobs = program.command("jobs").description("the scheduled jobs (planners and flow timers) the service runs on the clinic's schedules");
jobs
  .command("run")
  .description(
    "run one job once, as the scheduler would (without claiming its cron slot), and print what it planned; " +
      "the rows it queues are sent by the running service's dispatcher (`carebot start`), and on a terminal a progress bar follows their delivery",
  )
  .addArgument(new Argument("<kind>", "the job").choices(JOB_KINDS))
  .option("--at <iso>", "run as if the clock said this (ISO date-time; without an offset it is the clinic's local time, e.g. 2026-12-01T11:00)")
  .option("--dry-run", "plan inside a transaction and roll it back: print the counts and up to 10 patients' external ids, queue nothing")
  .option("--wait", "follow the delivery of the queued rows (the default on a terminal)")
  .option("--no-wait", "print the plan and return at once")
  .action(
    run(async (kind: string, options: { at?: string; dryRun?: boolean; wait?: boolean }) => {
      const config = loadConfig();
      return (await commands.jobs()).jobsRunCommand(config, kind, options);
    }),
  );

const campaigns = program.command("campaigns").description("reactivation campaigns declared in the clinic's settings (segments, campaigns)");
campaigns
  .command("preview <id>")
  .description("the campaign's segment: its size and ten sample patients (masked names)")
  .action(
    run(async (id: string) => {
      const config = loadConfig();
      return (await commands.campaigns()).previewCampaignCommand(config, id);
    }),
  );
campaigns
  .command("run <id>")
  .description("queue the campaign's flow for every patient of its segment, once per patient (--dry-run: count only)")
  .option("--dry-run", "count who would be queued, write nothing")
  .option("--wait", "follow the delivery of the queued rows (the default on a terminal)")
  .option("--no-wait", "print the summary and return at once")
  .action(
    run(async (id: string, options: { dryRun?: boolean; wait?: boolean }) => {
      const config = loadConfig();
      return (await commands.campaigns()).runCampaignCommand(config, id, options);
    }),
  );

const clinic = program.command("clinic").description("the clinic's settings as one JSON document: bonus rules, schedules, quiet hours, SLA, segments, campaigns… (CLINIC_SLUG)");
clinic
  .command("export")
  .description("print the settings as pretty JSON with every default filled in (--out: write them to a file)")
  .option("--out <file>", "write to this file instead of printing")
  .action(
    run(async (options: { out?: string }) => {
      const config = loadConfig();
      return (await commands.clinic()).exportClinicCommand(config, options);
    }),
  );
clinic
  .command("import <file>")
  .description("check a settings file and save all of it, or nothing: each problem is printed as `file: field.path: what`, exit 1 on any")
  .option("--dry-run", "check the file and say which sections it would change, save nothing")
  .action(
    run(async (file: string, options: { dryRun?: boolean }) => {
      const config = loadConfig();
      return (await commands.clinic()).importClinicCommand(config, file, options);
    }),
  );

const operators = program.command("operators").description("operator accounts for the console (/console)");
operators
  .command("add")
  .description("add an operator; the password is read from stdin (one line, at least 10 characters), never printed")
  .requiredOption("--login <login>", "the login (Latin letters, digits, . _ @ -)")
  .option("--role <role>", "operator or admin", "operator")
  .option("--name <name>", "the name colleagues see (default: the login)")
  .option("--clinic <slug>", "the clinic (default: CLINIC_SLUG or the only clinic)")
  .action(
    run(async (options: { login: string; role: string; name?: string; clinic?: string }) => {
      const config = loadConfig();
      return (await commands.operators()).operatorsAddCommand(config, options);
    }),
  );

await program.parseAsync(process.argv);
