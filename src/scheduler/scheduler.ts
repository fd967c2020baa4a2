import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import cron from "node-cron";
import type { ScheduledTask } from "node-cron";
import type { ComponentHealth } from "../api/health.ts";
import type { CareBot } from "../core.ts";
import { parseClinicSettings } from "../domain/clinic/settings.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";
import { JOB_KINDS, SCHEDULE_SETTING } from "./kinds.ts";
import type { JobKind } from "./kinds.ts";
import { RunCoordinator } from "./run-coordinator.ts";
import { runPlanner } from "./run-planner.ts";
import { fireTimers } from "./timers.ts";

/** What the scheduler needs of the CareBot: the database, the clinic, the flows and the router. */
export type SchedulerHost = Pick<CareBot, "db" | "clinic" | "flows" | "router" | "logger">;

export interface SchedulerOptions {
  clock: Clock;
  /** Who claims slots in JobRun: unique per process. */
  owner?: string;
}

/** How one cron slot went on this instance. */
export interface SlotRun {
  kind: JobKind;
  /** The slot's minute on the clinic's clock, e.g. "2026-12-01T11:00". */
  periodKey: string;
  /** done: this instance ran it; not-elected: another instance has the slot; failed: see error. */
  status: "done" | "failed" | "not-elected";
  jobRunId: number | null;
  planned: number;
  skipped: number;
  alreadyQueued: number;
  counts: Record<string, unknown>;
  error: string | null;
}

