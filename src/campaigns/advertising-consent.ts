// Campaigns are advertising: the dispatcher skips every patient without an advertising consent in
// force (src/domain/consents). These count them for the preview and the results; the rule
// lives with the others every message obeys (src/db/queries/patient-rules.ts).
import type { Database } from "../db/client.ts";
import { enumValue, toNumber, typedSql } from "../db/kysely/index.ts";
import { hasAdvertisingConsent } from "../db/queries/patient-rules.ts";
import { segmentQuery } from "../db/queries/segments.ts";
import { SKIP_REASONS } from "../domain/consents/sending-rules.ts";
import { segmentCriteria } from "../domain/segments/compile.ts";
import type { SegmentScope } from "../domain/segments/compile.ts";
import type { Segment } from "../domain/segments/schema.ts";

/** Of the segment's patients (those a campaign queues), how many have no advertising consent: one statement. */
export async function segmentWithoutAdvertisingConsent(db: Database, segment: Segment, scope: SegmentScope): Promise<number> {
  const row = await segmentQuery(typedSql(db), segmentCriteria(segment, scope))
    .members.where((eb) => eb.not(hasAdvertisingConsent))
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return toNumber(row?.n);
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
