// What running a campaign now would do, for its builder in the console: who gets it, who is left
// out and why, by the rules the dispatcher applies when it sends (opt-out, a reachable chat, once
// per patient, the marketing frequency cap, quiet hours). Counts only; nothing is written.
import { DateTime } from "luxon";
import type { Database } from "../db/client.ts";
import { concat, countWhere, text, toNumber, typedSql } from "../db/kysely/index.ts";
import { segmentQuery } from "../db/queries/segments.ts";
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { segmentCriteria } from "../domain/segments/compile.ts";
import type { SegmentScope } from "../domain/segments/compile.ts";
import { segmentBreakdown } from "../domain/segments/query.ts";
import type { Segment } from "../domain/segments/schema.ts";
import { quietUntil } from "../outbox/rules.ts";
import { campaignKey } from "./keys.ts";
import { segmentWithoutAdvertisingConsent } from "./advertising-consent.ts";

export interface CampaignDryRun {
  /** Patients the message would be queued for now. */
  wouldQueue: number;
  /** Of those, patients a marketing message reached within the frequency cap: theirs waits until the cap ends. */
  delayedByCap: number;
  /** Patients matching the segment's conditions. */
  matching: number;
  /** Left out: opted out of messages. */
  optedOut: number;
  /** Left out: no chat CareBot can write to. */
  noReachableChat: number;
  /** Left out: this campaign already went to them (a campaign writes to a patient once). */
  alreadyQueued: number;
  /** Of the segment, patients without an advertising consent: their rows are skipped when sent. */
  noAdvertisingConsent: number;
  /** The clinic's quiet hours hold marketing now: the messages go from this time ("09:00"), else null. */
  quietUntil: string | null;
  marketingCapDays: number;
}

export interface CampaignDryRunInput {
  campaignId: string;
  segment: Segment;
  scope: SegmentScope;
  settings: Pick<ClinicSettings, "marketingCapDays" | "quietHours">;
}

export async function campaignDryRun(db: Database, input: CampaignDryRunInput): Promise<CampaignDryRun> {
  const breakdown = await segmentBreakdown(db, input.segment, input.scope);
  const capDays = input.settings.marketingCapDays;
  const prefix = campaignKey(input.campaignId, 0).slice(0, -1);
  const capSince = new Date(input.scope.now.getTime() - capDays * 86_400_000);
  const q = typedSql(db);
  const { members } = segmentQuery(q, segmentCriteria(input.segment, input.scope));
  const row = await members
    .select((eb) => {
      const queued = eb.exists(eb.selectFrom("Outbox as o").select(eb.lit(1).as("one")).where("o.idempotencyKey", "=", concat(text(prefix), eb.ref("p.id"))));
      // A marketing message reached the patient within the cap: theirs waits until the cap ends.
      const capped = eb.exists(
        eb
          .selectFrom("Outbox as m")
          .select(eb.lit(1).as("one"))
          .whereRef("m.patientId", "=", "p.id")
          .where("m.category", "=", "marketing")
          .where("m.kind", "=", "start-flow")
          .where("m.status", "=", "sent")
          .where("m.sentAt", ">", capSince),
      );
      return [countWhere(queued).as("queued"), countWhere(capDays > 0 ? eb.and([eb.not(queued), capped]) : eb.lit(false)).as("capped")];
    })
    .executeTakeFirst();
  const alreadyQueued = toNumber(row?.queued);
  const quiet = quietUntil(input.scope.now, input.scope.timezone, input.settings.quietHours);
  return {
    wouldQueue: breakdown.size - alreadyQueued,
    delayedByCap: toNumber(row?.capped),
    matching: breakdown.matching,
    optedOut: breakdown.optedOut,
    noReachableChat: breakdown.noReachableChat,
    alreadyQueued,
    noAdvertisingConsent: await segmentWithoutAdvertisingConsent(db, input.segment, input.scope),
    quietUntil: quiet ? DateTime.fromJSDate(quiet, { zone: input.scope.timezone }).toFormat("HH:mm") : null,
    marketingCapDays: capDays,
  };
}
