// Running a campaign queues one start-flow outbox row per patient of its segment, all in one
// INSERT … SELECT … ON CONFLICT ("idempotencyKey") DO NOTHING: no loop over patients, and a
// second run (or one beside it) queues nobody twice. The dispatcher applies quiet hours, the
// marketing frequency cap and opt-out when it sends each row.
import type { Database, Db } from "../db/client.ts";
import { compileSegment } from "../domain/segments/compile.ts";
import type { CompiledSegment, SegmentScope } from "../domain/segments/compile.ts";
import { enumConstant, SqlStatement as SqlParams, toNumber } from "../db/sql-statement.ts";
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

/** The row's idempotency key as SQL: `campaign:<campaignId>:<patientId>`. */
function keySql(params: SqlParams, campaignId: string): string {
  // campaignKey(id, 42) with the patient's id spliced in by the database.
  const prefix = campaignKey(campaignId, 0).slice(0, -1);
  return `${params.text(prefix)} || CAST(p."id" AS TEXT)`;
}

/** How many patients the segment has and how many of them already have the campaign's row: one statement. */
async function countQueued(db: Database, target: ClinicCampaign, scope: SegmentScope): Promise<{ size: number; queued: number }> {
  const params = new SqlParams(db.provider);
  const s = compileSegment(target.segment, scope, params);
  const rows = await params.run<{ size: unknown; queued: unknown }[]>(
    db,
    `SELECT COUNT(*) AS "size",
            COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "Outbox" o WHERE o."idempotencyKey" = ${keySql(params, target.campaign.id)}) THEN 1 ELSE 0 END), 0) AS "queued"
     FROM ${s.from} WHERE ${s.where}`,
  );
  return { size: toNumber(rows[0]?.size), queued: toNumber(rows[0]?.queued) };
}

/** The one INSERT … SELECT of a run; returns the rows it inserted. */
async function insertRows(db: Database, target: ClinicCampaign, scope: SegmentScope): Promise<number> {
  const params = new SqlParams(db.provider);
  const s: CompiledSegment = compileSegment(target.segment, scope, params);
  const now = params.time(scope.now);
  const sql = `INSERT INTO "Outbox" ("clinicId", "idempotencyKey", "patientId", "kind", "category", "campaignId", "payload", "dueAt", "createdAt", "updatedAt")
     SELECT p."clinicId", ${keySql(params, target.campaign.id)}, p."id", 'start-flow', ${enumConstant(db.provider, "MessageCategory", "marketing")},
            ${params.text(target.campaign.id)}, ${params.json(campaignPayload(target))}, ${now}, ${now}, ${now}
     FROM ${s.from} WHERE ${s.where}
     ORDER BY p."id"
     ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return params.execute(db, sql);
}

/**
 * Queues the campaign for its segment now (due at once), or with `dryRun` only counts. The count
 * and the insert share a transaction, so "queued" and "already queued" describe the same segment.
 */
export async function runCampaign(db: Database, target: ClinicCampaign, now: Date, options: { dryRun?: boolean } = {}): Promise<CampaignRun> {
  const scope: SegmentScope = { clinicId: target.clinic.id, timezone: target.clinic.timezone, now };
  const base = { campaignId: target.campaign.id, dryRun: options.dryRun === true };
  if (options.dryRun) {
    const { size, queued } = await countQueued(db, target, scope);
    return { ...base, segmentSize: size, queued: size - queued, alreadyQueued: queued };
  }
  return db.prisma.$transaction(
    async (tx) => {
      // The caller's transaction as a Database: what it runs joins the transaction.
      const inTx: Database = { prisma: tx as Db, provider: db.provider, transaction: (work) => work(tx), close: async () => {} };
      const { size } = await countQueued(inTx, target, scope);
      const inserted = await insertRows(inTx, target, scope);
      // Under a run beside this one, a row it inserted first counts as already queued.
      return { ...base, segmentSize: size, queued: inserted, alreadyQueued: Math.max(0, size - inserted) };
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
