// `carebot campaigns preview <id>` and `carebot campaigns run <id> [--dry-run] [--wait]`: who a
// campaign would write to, and queuing it. Queuing is one SQL statement ("queuing… done in N ms");
// on a terminal (or with --wait) the command then follows the rows' delivery by the service.
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import { findCampaign, InvalidSettings, UnknownCampaign } from "../campaigns/find.ts";
import type { ClinicCampaign } from "../campaigns/find.ts";
import { CAMPAIGN_TRIGGER } from "../campaigns/keys.ts";
import { runCampaign } from "../campaigns/run.ts";
import { segmentWithoutAdvertisingConsent } from "../campaigns/advertising-consent.ts";
import type { Config } from "../config.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import type { Database } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import type { Segment } from "../domain/segments/schema.ts";
import { sampleSegment, segmentBreakdown } from "../domain/segments/query.ts";
import { loadFlowCatalog } from "../flows/loader/load-flows.ts";
import { createRegistry } from "../flows/registry/index.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { plural } from "../i18n/plural.ts";
import type { Clock } from "../util/clock.ts";
import { systemClock } from "../util/clock.ts";
import { maskedPatientName } from "../util/privacy.ts";
import { deliveryVerdict, watchDelivery } from "./delivery-progress.ts";
import { EXIT_FAILURE, EXIT_USAGE } from "./errors.ts";

export const PREVIEW_SAMPLE = 10;

const TEXT: Dictionary<
  | "noConditions" | "unknownCampaign" | "noneDeclared" | "invalidSettings" | "header" | "segmentSize" | "leftOut" | "offer" | "nobody" | "sample"
  | "colId" | "colName" | "colLastVisit" | "colBalance" | "flowsBroken" | "noFlow" | "notForCampaigns" | "counting" | "queuing" | "done" | "wouldQueue" | "queued" | "noAdConsent"
> = {
  ru: {
    noConditions: "без условий (все пациенты, которым CareBot может писать)",
    unknownCampaign: "в настройках клиники нет рассылки «{id}» (рассылки: {known})",
    noneDeclared: "ни одной",
    invalidSettings: "в настройках клиники ошибки: {problems}",
    header: "Рассылка {id} «{title}» → сценарий {flow}, сегмент {segment} «{segmentTitle}»: {conditions}",
    segmentSize: "В сегменте: {size}",
    leftOut: " (подходят под условия — {matching}; не вошли: отписались — {optedOut}, нет доступного чата — {noReachableChat})",
    offer: "Предложение: {text}",
    nobody: "Писать некому.",
    sample: "Примеры ({shown} из {size}):",
    colId: "внешний id",
    colName: "имя",
    colLastVisit: "последний визит",
    colBalance: "баллы",
    flowsBroken: "carebot: в сценариях есть ошибки, их перечисляет `carebot flows validate`. В очередь ничего не поставлено.",
    noFlow: "carebot: рассылка «{id}» запускает сценарий «{flow}», а его нет (сценарии: {known})",
    notForCampaigns: "carebot: сценарий «{flow}» не для рассылок: в его triggers.scheduled должно быть «{trigger}»",
    counting: "считаем (пробный прогон, ничего не записывается)… ",
    queuing: "ставим в очередь… ",
    done: "готово за {ms} мс",
    wouldQueue: "Было бы поставлено в очередь: {queued}; уже в очереди: {alreadyQueued} (в сегменте: {size}).",
    noAdConsent: "Без согласия на рекламу: {n} — им рассылка не уйдёт (пациент даёт согласие в чате словом «согласия», клиника — через МИС или импорт).",
    queued: "Поставлено в очередь: {queued}; уже в очереди: {alreadyQueued} (в сегменте: {size}). Их отправит сервис с учётом тихих часов и ограничения частоты рекламных сообщений.",
  },
  en: {
    noConditions: "no conditions (every patient CareBot may write to)",
    unknownCampaign: 'no campaign "{id}" in the clinic\'s settings (campaigns: {known})',
    noneDeclared: "none declared",
    invalidSettings: "the clinic's settings are invalid: {problems}",
    header: "Campaign {id} «{title}» → flow {flow}, segment {segment} «{segmentTitle}»: {conditions}",
    segmentSize: "Segment size: {size}",
    leftOut: " ({matching} match the conditions; left out: {optedOut} opted out, {noReachableChat} with no reachable chat)",
    offer: "Offer: {text}",
    nobody: "Nobody to write to.",
    sample: "Sample ({shown} of {size}):",
    colId: "external id",
    colName: "name",
    colLastVisit: "last visit",
    colBalance: "balance",
    flowsBroken: "carebot: the flows have problems; `carebot flows validate` lists them. Nothing was queued.",
    noFlow: 'carebot: campaign "{id}" starts flow "{flow}", which does not exist (flows: {known})',
    notForCampaigns: 'carebot: flow "{flow}" is not for campaigns: its triggers.scheduled must list "{trigger}"',
    counting: "counting (dry run, nothing is written)… ",
    queuing: "queuing… ",
    done: "done in {ms} ms",
    wouldQueue: "Would queue {queued}; already queued {alreadyQueued} (segment: {size}).",
    noAdConsent: "Without advertising consent: {n} — they will not get it (a patient gives consent in the chat with the word “consents”, the clinic through the MIS or an import).",
    queued: "Queued {queued}; already queued {alreadyQueued} (segment: {size}). The dispatcher sends them, respecting quiet hours and the marketing frequency cap.",
  },
};

