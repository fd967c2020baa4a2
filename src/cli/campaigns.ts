// `carebot campaigns preview <id>` and `carebot campaigns run <id> [--dry-run] [--wait]`: who a
// campaign would write to, and queuing it. Queuing is one SQL statement ("queuing… done in N ms");
// on a terminal (or with --wait) the command then follows the rows' delivery by the service.
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import { findCampaign, InvalidSettings, UnknownCampaign } from "../campaigns/find.ts";
import type { ClinicCampaign } from "../campaigns/find.ts";
import { CAMPAIGN_TRIGGER } from "../campaigns/keys.ts";
import { runCampaign } from "../campaigns/run.ts";
import type { Config } from "../config.ts";
import { resolveClinic } from "../core.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import type { Segment } from "../domain/segments/schema.ts";
import { sampleSegment, segmentBreakdown } from "../domain/segments/query.ts";
import { loadFlowCatalog } from "../flows/loader/load-flows.ts";
import { createRegistry } from "../flows/registry/index.ts";
import type { Clock } from "../util/clock.ts";
import { systemClock } from "../util/clock.ts";
import { maskedPatientName } from "../util/privacy.ts";
import { deliveryVerdict, watchDelivery } from "./delivery-progress.ts";
import { EXIT_FAILURE, EXIT_USAGE } from "./errors.ts";

export const PREVIEW_SAMPLE = 10;

export interface CampaignIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  clock: Clock;
  /** How long the delivery may stand still before the command stops watching (default 20 s). */
  stallMs?: number;
}

const defaultIo = (): CampaignIo => ({ stdout: process.stdout, stderr: process.stderr, clock: systemClock });

export { maskedPatientName };

/** The segment's conditions in a line, as the settings say them. */
export function describeSegment(segment: Segment): string {
  const { id: _id, title: _title, ...conditions } = segment;
  const parts = Object.entries(conditions).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`);
  return parts.length > 0 ? parts.join(", ") : "no conditions (every patient CareBot may write to)";
}

/** Opens the database, finds the campaign; exit code 2 with one line for an unknown id or bad settings. */
async function withCampaign(config: Config, campaignId: string, io: CampaignIo, fn: (db: Database, target: ClinicCampaign) => Promise<number>): Promise<number> {
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    let target: ClinicCampaign;
    try {
      target = await findCampaign(db.prisma, clinic.id, campaignId);
    } catch (error) {
      if (error instanceof UnknownCampaign || error instanceof InvalidSettings) {
        io.stderr.write(`carebot: ${error.message}\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
    return await fn(db, target);
  } finally {
    await db.close();
  }
}

function header(target: ClinicCampaign): string {
  const { campaign, segment } = target;
  return `Campaign ${campaign.id} «${campaign.title}» → flow ${campaign.flow}, segment ${segment.id} «${segment.title}»: ${describeSegment(segment)}`;
}

export function previewCampaignCommand(config: Config, campaignId: string, io: CampaignIo = defaultIo()): Promise<number> {
  return withCampaign(config, campaignId, io, async (db, target) => {
    const print = (line = "") => io.stdout.write(`${line}\n`);
    const scope = { clinicId: target.clinic.id, timezone: target.clinic.timezone, now: io.clock.now() };
    const counts = await segmentBreakdown(db, target.segment, scope);
    const sample = await sampleSegment(db, target.segment, scope, PREVIEW_SAMPLE);
    print(header(target));
    print(
      `Segment size: ${counts.size} patient(s)` +
        (counts.matching > counts.size ? ` (${counts.matching} match the conditions; left out: ${counts.optedOut} opted out, ${counts.noReachableChat} with no reachable chat)` : ""),
    );
    if (target.campaign.offer?.text) print(`Offer: ${target.campaign.offer.text}`);
    if (sample.length === 0) {
      print("Nobody to write to.");
      return 0;
    }
    print(`Sample (${sample.length} of ${counts.size}):`);
    const rows = sample.map((p) => [
      p.externalId,
      maskedPatientName(p.fullName),
      p.lastCompletedVisitAt ? DateTime.fromJSDate(p.lastCompletedVisitAt, { zone: target.clinic.timezone }).toISODate()! : "—",
      String(p.balance),
    ]);
    const titles = ["external id", "name", "last visit", "balance"];
    const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => [...r[i]!].length)));
    const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ")}`.trimEnd();
    print(line(titles));
    for (const r of rows) print(line(r));
    return 0;
  });
}

/** The campaign's flow must exist and declare that campaigns start it. */
function checkFlow(config: Config, target: ClinicCampaign, io: CampaignIo): number | null {
  const { catalog } = loadFlowCatalog({ flowsDir: config.flowsDir, templatesDir: config.templatesDir, registry: createRegistry() });
  if (!catalog) {
    io.stderr.write("carebot: the flows have problems; `carebot flows validate` lists them. Nothing was queued.\n");
    return EXIT_FAILURE;
  }
  const flow = catalog.get(target.campaign.flow);
  if (!flow) {
    io.stderr.write(`carebot: campaign "${target.campaign.id}" starts flow "${target.campaign.flow}", which does not exist (flows: ${[...catalog.flows.keys()].sort().join(", ")})\n`);
    return EXIT_USAGE;
  }
  if (!flow.def.triggers.scheduled.includes(CAMPAIGN_TRIGGER)) {
    io.stderr.write(`carebot: flow "${flow.def.id}" is not for campaigns: its triggers.scheduled must list "${CAMPAIGN_TRIGGER}"\n`);
    return EXIT_USAGE;
  }
  return null;
}

export function runCampaignCommand(config: Config, campaignId: string, options: { dryRun?: boolean; wait?: boolean }, io: CampaignIo = defaultIo()): Promise<number> {
  return withCampaign(config, campaignId, io, async (db, target) => {
    const refused = checkFlow(config, target, io);
    if (refused !== null) return refused;
    const print = (line = "") => io.stdout.write(`${line}\n`);
    print(header(target));
    const dryRun = options.dryRun === true;
    io.stdout.write(dryRun ? "counting (dry run, nothing is written)… " : "queuing… ");
    const started = performance.now();
    const now = io.clock.now();
    const run = await runCampaign(db, target, now, { dryRun });
    io.stdout.write(`done in ${Math.round(performance.now() - started)} ms\n`);
    if (dryRun) {
      print(`Would queue ${run.queued}; already queued ${run.alreadyQueued} (segment: ${run.segmentSize} patient(s)).`);
      return 0;
    }
    print(`Queued ${run.queued}; already queued ${run.alreadyQueued} (segment: ${run.segmentSize} patient(s)). The dispatcher sends them, respecting quiet hours and the marketing frequency cap.`);
    if (run.queued === 0 || !(options.wait ?? io.stdout.isTTY === true)) return 0;
    // The run stamps its rows with its instant: exactly the rows this run queued.
    const where = { clinicId: target.clinic.id, campaignId: target.campaign.id, createdAt: now };
    const stallMs = io.stallMs ?? 20_000;
    print(deliveryVerdict(await watchDelivery({ db, where, total: run.queued, clock: io.clock, output: io.stdout, stallMs }), stallMs));
    return 0;
  });
}
