import type { Database } from "../db/client.ts";
import { clinicSource } from "../flows/clinic-source.ts";
import type { FlowCatalog } from "../flows/loader/catalog.ts";
import { DEFAULT_FLOW, SCHEDULED_TRIGGER } from "./kinds.ts";
import type { PlannerKind } from "./kinds.ts";
import { emptyResult } from "./plan.ts";
import type { PlanResult } from "./plan.ts";
import { PLANNERS } from "./planners/index.ts";
import { typedSqlOn } from "../db/kysely/index.ts";
import type { Tx } from "../db/client.ts";
import { expireCertificates } from "../domain/loyalty/certificates/index.ts";
import { EXPIRY_BATCH, expireDue } from "../domain/bonus/ledger.ts";

/**
 * Credits the daily points job books as expired per run, at most: a backlog (a clinic's first run
 * after an import of old visits) drains over a few days in short transactions. Balances shown to
 * patients already leave unbooked overdue points out, so waiting costs nothing but the ledger's date.
 */
export const POINTS_EXPIRY_PER_RUN = 10 * EXPIRY_BATCH;

/**
 * Ledger work a kind does first, in the planner's transaction, whether or not a flow announces
 * anything: points and gift certificates past their expiry are written off. Its figures join the
 * run's counts.
 */
const UPKEEP: Partial<Record<PlannerKind, (tx: Tx, clinicId: number, now: Date) => Promise<Record<string, number>>>> = {
  expiry: async (tx, clinicId, now) => {
    let entries = 0;
    let points = 0;
    for (let batch = 0; batch < POINTS_EXPIRY_PER_RUN / EXPIRY_BATCH; batch++) {
      const done = await expireDue(tx, { clinicId, now });
      entries += done.entries;
      points += done.points;
      if (done.entries < EXPIRY_BATCH) break;
    }
    return { creditsExpired: entries, pointsExpired: points };
  },
  certificates: async (tx, clinicId, now) => {
    const expired = await expireCertificates(tx, { clinicId, now });
    return { certificatesExpired: expired.certificates, certificateKopecksExpired: expired.amount };
  },
};

export interface PlannerRun extends PlanResult {
  kind: PlannerKind;
  /** The flow the rows start; null when no loaded flow declares the kind (nothing is planned). */
  flowId: string | null;
  dryRun: boolean;
}

export interface RunPlannerOptions {
  clinicId: number;
  now: Date;
  /** The flows in force: the rows start the flow that declares the kind in `triggers.scheduled`. */
  catalog?: FlowCatalog;
  /** Plan, count, then roll back: nothing is written. */
  dryRun?: boolean;
  /** Sees every statement the planner runs (tests count them). */
  onStatement?: (sql: string) => void;
}

class DryRunRollback extends Error {
  constructor(readonly result: PlanResult) {
    super("dry run: rolled back");
  }
}

/** Planning 100,000 patients is a few statements, but big ones: give them time. */
const TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 };

/**
 * Runs one planner in one transaction (the follow-up planner's outbox rows and attempt counts
 * commit together), with the clinic's current settings.
 */
export async function runPlanner(db: Database, kind: PlannerKind, options: RunPlannerOptions): Promise<PlannerRun> {
  const clinic = await clinicSource(db).read(db.prisma, options.clinicId);
  const settings = clinic.settings;
  const dryRun = options.dryRun ?? false;
  const flowId = options.catalog ? (options.catalog.forScheduledKind(SCHEDULED_TRIGGER[kind])?.def.id ?? null) : DEFAULT_FLOW[kind];
  const upkeep = UPKEEP[kind];
  // A clinic that removed the flow (or its scheduled trigger) has turned the kind's messages off.
  if (flowId === null && !upkeep) return { kind, flowId, dryRun, ...emptyResult() };

  const plan = async (tx: Tx) => {
    const kept = upkeep ? await upkeep(tx, options.clinicId, options.now) : {};
    const planned = flowId === null ? emptyResult() : await planWith(tx, flowId);
    return { ...planned, counts: { ...planned.counts, ...kept } };
  };
  const planWith = (tx: Tx, flowId: string) =>
    PLANNERS[kind]({
      q: typedSqlOn(tx, db.provider, options.onStatement),
      clinicId: options.clinicId,
      clinicZone: clinic.timezone,
      settings,
      now: options.now,
      flowId,
    });
  try {
    const result = await db.transaction(async (tx) => {
      const planned = await plan(tx);
      if (dryRun) throw new DryRunRollback(planned);
      return planned;
    }, TRANSACTION);
    return { kind, flowId, dryRun, ...result };
  } catch (error) {
    if (error instanceof DryRunRollback) return { kind, flowId, dryRun, ...error.result };
    throw error;
  }
}
