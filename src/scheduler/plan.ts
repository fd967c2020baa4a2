// What every planner does, once: count the candidates by outcome, then queue the eligible ones
// with one statement: an insert from a select that skips the keys already queued. A planner only says who
// its candidates are (a typed query with its conditions), the key, the flow's context and what
// holds a row back; all of them are expressions over that query's tables.
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { patientZone } from "../domain/visits/due-times.ts";
import { expressionBuilder } from "kysely";
import type { AliasableExpression, AliasedExpression, Expression, SelectQueryBuilder, SqlBool } from "kysely";
import { enumValue, jsonObject, nullOf, text, time, toNumber } from "../db/kysely/index.ts";
import type { Patient, TypedSql } from "../db/kysely/index.ts";
import { mayBeWritten, optedOut, reachable, reachableThroughGuardian } from "../db/queries/patient-rules.ts";

export interface PlanContext {
  /** Typed SQL on the planner's transaction. */
  q: TypedSql;
  clinicId: number;
  /** The clinic's IANA zone: its calendar, and the patients' unless they have their own. */
  clinicZone: string;
  settings: ClinicSettings;
  /** The planner's "now" (the injected clock's). */
  now: Date;
  /** The flow the rows start. */
  flowId: string;
}

export interface PlanResult {
  /** Rows queued by this run. */
  planned: number;
  /** Candidates left out by rule: opted out, no reachable chat. */
  skipped: number;
  /** Eligible candidates whose row was already queued (an earlier run, another instance, the visit itself). */
  alreadyQueued: number;
  /** Candidates by outcome (candidates, optedOut, noReachableChat, and the planner's own holds). */
  counts: Record<string, number>;
  /** Up to 10 patients queued by this run, for a dry run's sample. */
  samplePatientIds: number[];
}

export type Planner = (ctx: PlanContext) => Promise<PlanResult>;

export const SAMPLE_SIZE = 10;

export function emptyResult(): PlanResult {
  return { planned: 0, skipped: 0, alreadyQueued: 0, counts: { candidates: 0, optedOut: 0, noReachableChat: 0 }, samplePatientIds: [] };
}