/** "12 пациентов" / "12 patient(s)". */
const patients = (n: number, lang: Lang) => (lang === "ru" ? `${n} ${plural(n, ["пациент", "пациента", "пациентов"])}` : `${n} patient(s)`);

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
export function describeSegment(segment: Segment, lang: Lang = "en"): string {
  const { id: _id, title: _title, ...conditions } = segment;
  const parts = Object.entries(conditions).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`);
  return parts.length > 0 ? parts.join(", ") : textsOf(TEXT, lang).noConditions;
}

/** Opens the database, finds the campaign; exit code 2 with one line for an unknown id or bad settings. */
async function withCampaign(config: Config, campaignId: string, io: CampaignIo, lang: Lang, fn: (db: Database, target: ClinicCampaign) => Promise<number>): Promise<number> {
  const t = textsOf(TEXT, lang);
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    let target: ClinicCampaign;
    try {
      target = await findCampaign(db.prisma, clinic.id, campaignId);
    } catch (error) {
      if (error instanceof UnknownCampaign) {
        io.stderr.write(`carebot: ${fill(t.unknownCampaign, { id: error.campaignId, known: error.known.length > 0 ? error.known.join(", ") : t.noneDeclared })}\n`);
        return EXIT_USAGE;
      }
      if (error instanceof InvalidSettings) {
        io.stderr.write(`carebot: ${fill(t.invalidSettings, { problems: error.problems.join("; ") })}\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
    return await fn(db, target);
  } finally {
    await db.close();
  }
}

function header(target: ClinicCampaign, lang: Lang): string {
  const { campaign, segment } = target;
  const values = { id: campaign.id, title: campaign.title, flow: campaign.flow, segment: segment.id, segmentTitle: segment.title, conditions: describeSegment(segment, lang) };
  return fill(textsOf(TEXT, lang).header, values);
}

