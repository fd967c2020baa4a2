// What every planner does, once: count the candidates by outcome, then queue the eligible ones
// with one INSERT … SELECT … ON CONFLICT ("idempotencyKey") DO NOTHING. A planner only says who
// its candidates are (FROM … WHERE …), the key, the flow's context and what holds a row back.
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { patientZone } from "../domain/visits/due-times.ts";
import { SqlStatement as Statement, toNumber as toCount } from "../db/sql-statement.ts";
import type { SqlRunner } from "../db/sql-statement.ts";

export interface PlanContext {
  sql: SqlRunner;
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

export interface StartFlowPlan {
  ctx: PlanContext;
  category: "care" | "marketing" | "transactional";
  /**
   * `<tables> WHERE <conditions>` of the candidates, the patient aliased `p`; the rules (opt-out,
   * a reachable chat) are added here, so candidates include those they leave out.
   */
  from(s: Statement): string;
  /** The row's idempotency key, an SQL expression. */
  key(s: Statement): string;
  /** The flow's context: key → SQL expression. */
  context?(s: Statement): (readonly [string, string])[];
  /** Conditions that hold an otherwise eligible candidate back for now, counted under their name. */
  holds?: (readonly [name: string, when: (s: Statement) => string])[];
  /** ORDER BY of the inserted rows (the outbox sends them in this order). */
  orderBy?: string;
}

// A patient the clinic may write to: not opted out (care messages respect opt-out too) and with a
// chat that still takes messages. The web preview is not a channel a planner writes to.
const OPTED_OUT = `p."optedOutAt" IS NOT NULL`;
const REACHABLE = `EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."patientId" = p."id" AND i."unreachableAt" IS NULL AND i."channel" <> 'web')`;

/** Counts, then queues: two statements whatever the number of patients. */
export async function planStartFlows(plan: StartFlowPlan): Promise<PlanResult> {
  const { ctx } = plan;
  const holds = plan.holds ?? [];

  const stats = new Statement(ctx.sql.provider);
  const outcome = [
    `WHEN ${OPTED_OUT} THEN 'optedOut'`,
    `WHEN NOT ${REACHABLE} THEN 'noReachableChat'`,
    ...holds.map(([name, when]) => `WHEN ${when(stats)} THEN ${stats.text(name)}`),
  ].join(" ");
  const rows = await stats.run<{ outcome: string; n: unknown }[]>(
    ctx.sql,
    `SELECT t."outcome" AS "outcome", CAST(COUNT(*) AS INTEGER) AS "n"
     FROM (SELECT CASE ${outcome} ELSE 'eligible' END AS "outcome" FROM ${plan.from(stats)}) t
     GROUP BY t."outcome"`,
  );
  const counts: Record<string, number> = { candidates: 0, optedOut: 0, noReachableChat: 0 };
  for (const [name] of holds) counts[name] = 0;
  for (const r of rows) {
    counts[r.outcome] = toCount(r.n);
    counts.candidates! += toCount(r.n);
  }
  const eligible = counts.eligible ?? 0;
  delete counts.eligible;

  const s = new Statement(ctx.sql.provider);
  const now = s.time(ctx.now);
  const payload = s.jsonObject([
    ["startFlow", s.text(ctx.flowId)],
    ["context", s.jsonObject(plan.context?.(s) ?? [])],
  ]);
  const held = holds.map(([, when]) => ` AND NOT (${when(s)})`).join("");
  const inserted = await s.run<{ patientId: unknown }[]>(
    ctx.sql,
    `INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "patientId", "identityId", "kind", "category", "payload", "dueAt", "createdAt", "updatedAt")
     SELECT p."clinicId", ${plan.key(s)}, p."id", ${s.nullOf("INTEGER")}, 'start-flow', ${s.enumValue("MessageCategory", plan.category)}, ${payload}, ${now}, ${now}, ${now}
     FROM ${plan.from(s)} AND NOT ${OPTED_OUT} AND ${REACHABLE}${held}
     ORDER BY ${plan.orderBy ?? `p."id"`}
     ON CONFLICT ("idempotencyKey") DO NOTHING
     RETURNING "patientId"`,
  );
  const planned = inserted.length;
  const samplePatientIds: number[] = [];
  for (const r of inserted) {
    const id = toCount(r.patientId);
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
export async function recordSkippedStartFlows(plan: Omit<StartFlowPlan, "holds" | "orderBy"> & { where(s: Statement): string; reason: string }): Promise<number> {
  const { ctx } = plan;
  const s = new Statement(ctx.sql.provider);
  const now = s.time(ctx.now);
  const payload = s.jsonObject([
    ["startFlow", s.text(ctx.flowId)],
    ["context", s.jsonObject(plan.context?.(s) ?? [])],
  ]);
  const inserted = await s.run<unknown[]>(
    ctx.sql,
    `INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "patientId", "identityId", "kind", "category", "payload", "dueAt", "status", "lastError", "createdAt", "updatedAt")
     SELECT p."clinicId", ${plan.key(s)}, p."id", ${s.nullOf("INTEGER")}, 'start-flow', ${s.enumValue("MessageCategory", plan.category)}, ${payload}, ${now},
            ${s.enumValue("OutboxStatus", "skipped")}, ${s.text(plan.reason)}, ${now}, ${now}
     FROM ${plan.from(s)} AND NOT ${OPTED_OUT} AND ${REACHABLE} AND (${plan.where(s)})
     ON CONFLICT ("idempotencyKey") DO NOTHING
     RETURNING "id"`,
  );
  return inserted.length;
}

/**
 * Runs a plan once per group of patients who share a calendar: patients are grouped by their
 * zone (their own where valid, else the clinic's), and zones whose parameters come out the same
 * (the same local date, the same offsets) share one statement. `paramsFor` computes a zone's
 * parameters; `plan` queues the patients matching `where` (an SQL condition on `p`).
 */
export async function byPatientZone<P>(
  ctx: PlanContext,
  paramsFor: (zone: string) => P,
  plan: (params: P, where: (s: Statement) => string) => Promise<PlanResult>,
): Promise<PlanResult> {
  const s = new Statement(ctx.sql.provider);
  const rows = await s.run<{ timezone: string }[]>(
    ctx.sql,
    `SELECT DISTINCT p."timezone" AS "timezone" FROM "Patient" p WHERE p."clinicId" = ${s.value(ctx.clinicId)} AND p."timezone" IS NOT NULL ORDER BY 1`,
  );
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
    const where = (st: Statement) => {
      const parts = [...(group.withNull ? [`p."timezone" IS NULL`] : []), ...(group.zones.length > 0 ? [`p."timezone" IN (${st.list(group.zones)})`] : [])];
      return `(${parts.join(" OR ")})`;
    };
    total = addResults(total, await plan(group.params, where));
  }
  return total;
}
