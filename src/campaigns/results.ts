// What a campaign achieved, counted over the rows it sent: one aggregate statement for the
// patients and one for the money, whatever the size of the campaign.
import type { Database } from "../db/client.ts";
import type { Campaign } from "../domain/clinic/settings.ts";
import { SqlStatement as SqlParams, toNumber, withinDaysAfter } from "../db/sql-statement.ts";
import { skippedForAdvertisingConsent } from "./advertising-consent.ts";

export interface CampaignResults {
  campaignId: string;
  title: string;
  /** Rows queued for the campaign, whatever became of them. */
  queued: number;
  /** Rows skipped because the patient had no advertising consent when it was to be sent. */
  skippedNoAdvertisingConsent: number;
  /** Rows sent: patients the message reached. */
  reached: number;
  /** Reached patients who wrote to the clinic (an inbound message) after it. */
  replied: number;
  /** Reached patients with an appointment made after it. */
  booked: number;
  /** Reached patients with a completed visit within `cameBackWithinDays` after it. */
  cameBack: number;
  /** The amounts of those visits, in minor units (kopecks). */
  revenue: number;
  cameBackWithinDays: number;
}

export async function campaignResults(db: Database, clinicId: number, campaign: Pick<Campaign, "id" | "title" | "cameBackWithinDays">): Promise<CampaignResults> {
  const days = campaign.cameBackWithinDays;
  const ofCampaign = (params: SqlParams) => `o."clinicId" = ${params.value(clinicId)} AND o."campaignId" = ${params.value(campaign.id)}`;
  const SENT = `o."status" = 'sent' AND o."sentAt" IS NOT NULL AND o."patientId" IS NOT NULL`;
  const cameBackVisit = (params: SqlParams) =>
    `v."patientId" = o."patientId" AND v."status" = 'completed' AND v."completedAt" > o."sentAt" AND ${withinDaysAfter(params, `o."sentAt"`, `v."completedAt"`, days)}`;

  const counts = new SqlParams(db.provider);
  const [row] = await counts.run<Record<"queued" | "reached" | "replied" | "booked" | "cameBack", unknown>[]>(
    db,
    `SELECT COUNT(*) AS "queued",
       COALESCE(SUM(CASE WHEN ${SENT} THEN 1 ELSE 0 END), 0) AS "reached",
       COALESCE(SUM(CASE WHEN ${SENT} AND EXISTS (
         SELECT 1 FROM "Message" m JOIN "ChannelIdentity" i ON i."id" = m."identityId"
         WHERE i."patientId" = o."patientId" AND m."direction" = 'inbound' AND m."createdAt" > o."sentAt"
       ) THEN 1 ELSE 0 END), 0) AS "replied",
       COALESCE(SUM(CASE WHEN ${SENT} AND EXISTS (
         SELECT 1 FROM "Appointment" a WHERE a."patientId" = o."patientId" AND a."createdAt" > o."sentAt"
       ) THEN 1 ELSE 0 END), 0) AS "booked",
       COALESCE(SUM(CASE WHEN ${SENT} AND EXISTS (SELECT 1 FROM "Visit" v WHERE ${cameBackVisit(counts)}) THEN 1 ELSE 0 END), 0) AS "cameBack"
     FROM "Outbox" o WHERE ${ofCampaign(counts)}`,
  );

  // A patient has one row per campaign (its key), so no visit is counted twice.
  const money = new SqlParams(db.provider);
  const [sum] = await money.run<{ revenue: unknown }[]>(
    db,
    `SELECT COALESCE(SUM(v."amount"), 0) AS "revenue"
     FROM "Outbox" o JOIN "Visit" v ON ${cameBackVisit(money)}
     WHERE ${ofCampaign(money)} AND ${SENT}`,
  );

  return {
    campaignId: campaign.id,
    title: campaign.title,
    queued: toNumber(row?.queued),
    skippedNoAdvertisingConsent: await skippedForAdvertisingConsent(db, clinicId, campaign.id),
    reached: toNumber(row?.reached),
    replied: toNumber(row?.replied),
    booked: toNumber(row?.booked),
    cameBack: toNumber(row?.cameBack),
    revenue: toNumber(sum?.revenue),
    cameBackWithinDays: days,
  };
}
