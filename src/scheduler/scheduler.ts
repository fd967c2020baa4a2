import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import cron from "node-cron";
import type { ScheduledTask } from "node-cron";
import { findCampaign } from "../campaigns/find.ts";
import { runCampaign } from "../campaigns/run.ts";
import type { ConversationRouter } from "../conversations/router.ts";
import type { Database } from "../db/client.ts";
import type { ServedClinic } from "../domain/clinic/served-clinic.ts";
import type { FlowService } from "../flows/service.ts";
import { clinicSource } from "../flows/clinic-source.ts";
import type { ClinicRow } from "../flows/clinic-source.ts";
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";
import { isJobKind, JOB_KINDS, SCHEDULE_SETTING } from "./kinds.ts";
import type { JobKind } from "./kinds.ts";
import { RunCoordinator } from "./run-coordinator.ts";
import { runPlanner } from "./run-planner.ts";
import { ClinicFlowCatalogs } from "../flows/clinic-catalog.ts";
import { previousSlot } from "./slots.ts";
import { fireTimers } from "./timers.ts";

/** What the scheduler is given: the database, the clinic, the flows' catalog, the router's timers and wake-ups. */
export interface SchedulerHost {
  db: Database;
  clinic: ServedClinic;
  flows: Pick<FlowService, "catalog">;
  router: Pick<ConversationRouter, "fireDueTimers" | "events">;
  logger: Logger;
}

/** What /health shows of the scheduler. */
export interface SchedulerHealth {
  ok: boolean;
  [detail: string]: unknown;
}

export interface SchedulerOptions {
  clock: Clock;
  /** Who claims slots in JobRun: unique per process. */
  owner?: string;
  /** How often the clinic's settings are checked for changed schedules and campaigns (default 60 s). */
  reloadMs?: number;
}

/** A job the scheduler runs: a planner kind, the flow timers, or a campaign with a schedule (`campaign:<id>`). */
export type JobName = JobKind | `campaign:${string}`;