/** The slot's minute on the clinic's clock: the JobRun period of a cron slot. */
export function periodKeyOf(slot: Date, zone: string): string {
  return DateTime.fromJSDate(slot, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Timer runs every minute leave a row each; a day of them is kept. */
const TIMER_RUNS_KEPT_MS = 24 * 3600_000;

/**
 * Runs the planners and the flow timers on the clinic's cron schedules (settings.schedules, in
 * the clinic's time zone). Each slot goes through the run coordinator (one instance per slot),
 * runs in one transaction, records its summary in JobRun and wakes the dispatcher. A failing
 * planner is logged and recorded; it never takes the process down.
 */
export class Scheduler {
  readonly owner: string;
  readonly #tasks = new Map<JobKind, ScheduledTask>();
  readonly #invalid = new Map<JobKind, string>();
  readonly #last = new Map<JobKind, SlotRun & { at: string }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #coordinator: RunCoordinator;
  readonly #logger: Logger;
  #started = false;

  constructor(
    private readonly host: SchedulerHost,
    private readonly options: SchedulerOptions,
    readonly schedules: Record<JobKind, string>,
  ) {
    this.owner = options.owner ?? `carebot-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#logger = host.logger.child({ component: "scheduler" });
    this.#coordinator = new RunCoordinator(host.db, host.clinic.id, this.owner);
    const cronLogger = {
      info: (m: string) => this.#logger.info(m),
      warn: (m: string) => this.#logger.warn(m),
      error: (m: string | Error, err?: Error) => this.#logger.error({ err: err ?? m }, typeof m === "string" ? m : "cron task failed"),
      debug: (m: string | Error) => this.#logger.debug(String(m)),
    };
    for (const kind of JOB_KINDS) {
      const expression = schedules[kind];
      if (!cron.validate(expression)) {
        this.#invalid.set(kind, expression);
        this.#logger.error({ kind, setting: `schedules.${SCHEDULE_SETTING[kind]}`, expression }, "invalid cron expression; this job does not run");
        continue;
      }
      const task = cron.createTask(expression, (ctx) => this.#track(this.runSlot(kind, ctx.date)), {
        name: `carebot:${host.clinic.id}:${kind}`,
        timezone: host.clinic.timezone,
        noOverlap: true,
        logger: cronLogger,
      });
      this.#tasks.set(kind, task);
    }
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const task of this.#tasks.values()) void task.start();
  }

  /** Stops every cron task and waits for the slots in progress. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const task of this.#tasks.values()) await task.destroy();
    this.#tasks.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Runs one slot of a job as its cron tick does: claim the slot, run, record, wake the
   * dispatcher. `slot` is the cron slot's time (default: the clock's now, to the minute).
   * Never throws: a failure is logged, recorded in JobRun and returned.
   */
  async runSlot(kind: JobKind, slot: Date = this.options.clock.now()): Promise<SlotRun> {
    const { db, clinic, router } = this.host;
    const clock = this.options.clock;
    const periodKey = periodKeyOf(slot, clinic.timezone);
    const run: SlotRun = { kind, periodKey, status: "failed", jobRunId: null, planned: 0, skipped: 0, alreadyQueued: 0, counts: {}, error: null };
    try {
      run.jobRunId = await this.#coordinator.claim(kind, periodKey, clock.now());
    } catch (error) {
      run.error = `could not claim the slot: ${(error as Error).message}`;
      this.#logger.error({ err: error, kind, periodKey }, "scheduler could not claim the slot");
      return this.#remember(run);
    }
    if (run.jobRunId === null) return this.#remember({ ...run, status: "not-elected" });

    try {
      if (kind === "timers") {
        run.planned = await fireTimers(router);
        run.counts = { fired: run.planned };
      } else {
        const result = await runPlanner(db, kind, { clinicId: clinic.id, now: clock.now(), catalog: this.host.flows.catalog() });
        Object.assign(run, { planned: result.planned, skipped: result.skipped, alreadyQueued: result.alreadyQueued });
        run.counts = { ...result.counts, alreadyQueued: result.alreadyQueued, flow: result.flowId };
        if (result.flowId === null) this.#logger.warn({ kind }, "no loaded flow declares this scheduled kind; nothing planned");
      }
      run.status = "done";
    } catch (error) {
      run.error = (error as Error).message;
      this.#logger.error({ err: error, kind, periodKey }, "scheduled job failed");
    }
    try {
      await this.#coordinator.finish(run.jobRunId, clock.now(), { planned: run.planned, skipped: run.skipped, counts: run.counts, error: run.error });
      if (kind === "timers") await this.#coordinator.prune(kind, periodKeyOf(new Date(slot.getTime() - TIMER_RUNS_KEPT_MS), clinic.timezone));
    } catch (error) {
      this.#logger.error({ err: error, kind, periodKey }, "could not record the job run");
    }
    if (run.status === "done" && kind !== "timers") {
      this.#logger.info({ kind, periodKey, planned: run.planned, skipped: run.skipped, alreadyQueued: run.alreadyQueued }, "scheduled job done");
    }
    // Whatever was queued goes out now, not at the dispatcher's next poll (fireDueTimers wakes it itself).
    if (run.planned > 0 && kind !== "timers") router.events.emit("outbox");
    return this.#remember(run);
  }

  /** For /health: the schedules, and how each job's last slot on this instance went. */
  health(): ComponentHealth {
    const jobs = Object.fromEntries(
      JOB_KINDS.map((kind) => {
        const last = this.#last.get(kind);
        return [
          kind,
          {
            cron: this.schedules[kind],
            ...(this.#invalid.has(kind) ? { invalid: true } : {}),
            next: this.#tasks.get(kind)?.getNextRun()?.toISOString() ?? null,
            ...(last ? { last: { slot: last.periodKey, status: last.status, planned: last.planned, skipped: last.skipped, error: last.error, at: last.at } } : {}),
          },
        ];
      }),
    );
    return { ok: this.#started && this.#invalid.size === 0, timezone: this.host.clinic.timezone, owner: this.owner, jobs };
  }

  /** One line for the start banner. */
  describe(): string {
    const jobs = JOB_KINDS.map((kind) => `${kind} "${this.schedules[kind]}"${this.#invalid.has(kind) ? " (INVALID: not running)" : ""}`);
    return `${this.host.clinic.timezone}: ${jobs.join(", ")}`;
  }

  #remember(run: SlotRun): SlotRun {
    this.#last.set(run.kind, { ...run, at: this.options.clock.now().toISOString() });
    return run;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
    return promise;
  }
}

/** Reads the clinic's schedules and wires a cron task per job; call start() to run them. */
export async function createScheduler(carebot: SchedulerHost, options: SchedulerOptions): Promise<Scheduler> {
  const clinic = await carebot.db.prisma.clinic.findUniqueOrThrow({ where: { id: carebot.clinic.id }, select: { settings: true } });
  const settings = parseClinicSettings(clinic.settings);
  const schedules = Object.fromEntries(JOB_KINDS.map((kind) => [kind, settings.schedules[SCHEDULE_SETTING[kind]]])) as Record<JobKind, string>;
  return new Scheduler(carebot, options, schedules);
}