export function previewCampaignCommand(config: Config, campaignId: string, io: CampaignIo = defaultIo(), lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  return withCampaign(config, campaignId, io, lang, async (db, target) => {
    const print = (line = "") => io.stdout.write(`${line}\n`);
    const scope = { clinicId: target.clinic.id, timezone: target.clinic.timezone, now: io.clock.now() };
    const counts = await segmentBreakdown(db, target.segment, scope);
    const sample = await sampleSegment(db, target.segment, scope, PREVIEW_SAMPLE);
    print(header(target, lang));
    print(
      fill(t.segmentSize, { size: patients(counts.size, lang) }) +
        (counts.matching > counts.size ? fill(t.leftOut, { matching: counts.matching, optedOut: counts.optedOut, noReachableChat: counts.noReachableChat }) : ""),
    );
    print(fill(t.noAdConsent, { n: patients(await segmentWithoutAdvertisingConsent(db, target.segment, scope), lang) }));
    if (target.campaign.offer?.text) print(fill(t.offer, { text: target.campaign.offer.text }));
    if (sample.length === 0) {
      print(t.nobody);
      return 0;
    }
    print(fill(t.sample, { shown: sample.length, size: counts.size }));
    const rows = sample.map((p) => [
      p.externalId,
      maskedPatientName(p.fullName),
      p.lastCompletedVisitAt ? DateTime.fromJSDate(p.lastCompletedVisitAt, { zone: target.clinic.timezone }).toISODate()! : "—",
      String(p.balance),
    ]);
    const titles = [t.colId, t.colName, t.colLastVisit, t.colBalance];
    const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => [...r[i]!].length)));
    const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ")}`.trimEnd();
    print(line(titles));
    for (const r of rows) print(line(r));
    return 0;
  });
}

/** The campaign's flow must exist and declare that campaigns start it. */
function checkFlow(config: Config, target: ClinicCampaign, io: CampaignIo, lang: Lang): number | null {
  const t = textsOf(TEXT, lang);
  const { catalog } = loadFlowCatalog({ flowsDir: config.flowsDir, templatesDir: config.templatesDir, registry: createRegistry() });
  if (!catalog) {
    io.stderr.write(`${t.flowsBroken}\n`);
    return EXIT_FAILURE;
  }
  const flow = catalog.get(target.campaign.flow);
  if (!flow) {
    io.stderr.write(`${fill(t.noFlow, { id: target.campaign.id, flow: target.campaign.flow, known: [...catalog.flows.keys()].sort().join(", ") })}\n`);
    return EXIT_USAGE;
  }
  if (!flow.def.triggers.scheduled.includes(CAMPAIGN_TRIGGER)) {
    io.stderr.write(`${fill(t.notForCampaigns, { flow: flow.def.id, trigger: CAMPAIGN_TRIGGER })}\n`);
    return EXIT_USAGE;
  }
  return null;
}

export function runCampaignCommand(config: Config, campaignId: string, options: { dryRun?: boolean; wait?: boolean }, io: CampaignIo = defaultIo(), lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  return withCampaign(config, campaignId, io, lang, async (db, target) => {
    const refused = checkFlow(config, target, io, lang);
    if (refused !== null) return refused;
    const print = (line = "") => io.stdout.write(`${line}\n`);
    print(header(target, lang));
    const dryRun = options.dryRun === true;
    io.stdout.write(dryRun ? t.counting : t.queuing);
    const started = performance.now();
    const now = io.clock.now();
    const run = await runCampaign(db, target, now, { dryRun });
    io.stdout.write(`${fill(t.done, { ms: Math.round(performance.now() - started) })}\n`);
    const tally = { queued: run.queued, alreadyQueued: run.alreadyQueued, size: patients(run.segmentSize, lang) };
    const noAdConsent = fill(t.noAdConsent, { n: patients(await segmentWithoutAdvertisingConsent(db, target.segment, { clinicId: target.clinic.id, timezone: target.clinic.timezone, now }), lang) });
    if (dryRun) {
      print(fill(t.wouldQueue, tally));
      print(noAdConsent);
      return 0;
    }
    print(fill(t.queued, tally));
    print(noAdConsent);
    if (run.queued === 0 || !(options.wait ?? io.stdout.isTTY === true)) return 0;
    // The run stamps its rows with its instant: exactly the rows this run queued.
    const where = { clinicId: target.clinic.id, campaignId: target.campaign.id, createdAt: now };
    const stallMs = io.stallMs ?? 20_000;
    print(deliveryVerdict(await watchDelivery({ db, where, total: run.queued, clock: io.clock, output: io.stdout, stallMs, lang }), stallMs, lang));
    return 0;
  });
}
