// `carebot jobs run <kind> [--at ISO] [--dry-run] [--wait]`: runs one scheduled job now, or as
// if the clock said --at, and prints what it planned. The rows it queues are sent by the running
// service's dispatcher; on a terminal (or with --wait) the command follows their delivery.
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import type { Config } from "../config.ts";
import { createCareBot } from "../core.ts";
import { escalationAlertsFor } from "../operators/alerts/escalation-alerts.ts";
import { resolveClinic } from "../domain/clinic/served-clinic.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import { createLogger } from "../logger.ts";
import { isJobKind, JOB_KINDS } from "../scheduler/kinds.ts";
import { runPlanner } from "../scheduler/run-planner.ts";
import { fireTimers } from "../scheduler/timers.ts";
import { FixedClock, systemClock } from "../util/clock.ts";
import { deliveryVerdict, watchDelivery } from "./delivery-progress.ts";
import { EXIT_USAGE } from "./errors.ts";

export interface JobsRunOptions {
  /** ISO date-time; without an offset it is the clinic's local time. */
  at?: string;
  dryRun?: boolean;
  /** Follow the delivery of what was queued (default: when the output is a terminal). */
  wait?: boolean;
}

export interface JobsIo {
  output: Writable & { isTTY?: boolean; columns?: number };
  error: Writable;
  /** How long the delivery may stand still before the command stops watching (default 20 s). */
  stallMs?: number;
}

const TEXT: Dictionary<
  | "unknownKind" | "badAt" | "heading" | "dryRun" | "timersDue" | "timersFired" | "nothingPlanned" | "flow" | "planned" | "skipped" | "alreadyQueued"
  | "notDueYet" | "patients" | "more" | "dispatcherSends" | "sending"
  | "optedOut" | "noReachableChat" | "maxAttempts" | "waitingForGap" | "history" | "tooOld" | "quietHours" | "justBooked"
> = {
  ru: {
    unknownKind: "carebot jobs run: нет задания «{kind}» (есть {known})",
    badAt: "carebot jobs run: --at — дата и время в виде ISO, например 2026-12-01T11:00 (время клиники) или 2026-12-01T08:00:00Z (указано «{at}»)",
    heading: "{clinic}: {kind} на {local} {zone} ({iso}){dry}",
    dryRun: ", пробный прогон: всё отменено, в очередь ничего не поставлено",
    timersDue: "  таймеров пора       {n}",
    timersFired: "  таймеров сработало  {n}",
    nothingPlanned: "  ничего не запланировано: ни один сценарий не объявляет это задание в triggers.scheduled (клиника его выключила)",
    flow: "  сценарий            {value}",
    planned: "  запланировано       {value}",
    skipped: "  пропущено правилами {value}",
    alreadyQueued: "  уже в очереди       {value}",
    notDueYet: "  ещё не пора         {value}",
    patients: "  пациенты            {value}",
    more: ", … (и ещё {n})",
    dispatcherSends: "Их отправит работающий сервис (с учётом тихих часов, ограничения частоты и пауз).",
    sending: "Отправляет работающий сервис (с учётом тихих часов, ограничения частоты и пауз):",
    optedOut: "отписались",
    noReachableChat: "нет доступного чата",
    maxAttempts: "попытки исчерпаны",
    waitingForGap: "ждут паузы после прошлой попытки",
    history: "из истории",
    tooOld: "слишком давние",
    quietHours: "тихие часы",
    justBooked: "только что записались",
  },
  en: {
    unknownKind: 'carebot jobs run: unknown kind "{kind}" (one of {known})',
    badAt: 'carebot jobs run: --at must be an ISO date-time such as 2026-12-01T11:00 (clinic time) or 2026-12-01T08:00:00Z (got "{at}")',
    heading: "{kind} for {clinic} at {local} {zone} ({iso}){dry}",
    dryRun: ", dry run: rolled back, nothing queued",
    timersDue: "  timers due      {n}",
    timersFired: "  timers fired    {n}",
    nothingPlanned: "  nothing planned: no flow declares triggers.scheduled for this kind (the clinic has turned it off)",
    flow: "  flow            {value}",
    planned: "  planned         {value}",
    skipped: "  skipped by rule {value}",
    alreadyQueued: "  already queued  {value}",
    notDueYet: "  not due yet     {value}",
    patients: "  patients        {value}",
    more: ", … ({n} more)",
    dispatcherSends: "The running service's dispatcher sends them (quiet hours, frequency cap and holds apply there).",
    sending: "Sending through the running service's dispatcher (quiet hours, frequency cap and holds apply there):",
    optedOut: "opted out",
    noReachableChat: "no reachable chat",
    maxAttempts: "no attempts left",
    waitingForGap: "waiting for the gap after the last attempt",
    history: "history",
    tooOld: "tooOld",
    quietHours: "quietHours",
    justBooked: "justBooked",
  },
};

