// Dispatch rate: N outbox rows for N linked Telegram chats, sent by CareBot's real dispatcher
// through the real grammY sender to the fake Bot API (in a process of its own), at a rate limit.
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import type { OutboundMessage } from "../../src/channels/types.ts";
import { loadConfig } from "../../src/config.ts";
import type { TelegramConfig } from "../../src/config.ts";
import type { Database, Prisma } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import type { DispatchSummary } from "../../src/outbox/dispatcher.ts";
import type { RateLimit } from "../../src/outbox/rate-limiter.ts";
import type { Clock } from "../../src/util/clock.ts";
import { startFakeTelegram } from "./fake-telegram.ts";
import { measureCpu } from "./load.ts";
import type { CpuLoad } from "./load.ts";
import { maxInWindow, steadyRate } from "./windows.ts";

const TOKEN = "424242:BENCH-SCHEDULE-DISPATCH-TOKEN";
/** Telegram chat ids of the benchmark's patients: CHAT_BASE + patient number. */
const CHAT_BASE = 700_000_000;
/** Where the dispatcher's clock starts: the rows are due then. */
const NOW = "2026-12-01T08:00:00Z";
/** A case that has not sent everything by then has failed. */
const CASE_TIMEOUT_MS = 15 * 60_000;

/** A care message with buttons, as the next-day check-in sends it (rendered as an inline keyboard). */
const MESSAGE: OutboundMessage = {
  text: "Здравствуйте! Вчера у вас была процедура в нашей клинике. Как вы себя чувствуете?",
  options: [
    { value: "good", label: "Всё хорошо" },
    { value: "worse", label: "Есть вопросы к врачу" },
  ],
};

export interface DispatchCase {
  label: string;
  limit: RateLimit;
  /** Send through a proxy that answers 429 beyond Telegram's 30 messages in any second. */
  enforceTelegramLimit: boolean;
}

export interface DispatchFigures {
  label: string;
  limit: RateLimit;
  enforced: boolean;
  messages: number;
  sent: number;
  /** Sends put back for later (a 429 is one): every row is sent in the end. */
  retried: number;
  /** From the first claim until every row is sent (retries included). */
  wallMs: number;
  /** Messages the fake accepted per second of that wall time. */
  achieved: number;
  /** From the first accepted message to the last. */
  steady: number;
  /** The most sendMessage requests CareBot started in any sliding second (its own HTTP client's record). */
  maxPerSecondSent: number;
  /** The most messages the fake accepted in any sliding second (the fake's record). */
  maxPerSecondReceived: number;
  /** Answers with status 429, from the limit proxy or the fake. */
  tooManyRequests: number;
  /** Any other failed call (4xx/5xx/reset). */
  otherFailures: number;
  cpu: CpuLoad;
}

/** The Telegram limits CareBot runs with when the environment sets none (src/config.ts defaults). */
export function defaultTelegramLimit(): RateLimit {
  const telegram = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram as TelegramConfig;
  return { perSecond: telegram.perSecond, perChatIntervalMs: telegram.perChatIntervalMs };
}

/** A clinic and `n` patients, each with one linked Telegram chat (one Prisma call per table). */
async function seedChats(db: Database, n: number): Promise<number> {
  const clinic = await db.prisma.clinic.create({
    data: { slug: "bench-dispatch", name: "Клиника «Здоровье»", timezone: "Europe/Moscow", settings: parseClinicSettings({}) },
  });
  const at = new Date(NOW);
  const ids = Array.from({ length: n }, (_, k) => k + 1);
  await db.prisma.patient.createMany({
    data: ids.map((i) => ({ id: i, clinicId: clinic.id, externalId: `D-${i}`, fullName: `Пациент ${i}`, referralCode: `D${i}`, consentAt: at })),
  });
  await db.prisma.channelIdentity.createMany({
    data: ids.map((i) => ({ id: i, clinicId: clinic.id, channel: "telegram" as const, externalChatId: String(CHAT_BASE + i), patientId: i, linkedAt: at })),
  });
  return clinic.id;
}

