// `carebot jobs run <kind> [--at ISO] [--dry-run] [--wait]`: runs one scheduled job now, or as
// if the clock said --at, and prints what it planned. The rows it queues are sent by the running
// service's dispatcher; on a terminal (or with --wait) the command follows their delivery.
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import type { Config } from "../config.ts";
import { createCareBot, resolveClinic } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { createLogger } from "../logger.ts";
import { isJobKind, JOB_KINDS } from "../scheduler/kinds.ts";
import { runPlanner } from "../scheduler/run-planner.ts";
import { fireTimers } from "../scheduler/timers.ts";
import { FixedClock, systemClock } from "../util/clock.ts";
import { deliveryVerdict, watchDelivery } from "./delivery-progress.ts";
import { EXIT_USAGE } from "./errors.ts";

export interface JobsRunOptions {
  /** ISO date-time; without an offset it is the clinic's local time. */
  at?: string;
  dryRun?: boolean;
  /** Follow the delivery of what was queued (default: when the output is a terminal). */
  wait?: boolean;
}

export interface JobsIo {
  output: Writable & { isTTY?: boolean; columns?: number };
  error: Writable;
  /** How long the delivery may stand still before the command stops watching (default 20 s). */
  stallMs?: number;
}

/** How the planners' counts read in the summary; the rest are shown under their own names. */
const LABELS: Record<string, string> = {
  optedOut: "opted out",
  noReachableChat: "no reachable chat",
  maxAttempts: "no attempts left",
  waitingForGap: "waiting for the gap after the last attempt",
};
const RULES = ["optedOut", "noReachableChat"];

/** "opted out 2, no reachable chat 1" for the counts named (those above zero). */
function breakdown(counts: Record<string, number>, names: string[]): string {
  return names
    .filter((name) => (counts[name] ?? 0) > 0)
    .map((name) => `${LABELS[name] ?? name} ${counts[name]}`)
    .join(", ");
}

export async function jobsRunCommand(config: Config, kind: string, options: JobsRunOptions, io: JobsIo = { output: process.stdout, error: process.stderr }): Promise<number> {
  const print = (line = "") => io.output.write(`${line}\n`);
  if (!isJobKind(kind)) {
    io.error.write(`carebot jobs run: unknown kind "${kind}" (one of ${JOB_KINDS.join(", ")})\n`);
    return EXIT_USAGE;
  }
  // Checked before opening anything: the zone only decides how an offset-less time is read.
  if (options.at !== undefined && !DateTime.fromISO(options.at, { zone: "utc" }).isValid) {
    io.error.write(`carebot jobs run: --at must be an ISO date-time such as 2026-12-01T11:00 (clinic time) or 2026-12-01T08:00:00Z (got "${options.at}")\n`);
    return EXIT_USAGE;
  }

  const logger = createLogger({ level: config.logLevel, pretty: false, destination: io.error as unknown as { write(msg: string): void } });
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    const at = options.at === undefined ? systemClock.now() : DateTime.fromISO(options.at, { zone: clinic.timezone }).toJSDate();
    const clock = options.at === undefined ? systemClock : new FixedClock(at);
    const carebot = await createCareBot(config, db, { clock, logger });
    const local = DateTime.fromJSDate(at, { zone: clinic.timezone }).toFormat("yyyy-MM-dd HH:mm");
    const dry = options.dryRun ? ", dry run: rolled back, nothing queued" : "";
    print(`${kind} for ${clinic.name} at ${local} ${clinic.timezone} (${at.toISOString()})${dry}`);

    if (kind === "timers") {
      if (options.dryRun) {
        const due = await db.prisma.conversation.count({ where: { status: "bot", timerDueAt: { lte: at } } });
        print(`  timers due      ${due}`);
      } else {
        print(`  timers fired    ${await fireTimers(carebot.router)}`);
      }
      return 0;
    }

    const run = await runPlanner(db, kind, { clinicId: clinic.id, now: at, catalog: await carebot.router.clinicCatalog(), dryRun: options.dryRun });
    if (run.flowId === null) {
      print(`  nothing planned: no flow declares triggers.scheduled for this kind (the clinic has turned it off)`);
      return 0;
    }
    const why = breakdown(run.counts, RULES);
    const held = breakdown(run.counts, Object.keys(run.counts).filter((name) => name !== "candidates" && !RULES.includes(name)));
    print(`  flow            ${run.flowId}`);
    print(`  planned         ${run.planned}`);
    print(`  skipped by rule ${run.skipped}${why ? `  (${why})` : ""}`);
    print(`  already queued  ${run.alreadyQueued}`);
    if (held) print(`  not due yet     ${held}`);
    if (options.dryRun && run.samplePatientIds.length > 0) {
      const patients = await db.prisma.patient.findMany({ where: { id: { in: run.samplePatientIds } }, select: { id: true, externalId: true } });
      const byId = new Map(patients.map((p) => [p.id, p.externalId]));
      const more = run.planned > run.samplePatientIds.length ? `, … (${run.planned - run.samplePatientIds.length} more)` : "";
      print(`  patients        ${run.samplePatientIds.map((id) => byId.get(id) ?? `#${id}`).join(", ")}${more}`);
    }
    if (options.dryRun || run.planned === 0) return 0;
    if (!(options.wait ?? io.output.isTTY === true)) {
      print("The running service's dispatcher sends them (quiet hours, frequency cap and holds apply there).");
      return 0;
    }
    print("Sending through the running service's dispatcher (quiet hours, frequency cap and holds apply there):");
    // The planner stamps its rows with the run's instant: exactly this run's rows.
    const where = { clinicId: clinic.id, kind: "start-flow", createdAt: at };
    const stallMs = io.stallMs ?? 20_000;
    print(deliveryVerdict(await watchDelivery({ db, where, total: run.planned, clock: systemClock, output: io.output, stallMs }), stallMs));
    return 0;
  } finally {
    await db.close();
  }
}
