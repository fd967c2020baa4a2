// Campaigns are advertising: the dispatcher skips every patient without an advertising consent in
// force (src/domain/consents). These count them for the preview and the results; the segment
// compiler stays as it is (a campaign filter, not a segment condition).
import type { Database } from "../db/client.ts";
import { enumValue, typedSql } from "../db/kysely/index.ts";
import { SqlStatement as SqlParams, toNumber } from "../db/sql-statement.ts";
import { SKIP_REASONS } from "../domain/consents/sending-rules.ts";
import { compileSegment } from "../domain/segments/compile.ts";
import type { SegmentScope } from "../domain/segments/compile.ts";
import type { Segment } from "../domain/segments/schema.ts";

/** The patient `p` has an advertising consent in force (the latest change gave it). */
const HAS_ADVERTISING_CONSENT = `EXISTS (SELECT 1 FROM "Consent" c WHERE c."patientId" = p."id" AND c."kind" = 'advertising' AND c."supersededAt" IS NULL AND c."granted" = TRUE)`;

/** Of the segment's patients (those a campaign queues), how many have no advertising consent: one statement. */
export async function segmentWithoutAdvertisingConsent(db: Database, segment: Segment, scope: SegmentScope): Promise<number> {
  const params = new SqlParams(db.provider);
  const s = compileSegment(segment, scope, params);
  const rows = await params.run<{ n: unknown }[]>(db, `SELECT COUNT(*) AS "n" FROM ${s.from} WHERE ${s.where} AND NOT ${HAS_ADVERTISING_CONSENT}`);
  return toNumber(rows[0]?.n);
}

/** The campaign's rows the dispatcher skipped for want of an advertising consent. */
export async function skippedForAdvertisingConsent(db: Database, clinicId: number, campaignId: string): Promise<number> {
  const q = typedSql(db);
  const row = await q
    .selectFrom("Outbox")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("clinicId", "=", clinicId)
    .where("campaignId", "=", campaignId)
    .where("status", "=", enumValue(q.provider, "OutboxStatus", "skipped"))
    .where("lastError", "=", SKIP_REASONS.noAdvertisingConsent)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