/** The planners' counts that have a name in the summary; the rest are shown under their own names. */
const LABELLED = ["optedOut", "noReachableChat", "maxAttempts", "waitingForGap", "history", "tooOld", "quietHours", "justBooked"] as const;
const isLabelled = (name: string): name is (typeof LABELLED)[number] => (LABELLED as readonly string[]).includes(name);
const RULES = ["optedOut", "noReachableChat"];

/** "opted out 2, no reachable chat 1" for the counts named (those above zero). */
function breakdown(counts: Record<string, number>, names: string[], lang: Lang): string {
  const t = textsOf(TEXT, lang);
  return names
    .filter((name) => (counts[name] ?? 0) > 0)
    .map((name) => `${isLabelled(name) ? t[name] : name} ${counts[name]}`)
    .join(", ");
}

export async function jobsRunCommand(config: Config, kind: string, options: JobsRunOptions, io: JobsIo = { output: process.stdout, error: process.stderr }, lang: Lang = "en"): Promise<number> {
  const t = textsOf(TEXT, lang);
  const print = (line = "") => io.output.write(`${line}\n`);
  if (!isJobKind(kind)) {
    io.error.write(`${fill(t.unknownKind, { kind, known: JOB_KINDS.join(", ") })}\n`);
    return EXIT_USAGE;
  }
  // Checked before opening anything: the zone only decides how an offset-less time is read.
  if (options.at !== undefined && !DateTime.fromISO(options.at, { zone: "utc" }).isValid) {
    io.error.write(`${fill(t.badAt, { at: options.at })}\n`);
    return EXIT_USAGE;
  }

  const logger = createLogger({ level: config.logLevel, pretty: false, destination: io.error as unknown as { write(msg: string): void } });
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const clinic = await resolveClinic(db, config.clinicSlug);
    const at = options.at === undefined ? systemClock.now() : DateTime.fromISO(options.at, { zone: clinic.timezone }).toJSDate();
    const clock = options.at === undefined ? systemClock : new FixedClock(at);
    const carebot = await createCareBot(config, db, { clock, logger, lang, escalationAlerts: escalationAlertsFor(config) });
    const local = DateTime.fromJSDate(at, { zone: clinic.timezone }).toFormat("yyyy-MM-dd HH:mm");
    const dry = options.dryRun ? t.dryRun : "";
    print(fill(t.heading, { kind, clinic: clinic.name, local, zone: clinic.timezone, iso: at.toISOString(), dry }));

    if (kind === "timers") {
      if (options.dryRun) {
        const due = await db.prisma.conversation.count({ where: { status: "bot", timerDueAt: { lte: at } } });
        print(fill(t.timersDue, { n: due }));
      } else {
        print(fill(t.timersFired, { n: await fireTimers(carebot.router) }));
      }
      return 0;
    }

    const run = await runPlanner(db, kind, { clinicId: clinic.id, now: at, catalog: await carebot.router.clinicCatalog(), dryRun: options.dryRun });
    if (run.flowId === null) {
      print(t.nothingPlanned);
      return 0;
    }
    const why = breakdown(run.counts, RULES, lang);
    const held = breakdown(run.counts, Object.keys(run.counts).filter((name) => name !== "candidates" && !RULES.includes(name)), lang);
    print(fill(t.flow, { value: run.flowId }));
    print(fill(t.planned, { value: run.planned }));
    print(fill(t.skipped, { value: `${run.skipped}${why ? `  (${why})` : ""}` }));
    print(fill(t.alreadyQueued, { value: run.alreadyQueued }));
    if (held) print(fill(t.notDueYet, { value: held }));
    if (options.dryRun && run.samplePatientIds.length > 0) {
      const patients = await db.prisma.patient.findMany({ where: { id: { in: run.samplePatientIds } }, select: { id: true, externalId: true } });
      const byId = new Map(patients.map((p) => [p.id, p.externalId]));
      const more = run.planned > run.samplePatientIds.length ? fill(t.more, { n: run.planned - run.samplePatientIds.length }) : "";
      print(fill(t.patients, { value: `${run.samplePatientIds.map((id) => byId.get(id) ?? `#${id}`).join(", ")}${more}` }));
    }
    if (options.dryRun || run.planned === 0) return 0;
    if (!(options.wait ?? io.output.isTTY === true)) {
      print(t.dispatcherSends);
      return 0;
    }
    print(t.sending);
    // The planner stamps its rows with the run's instant: exactly this run's rows.
    const where = { clinicId: clinic.id, kind: "start-flow", createdAt: at };
    const stallMs = io.stallMs ?? 20_000;
    print(deliveryVerdict(await watchDelivery({ db, where, total: run.planned, clock: systemClock, output: io.output, stallMs, lang }), stallMs, lang));
    return 0;
  } finally {
    await db.close();
  }
}
