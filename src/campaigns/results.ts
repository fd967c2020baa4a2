// What a campaign achieved, counted over the rows it sent: one aggregate statement for the
// patients and one for the money, whatever the size of the campaign.
import type { Database } from "../db/client.ts";
import type { Campaign } from "../domain/clinic/settings.ts";
import { expressionBuilder } from "kysely";
import { countWhere, sumOf, toNumber, typedSql, withinDaysAfter } from "../db/kysely/index.ts";
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
  const q = typedSql(db);
  const ofCampaign = q.selectFrom("Outbox as o").where("o.clinicId", "=", clinicId).where("o.campaignId", "=", campaign.id);
  const eb = expressionBuilder(ofCampaign);
  const sent = eb.and([eb("o.status", "=", "sent"), eb("o.sentAt", "is not", null), eb("o.patientId", "is not", null)]);
  const visits = eb.selectFrom("Visit as v");
  const ev = expressionBuilder(visits);
  // A completed visit of the reached patient within `days` after the message.
  const cameBack = ev.and([
    ev("v.patientId", "=", ev.ref("o.patientId")),
    ev("v.status", "=", "completed"),
    ev("v.completedAt", ">", ev.ref("o.sentAt")),
    withinDaysAfter(q.provider, ev.ref("o.sentAt"), ev.ref("v.completedAt"), days),
  ]);

  const row = await ofCampaign
    .select([
      eb.fn.countAll().as("queued"),
      countWhere(sent).as("reached"),
      countWhere(
        eb.and([
          sent,
          eb.exists(
            eb
              .selectFrom("Message as m")
              .innerJoin("ChannelIdentity as i", "i.id", "m.identityId")
              .select(eb.lit(1).as("one"))
              .whereRef("i.patientId", "=", "o.patientId")
              .where("m.direction", "=", "inbound")
              .whereRef("m.createdAt", ">", "o.sentAt"),
          ),
        ]),
      ).as("replied"),
      countWhere(
        eb.and([
          sent,
          eb.exists(eb.selectFrom("Appointment as a").select(eb.lit(1).as("one")).whereRef("a.patientId", "=", "o.patientId").whereRef("a.createdAt", ">", "o.sentAt")),
        ]),
      ).as("booked"),
      countWhere(eb.and([sent, eb.exists(visits.select(eb.lit(1).as("one")).where(cameBack))])).as("cameBack"),
    ])
    .executeTakeFirst();

  // A patient has one row per campaign (its key), so no visit is counted twice.
  const sum = await ofCampaign
    .innerJoin("Visit as v", (join) => join.on(cameBack))
    .where(sent)
    .select((e) => sumOf(e.ref("v.amount")).as("revenue"))
    .executeTakeFirst();

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
