// What running a campaign now would do, for its builder in the console: who gets it, who is left
// out and why, by the rules the dispatcher applies when it sends (opt-out, a reachable chat, once
// per patient, the marketing frequency cap, quiet hours). Counts only; nothing is written.
import { DateTime } from "luxon";
import type { Database } from "../db/client.ts";
import { SqlStatement as SqlParams, toNumber } from "../db/sql-statement.ts";
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { compileSegment } from "../domain/segments/compile.ts";
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
  const params = new SqlParams(db.provider);
  const s = compileSegment(input.segment, input.scope, params);
  const prefix = campaignKey(input.campaignId, 0).slice(0, -1);
  const capSince = new Date(input.scope.now.getTime() - capDays * 86_400_000);
  const rows = await params.run<{ queued: unknown; capped: unknown }[]>(
    db,
    `SELECT COALESCE(SUM(CASE WHEN q."queued" = 1 THEN 1 ELSE 0 END), 0) AS "queued",
            COALESCE(SUM(CASE WHEN q."queued" = 0 AND q."capped" = 1 THEN 1 ELSE 0 END), 0) AS "capped"
     FROM (
       SELECT CASE WHEN EXISTS (SELECT 1 FROM "Outbox" o WHERE o."idempotencyKey" = ${params.text(prefix)} || CAST(p."id" AS TEXT)) THEN 1 ELSE 0 END AS "queued",
              CASE WHEN ${capDays > 0 ? "" : "1 = 0 AND "}EXISTS (
                SELECT 1 FROM "Outbox" m WHERE m."patientId" = p."id" AND m."category" = 'marketing' AND m."kind" = 'start-flow' AND m."status" = 'sent' AND m."sentAt" > ${params.time(capSince)}
              ) THEN 1 ELSE 0 END AS "capped"
       FROM ${s.from} WHERE ${s.where}
     ) q`,
  );
  const alreadyQueued = toNumber(rows[0]?.queued);
  const quiet = quietUntil(input.scope.now, input.scope.timezone, input.settings.quietHours);
  return {
    wouldQueue: breakdown.size - alreadyQueued,
    delayedByCap: toNumber(rows[0]?.capped),
    matching: breakdown.matching,
    optedOut: breakdown.optedOut,
    noReachableChat: breakdown.noReachableChat,
    alreadyQueued,
    noAdvertisingConsent: await segmentWithoutAdvertisingConsent(db, input.segment, input.scope),
    quietUntil: quiet ? DateTime.fromJSDate(quiet, { zone: input.scope.timezone }).toFormat("HH:mm") : null,
    marketingCapDays: capDays,
  };
}