export function addResults(a: PlanResult, b: PlanResult): PlanResult {
  const counts = { ...a.counts };
  for (const [k, v] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + v;
  return {
    planned: a.planned + b.planned,
    skipped: a.skipped + b.skipped,
    alreadyQueued: a.alreadyQueued + b.alreadyQueued,
    counts,
    samplePatientIds: [...new Set([...a.samplePatientIds, ...b.samplePatientIds])].slice(0, SAMPLE_SIZE),
  };
}

/** Conditions on the candidates' tables, built with the query's own expression builder. */
type Condition = Expression<SqlBool>;

export interface StartFlowPlan<DB, TB extends keyof DB> {
  ctx: PlanContext;
  category: "care" | "marketing" | "transactional";
  /**
   * The candidates: a query over their tables with its conditions, the patient aliased `p`. The
   * rules (opt-out, a reachable chat) are added here, so candidates include those they leave out.
   */
  candidates: SelectQueryBuilder<DB, TB, {}>;
  /** The row's idempotency key, computed per candidate. */
  key: AliasableExpression<string>;
  /** The flow's context: key → expression per candidate. */
  context?: (readonly [string, Expression<unknown>])[];
  /** Conditions that hold an otherwise eligible candidate back for now, counted under their name. */
  holds?: (readonly [name: string, when: Condition])[];
  /** ORDER BY of the inserted rows (the outbox sends them in this order); the patient's id by default. */
  orderBy?: Expression<unknown>[];
  /** A patient without a chat is reached through a guardian's (the flow addresses the guardian about them). */
  throughGuardians?: boolean;
}

const patient = expressionBuilder<{ p: Patient }, "p">();

/** The start-flow row's columns, in the order the insert from the select writes them. */
function startFlowColumns(plan: Pick<StartFlowPlan<never, never>, "ctx" | "category" | "key" | "context">): AliasedExpression<unknown, string>[] {
  const { provider } = plan.ctx.q;
  const now = time(provider, plan.ctx.now);
  const payload = jsonObject(provider, [
    ["startFlow", text(plan.ctx.flowId)],
    ["context", jsonObject(provider, plan.context ?? [])],
  ]);
  return [
    patient.ref("p.clinicId").as("clinicId"),
    plan.key.as("idempotencyKey"),
    patient.ref("p.id").as("patientId"),
    nullOf<number>("INTEGER").as("identityId"),
    text("start-flow").as("kind"),
    enumValue(provider, "MessageCategory", plan.category).as("category"),
    payload.as("payload"),
    now.as("dueAt"),
    now.as("createdAt"),
    now.as("updatedAt"),
  ];
}

const START_FLOW_COLUMNS = ["clinicId", "idempotencyKey", "patientId", "identityId", "kind", "category", "payload", "dueAt", "createdAt", "updatedAt"] as const;

/** A chat of the patient's own, or, for a plan that goes through guardians, a guardian's. */
function reachableFor(plan: Pick<StartFlowPlan<never, never>, "throughGuardians">): Condition {
  return plan.throughGuardians ? patient.or([reachable, reachableThroughGuardian]) : reachable;
}

/** Who the plan may write to: not opted out and reachable as the plan reaches people. */
function mayBeWrittenFor(plan: Pick<StartFlowPlan<never, never>, "throughGuardians">): Condition {
  return plan.throughGuardians ? patient.and([patient.not(optedOut), reachableFor(plan)]) : mayBeWritten;
}

/** Counts, then queues: two statements whatever the number of patients. */
export async function planStartFlows<DB, TB extends keyof DB>(plan: StartFlowPlan<DB, TB>): Promise<PlanResult> {
  const { ctx } = plan;
  const { q } = ctx;
  const holds = plan.holds ?? [];

  const canReach = reachableFor(plan);
  let outcome = patient.case().when(optedOut).then(text("optedOut")).when(patient.not(canReach)).then(text("noReachableChat"));
  for (const [name, when] of holds) outcome = outcome.when(when).then(text(name));
  // The planner's tables are its own: the subquery's one column is named here.
  const outcomes = plan.candidates.select(outcome.else(text("eligible")).end().as("outcome")).$castTo<{ outcome: string }>();
  const rows = await q
    .selectFrom(outcomes.as("t"))
    .select((eb) => ["t.outcome", eb.fn.countAll().as("n")])
    .groupBy("t.outcome")
    .execute();
  const counts: Record<string, number> = { candidates: 0, optedOut: 0, noReachableChat: 0 };
  for (const [name] of holds) counts[name] = 0;
  for (const r of rows) {
    counts[r.outcome] = toNumber(r.n);
    counts.candidates! += toNumber(r.n);
  }
  const eligible = counts.eligible ?? 0;
  delete counts.eligible;

  let queue = plan.candidates.select(startFlowColumns(plan)).where(mayBeWrittenFor(plan));
  for (const [, when] of holds) queue = queue.where(patient.not(when));
  for (const order of plan.orderBy ?? [patient.ref("p.id")]) queue = queue.orderBy(order);
  const inserted = await q
    .insertInto("Outbox")
    .columns(START_FLOW_COLUMNS)
    .expression(queue)
    .onConflict((oc) => oc.column("idempotencyKey").doNothing())
    .returning("patientId")
    .execute();
  const planned = inserted.length;
  const samplePatientIds: number[] = [];
  for (const r of inserted) {
    const id = toNumber(r.patientId);
    if (!samplePatientIds.includes(id)) samplePatientIds.push(id);
    if (samplePatientIds.length >= SAMPLE_SIZE) break;
  }
  return {
    planned,
    skipped: counts.optedOut! + counts.noReachableChat!,
    // Under concurrency the difference is what another run inserted first: queued all the same.
    alreadyQueued: Math.max(0, eligible - planned),
    counts,
    samplePatientIds,
  };
}

/**
 * Records, once each, the candidates a rule leaves out for good (a follow-up too long past due): a
 * "skipped" row under `key` with `reason`, which the dashboard counts; nothing is sent. Only
 * candidates the rules would otherwise let through (not opted out, reachable) and matching `where`.
 */
export async function recordSkippedStartFlows<DB, TB extends keyof DB>(
  plan: Omit<StartFlowPlan<DB, TB>, "holds" | "orderBy"> & { where: Condition; reason: string },
): Promise<number> {
  const { q } = plan.ctx;
  const skipped = plan.candidates
    .select([...startFlowColumns(plan), enumValue(q.provider, "OutboxStatus", "skipped").as("status"), text(plan.reason).as("lastError")])
    .where(mayBeWrittenFor(plan))
    .where(plan.where);
  const inserted = await q
    .insertInto("Outbox")
    .columns([...START_FLOW_COLUMNS, "status", "lastError"])
    .expression(skipped)
    .onConflict((oc) => oc.column("idempotencyKey").doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

/**
 * Runs a plan once per group of patients who share a calendar: patients are grouped by their
 * zone (their own where valid, else the clinic's), and zones whose parameters come out the same
 * (the same local date, the same offsets) share one statement. `paramsFor` computes a zone's
 * parameters; `plan` queues the patients matching `inZone` (a condition on `p`).
 */
export async function byPatientZone<P>(
  ctx: PlanContext,
  paramsFor: (zone: string) => P,
  plan: (params: P, inZone: Condition) => Promise<PlanResult>,
): Promise<PlanResult> {
  const rows = await ctx.q
    .selectFrom("Patient as p")
    .select("p.timezone")
    .distinct()
    .where("p.clinicId", "=", ctx.clinicId)
    .where("p.timezone", "is not", null)
    .orderBy("p.timezone")
    .execute();
  // Patients with no zone (NULL) live by the clinic's, and so do those with an unknown one.
  const groups = new Map<string, { params: P; zones: string[]; withNull: boolean }>();
  const add = (raw: string | null) => {
    const params = paramsFor(patientZone(raw, ctx.clinicZone));
    const key = JSON.stringify(params);
    const group = groups.get(key) ?? { params, zones: [], withNull: false };
    if (raw === null) group.withNull = true;
    else group.zones.push(raw);
    groups.set(key, group);
  };
  add(null);
  for (const r of rows) add(r.timezone);

  let total = emptyResult();
  for (const group of groups.values()) {
    const inZone = patient.or([
      ...(group.withNull ? [patient("p.timezone", "is", null)] : []),
      ...(group.zones.length > 0 ? [patient("p.timezone", "in", group.zones)] : []),
    ]);
    total = addResults(total, await plan(group.params, inZone));
  }
  return total;
}