/** How one cron slot went on this instance. */
export interface SlotRun {
  kind: JobName;
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

type Work = Pick<SlotRun, "planned" | "skipped" | "alreadyQueued" | "counts">;

/** The slot's minute on the clinic's clock: the JobRun period of a cron slot. */
export function periodKeyOf(slot: Date, zone: string): string {
  return DateTime.fromJSDate(slot, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Timer runs every minute leave a row each; a day of them is kept. */
const TIMER_RUNS_KEPT_MS = 24 * 3600_000;
/**
 * A slot missed while no instance ran (a deploy, a weekend outage) is run once at start when it
 * is at most this old. Older ones are left: a "monthly" reminder a week late reads oddly.
 */
export const CATCH_UP_WINDOW_MS = 72 * 3600_000;

/** Every job's cron expression from the clinic's settings: planner kinds, timers and scheduled campaigns. */
export function jobSchedules(settings: ClinicSettings): Map<JobName, string> {
  const jobs = new Map<JobName, string>(JOB_KINDS.map((kind) => [kind, settings.schedules[SCHEDULE_SETTING[kind]]]));
  for (const campaign of settings.campaigns) if (campaign.schedule) jobs.set(`campaign:${campaign.id}`, campaign.schedule);
  return jobs;
}

interface Job {
  cron: string;
  task: ScheduledTask | null;
}

/**
 * Runs the planners, the flow timers and scheduled campaigns on the clinic's cron schedules (in
 * the clinic's time zone). Each slot goes through the run coordinator (one instance per slot),
 * runs in one transaction, records its summary in JobRun and wakes the dispatcher. A failing job
 * is logged and recorded; it never takes the process down. Changed settings are picked up within
 * a minute, and a slot missed while CareBot was down is run once at start (CATCH_UP_WINDOW_MS).
 */
export class Scheduler {
  readonly owner: string;
  readonly #jobs = new Map<JobName, Job>();
  readonly #last = new Map<JobName, SlotRun & { at: string }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #coordinator: RunCoordinator;
  readonly #logger: Logger;
  readonly #cronLogger;
  #started = false;
  #reloadTimer: NodeJS.Timeout | null = null;
  #settingsVersion: number | null = null;
  /** The time zone the cron tasks were created in. */
  #zone: string;
  /** The clinic's published flow versions over the host's files: a flow turned off plans nothing. */
  readonly #catalogs: ClinicFlowCatalogs;

  constructor(
    private readonly host: SchedulerHost,
    private readonly options: SchedulerOptions,
    schedules: Record<JobKind, string> | Map<JobName, string>,
  ) {
    this.#zone = host.clinic.timezone;
    this.owner = options.owner ?? `carebot-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#logger = host.logger.child({ component: "scheduler" });
    this.#coordinator = new RunCoordinator(host.db, host.clinic.id, this.owner);
    this.#catalogs = new ClinicFlowCatalogs(() => host.flows.catalog(), this.#logger);
    this.#cronLogger = {
      info: (m: string) => this.#logger.info(m),
      warn: (m: string) => this.#logger.warn(m),
      error: (m: string | Error, err?: Error) => this.#logger.error({ err: err ?? m }, typeof m === "string" ? m : "cron task failed"),
      debug: (m: string | Error) => this.#logger.debug(String(m)),
    };
    const jobs = schedules instanceof Map ? schedules : new Map(Object.entries(schedules) as [JobName, string][]);
    for (const [name, expression] of jobs) this.#install(name, expression);
  }

  /** The planner kinds' and timers' cron expressions in force. */
  get schedules(): Record<JobKind, string> {
    return Object.fromEntries(JOB_KINDS.map((kind) => [kind, this.#jobs.get(kind)?.cron ?? ""])) as Record<JobKind, string>;
  }

  /** Scheduled campaigns in force: id → cron. */
  get campaigns(): Record<string, string> {
    return Object.fromEntries([...this.#jobs].filter(([name]) => !isJobKind(name)).map(([name, job]) => [name.slice("campaign:".length), job.cron]));
  }

  /** Starts the cron tasks, runs what was missed while nobody ran, and watches the settings. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const job of this.#jobs.values()) void job.task?.start();
    void this.#track(this.catchUp());
    const every = this.options.reloadMs ?? 60_000;
    this.#reloadTimer = setInterval(() => void this.#track(this.reload()), every);
    this.#reloadTimer.unref();
  }

  /** Stops every cron task and waits for the slots in progress. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#reloadTimer) clearInterval(this.#reloadTimer);
    this.#reloadTimer = null;
    for (const job of this.#jobs.values()) await job.task?.destroy();
    for (const job of this.#jobs.values()) job.task = null;
    await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Re-reads the clinic's settings and rewires the jobs whose schedule changed, appeared or went
   * away (an admin saved the settings); a new time zone (the clinic's page) rewires every job in
   * it. Invalid settings keep the schedules in force. Returns the names of the jobs it changed.
   */
  async reload(): Promise<JobName[]> {
    let clinic: ClinicRow;
    try {
      clinic = await this.host.db.prisma.clinic.findUniqueOrThrow({ where: { id: this.host.clinic.id } });
    } catch (error) {
      this.#logger.warn({ err: error }, "could not read the clinic's settings; the schedules stay as they are");
      return [];
    }
    if (this.#settingsVersion === clinic.updatedAt.getTime()) return [];
    let wanted: Map<JobName, string>;
    try {
      wanted = jobSchedules(clinicSource(this.host.db).versionOf(clinic).settings);
    } catch (error) {
      this.#logger.error({ err: error }, "the clinic's settings are invalid; the schedules stay as they are");
      return [];
    }
    this.#settingsVersion = clinic.updatedAt.getTime();
    // The process's clinic is shared by everything in it: period keys and the banner follow it too.
    // Compared with the zone the tasks run in, not the process's clinic: the console may have updated that already.
    const zoneChanged = clinic.timezone !== this.#zone;
    if (zoneChanged) this.#logger.info({ from: this.#zone, to: clinic.timezone }, "the clinic's time zone changed; every job is rewired in it");
    Object.assign(this.host.clinic, { name: clinic.name, timezone: clinic.timezone });
    this.#zone = clinic.timezone;
    const changed: JobName[] = [];
    for (const [name, job] of [...this.#jobs]) {
      if (!zoneChanged && wanted.get(name) === job.cron) continue;
      await job.task?.destroy();
      this.#jobs.delete(name);
      if (!wanted.has(name)) changed.push(name);
    }
    for (const [name, expression] of wanted) {
      if (this.#jobs.has(name)) continue;
      this.#install(name, expression);
      changed.push(name);
    }
    if (changed.length > 0) this.#logger.info({ jobs: changed.map((name) => [name, this.#jobs.get(name)?.cron ?? "removed"]) }, "schedules changed in the clinic's settings");
    return changed;
  }

  /**
   * For each job but the timers (they fire whatever is due anyway): the latest slot of the last
   * CATCH_UP_WINDOW_MS that no instance claimed is run now. A job that never ran before is not
   * caught up — a new installation does not send a month's reminders at its first start.
   * When that slot is another instance's already (two started together, a restart within the
   * slot's minute), this one asks for it too: the claim comes back not-elected, so its /health
   * tells at once, not at the job's next tick, that the slot went elsewhere.
   */
  async catchUp(now: Date = this.options.clock.now()): Promise<SlotRun[]> {
    const runs: SlotRun[] = [];
    for (const [name, job] of [...this.#jobs]) {
      if (name === "timers" || !job.task) continue;
      const slot = previousSlot(job.task, now, CATCH_UP_WINDOW_MS);
      if (!slot) continue;
      let missed: boolean;
      try {
        const last = await this.#coordinator.lastClaim(name);
        const periodKey = periodKeyOf(slot, this.host.clinic.timezone);
        if (last === null || last.periodKey > periodKey || (last.periodKey === periodKey && last.owner === this.owner)) continue;
        missed = last.periodKey < periodKey;
      } catch (error) {
        this.#logger.warn({ err: error, job: name }, "could not check for a missed slot");
        continue;
      }
      if (missed) this.#logger.info({ job: name, slot: slot.toISOString() }, "running a slot missed while CareBot was down");
      runs.push(await this.#runJob(name, slot));
    }
    return runs;
  }

  /**
   * Runs one slot of a job as its cron tick does: claim the slot, run, record, wake the
   * dispatcher. `slot` is the cron slot's time (default: the clock's now, to the minute).
   * Never throws: a failure is logged, recorded in JobRun and returned.
   */
  runSlot(kind: JobKind, slot: Date = this.options.clock.now()): Promise<SlotRun> {
    const { db, clinic, router } = this.host;
    return this.#runClaimed(kind, slot, async (): Promise<Work> => {
      if (kind === "timers") {
        const fired = await fireTimers(router);
        return { planned: fired, skipped: 0, alreadyQueued: 0, counts: { fired } };
      }
      const result = await runPlanner(db, kind, { clinicId: clinic.id, now: this.options.clock.now(), catalog: await this.#catalogs.current(db, clinic.id) });
      if (result.flowId === null) this.#logger.warn({ kind }, "no loaded flow declares this scheduled kind; nothing planned");
      return {
        planned: result.planned,
        skipped: result.skipped,
        alreadyQueued: result.alreadyQueued,
        counts: { ...result.counts, alreadyQueued: result.alreadyQueued, flow: result.flowId },
      };
    });
  }

  /** Runs one slot of a scheduled campaign: the patients its segment has now, each once ever. */
  runCampaignSlot(campaignId: string, slot: Date = this.options.clock.now()): Promise<SlotRun> {
    return this.#runClaimed(`campaign:${campaignId}`, slot, async (): Promise<Work> => {
      const target = await findCampaign(this.host.db.prisma, this.host.clinic.id, campaignId);
      const run = await runCampaign(this.host.db, target, this.options.clock.now());
      return { planned: run.queued, skipped: 0, alreadyQueued: run.alreadyQueued, counts: { segmentSize: run.segmentSize, alreadyQueued: run.alreadyQueued } };
    });
  }

  /** For /health: the schedules, and how each job's last slot on this instance went. */
  health(): SchedulerHealth {
    const describe = (name: JobName) => {
      const job = this.#jobs.get(name);
      const last = this.#last.get(name);
      return {
        cron: job?.cron ?? null,
        ...(job && !job.task ? { invalid: true } : {}),
        next: this.#started ? (job?.task?.getNextRun()?.toISOString() ?? null) : null,
        ...(last ? { last: { slot: last.periodKey, status: last.status, planned: last.planned, skipped: last.skipped, error: last.error, at: last.at } } : {}),
      };
    };
    const jobs = Object.fromEntries(JOB_KINDS.map((kind) => [kind, describe(kind)]));
    const campaigns = Object.fromEntries(Object.keys(this.campaigns).map((id) => [id, describe(`campaign:${id}`)]));
    const invalid = [...this.#jobs.values()].some((job) => !job.task);
    return { ok: this.#started && !invalid, timezone: this.host.clinic.timezone, owner: this.owner, jobs, campaigns };
  }

  /** One line for the start banner. */
  describe(): string {
    const jobs = [...this.#jobs].map(([name, job]) => `${name} "${job.cron}"${job.task ? "" : " (INVALID: not running)"}`);
    return `${this.host.clinic.timezone}: ${jobs.join(", ")}`;
  }

  #install(name: JobName, expression: string): void {
    if (!cron.validate(expression)) {
      this.#jobs.set(name, { cron: expression, task: null });
      const setting = isJobKind(name) ? `schedules.${SCHEDULE_SETTING[name]}` : `campaigns[${name.slice("campaign:".length)}].schedule`;
      this.#logger.error({ job: name, setting, expression }, "invalid cron expression; this job does not run");
      return;
    }
    const task = cron.createTask(expression, (ctx) => this.#track(this.#runJob(name, ctx.date)), {
      name: `carebot:${this.host.clinic.id}:${name}`,
      timezone: this.#zone,
      noOverlap: true,
      logger: this.#cronLogger,
    });
    this.#jobs.set(name, { cron: expression, task });
    if (this.#started) void task.start();
  }

  #runJob(name: JobName, slot: Date): Promise<SlotRun> {
    return isJobKind(name) ? this.runSlot(name, slot) : this.runCampaignSlot(name.slice("campaign:".length), slot);
  }

  async #runClaimed(kind: JobName, slot: Date, work: () => Promise<Work>): Promise<SlotRun> {
    const { clinic, router } = this.host;
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
      Object.assign(run, await work());
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

/** Reads the clinic's schedules and campaigns and wires a cron task per job; call start() to run them. */
export async function createScheduler(host: SchedulerHost, options: SchedulerOptions): Promise<Scheduler> {
  const clinic = await clinicSource(host.db).read(host.db.prisma, host.clinic.id);
  return new Scheduler(host, options, jobSchedules(clinic.settings));
}