async function queueMessages(db: Database, clinicId: number, n: number, keyPrefix: string): Promise<void> {
  const due = new Date(new Date(NOW).getTime() - 60_000);
  await db.prisma.outbox.createMany({
    data: Array.from({ length: n }, (_, k) => ({
      clinicId,
      idempotencyKey: `${keyPrefix}${k + 1}`,
      patientId: k + 1,
      identityId: k + 1,
      kind: "flow:care-checkin",
      category: "care" as const,
      payload: { message: MESSAGE } as unknown as Prisma.InputJsonValue,
      dueAt: due,
      createdAt: due,
    })),
  });
}

/** The instants CareBot's HTTP client (grammY's node-fetch) starts a sendMessage request. */
function recordSendStarts(): { times: number[]; stop(): void } {
  const times: number[] = [];
  const onStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    if (/\/sendMessage$/i.test(request.path)) times.push(Date.now());
  };
  diagnostics.subscribe("http.client.request.start", onStart);
  return { times, stop: () => diagnostics.unsubscribe("http.client.request.start", onStart) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCase(db: Database, clinicId: number, n: number, c: DispatchCase, index: number): Promise<DispatchFigures> {
  const telegram = await startFakeTelegram({ token: TOKEN, firstChat: CHAT_BASE + 1, chats: n, enforceLimit: c.enforceTelegramLimit });
  const starts = recordSendStarts();
  try {
    const channel = createGrammyChannel({ token: TOKEN, apiRoot: telegram.apiRoot, onInbound: async () => {} });
    const keyPrefix = `bench:${index}:`;
    await queueMessages(db, clinicId, n, keyPrefix);
    // An injected clock that runs at real speed from NOW, so a retry after a 429 falls due.
    const origin = Date.now();
    const clock: Clock = { now: () => new Date(new Date(NOW).getTime() + (Date.now() - origin)) };
    const dispatcher = new Dispatcher({
      db,
      clock,
      logger: createLogger({ level: "error", pretty: false, destination: process.stderr }),
      senders: { telegram: channel.sender },
      limits: { telegram: c.limit },
    });
    const total: Omit<DispatchSummary, "settled"> = { claimed: 0, sent: 0, retried: 0, dead: 0, skipped: 0 };
    const cpu = measureCpu();
    const started = performance.now();
    // What the running service does: drain when woken, and again when retries fall due.
    for (;;) {
      const summary = await dispatcher.drain();
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += summary[key];
      const left = await db.prisma.outbox.count({ where: { clinicId, idempotencyKey: { startsWith: keyPrefix }, status: { in: ["pending", "sending"] } } });
      if (left === 0) break;
      if (performance.now() - started > CASE_TIMEOUT_MS) throw new Error(`${c.label}: ${left} messages still unsent after ${CASE_TIMEOUT_MS / 60_000} minutes`);
      await sleep(100);
    }
    const wallMs = performance.now() - started;
    const load = cpu();
    if (total.sent !== n) throw new Error(`${c.label}: ${total.sent} of ${n} messages sent (dead ${total.dead}, skipped ${total.skipped})`);
    const report = await telegram.report();
    return {
      label: c.label,
      limit: c.limit,
      enforced: c.enforceTelegramLimit,
      messages: n,
      sent: total.sent,
      retried: total.retried,
      wallMs,
      achieved: (report.accepted.length * 1000) / wallMs,
      steady: steadyRate(report.accepted),
      maxPerSecondSent: maxInWindow(starts.times),
      maxPerSecondReceived: maxInWindow(report.accepted),
      tooManyRequests: report.refusedByProxy + report.tooManyRequests,
      otherFailures: report.otherFailures,
      cpu: load,
    };
  } finally {
    starts.stop();
    await telegram.close();
  }
}

/** Seeds the chats once, then runs each case on its own fresh rows and its own fake Bot API. */
export async function measureDispatch(db: Database, n: number, cases: readonly DispatchCase[]): Promise<DispatchFigures[]> {
  const clinicId = await seedChats(db, n);
  const figures: DispatchFigures[] = [];
  for (const [index, c] of cases.entries()) figures.push(await runCase(db, clinicId, n, c, index));
  return figures;
}
