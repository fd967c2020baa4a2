// Running a campaign queues one start-flow outbox row per patient of its segment, all in one
// statement (an insert from a select that skips the keys already queued): no loop over patients, and a
// second run (or one beside it) queues nobody twice. The dispatcher applies quiet hours, the
// marketing frequency cap and opt-out when it sends each row.
import type { Expression } from "kysely";
import type { Database } from "../db/client.ts";
import { concat, countWhere, enumValue, json, text, time, toNumber, typedSql, typedSqlOn } from "../db/kysely/index.ts";
import type { TypedSql } from "../db/kysely/index.ts";
import { segmentQuery } from "../db/queries/segments.ts";
import { segmentCriteria } from "../domain/segments/compile.ts";
import type { SegmentScope } from "../domain/segments/compile.ts";
import type { StartFlowPayload } from "../domain/visits/care-outbox.ts";
import type { ClinicCampaign } from "./find.ts";
import { campaignKey } from "./keys.ts";
import type { CampaignContext } from "./keys.ts";

export interface CampaignRun {
  campaignId: string;
  /** Patients in the segment now. */
  segmentSize: number;
  /** Rows this run queued (a dry run: would queue). */
  queued: number;
  /** Patients of the segment an earlier run already queued. */
  alreadyQueued: number;
  dryRun: boolean;
}

/** The payload every row of the campaign carries: the same for each patient. */
export function campaignPayload(target: ClinicCampaign): Omit<StartFlowPayload, "context"> & { context: CampaignContext } {
  return {
    startFlow: target.campaign.flow,
    context: {
      campaignId: target.campaign.id,
      offerText: target.campaign.offer?.text ?? null,
      offerTextEn: target.campaign.offer?.textEn ?? null,
      offerPoints: target.campaign.offer?.bonusPoints ?? null,
      offerValidDays: target.campaign.offer?.validDays ?? null,
    },
  };
}

/** The row's idempotency key, `campaign:<campaignId>:<patientId>`, as written by the database per patient. */
function keyOf(campaignId: string, patientId: Expression<number>) {
  // campaignKey(id, 42) with the patient's id spliced in by the database.
  return concat(text(campaignKey(campaignId, 0).slice(0, -1)), patientId);
}

/** How many patients the segment has and how many of them already have the campaign's row: one statement. */
async function countQueued(q: TypedSql, target: ClinicCampaign, scope: SegmentScope): Promise<{ size: number; queued: number }> {
  const row = await segmentQuery(q, segmentCriteria(target.segment, scope))
    .members.select((eb) => [
      eb.fn.countAll().as("size"),
      countWhere(eb.exists(eb.selectFrom("Outbox as o").select(eb.lit(1).as("one")).where("o.idempotencyKey", "=", keyOf(target.campaign.id, eb.ref("p.id"))))).as("queued"),
    ])
    .executeTakeFirst();
  return { size: toNumber(row?.size), queued: toNumber(row?.queued) };
}

/** The run's one insert from a select; returns the rows it inserted. */
async function insertRows(q: TypedSql, target: ClinicCampaign, scope: SegmentScope): Promise<number> {
  const now = time(q.provider, scope.now);
  const rows = segmentQuery(q, segmentCriteria(target.segment, scope))
    .members.select((eb) => [
      "p.clinicId",
      keyOf(target.campaign.id, eb.ref("p.id")).as("idempotencyKey"),
      "p.id",
      text("start-flow").as("kind"),
      enumValue(q.provider, "MessageCategory", "marketing").as("category"),
      text(target.campaign.id).as("campaignId"),
      json(q.provider, campaignPayload(target)).as("payload"),
      now.as("dueAt"),
      now.as("createdAt"),
      now.as("updatedAt"),
    ])
    .orderBy("p.id");
  const result = await q
    .insertInto("Outbox")
    .columns(["clinicId", "idempotencyKey", "patientId", "kind", "category", "campaignId", "payload", "dueAt", "createdAt", "updatedAt"])
    .expression(rows)
    .onConflict((oc) => oc.column("idempotencyKey").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Queues the campaign for its segment now (due at once), or with `dryRun` only counts. The count
 * and the insert share a transaction, so "queued" and "already queued" describe the same segment.
 */
export async function runCampaign(db: Database, target: ClinicCampaign, now: Date, options: { dryRun?: boolean } = {}): Promise<CampaignRun> {
  const scope: SegmentScope = { clinicId: target.clinic.id, timezone: target.clinic.timezone, now };
  const base = { campaignId: target.campaign.id, dryRun: options.dryRun === true };
  if (options.dryRun) {
    const { size, queued } = await countQueued(typedSql(db), target, scope);
    return { ...base, segmentSize: size, queued: size - queued, alreadyQueued: queued };
  }
  return db.transaction(
    async (tx) => {
      // Both statements join the transaction.
      const q = typedSqlOn(tx, db.provider);
      const { size } = await countQueued(q, target, scope);
      const inserted = await insertRows(q, target, scope);
      // Under a run beside this one, a row it inserted first counts as already queued.
      return { ...base, segmentSize: size, queued: inserted, alreadyQueued: Math.max(0, size - inserted) };
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
