import { randomUUID } from "node:crypto";
import type { OutboundMessage } from "../flows/events.ts";
import type { ChannelName, ChannelSender, SendResult } from "./channel-sender.ts";
import type { Database, MessageCategory, Tx } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";
import { systemRandom } from "../util/random.ts";
import type { Random } from "../util/random.ts";
import { isConnectionFailure, isDatabaseBusy } from "../db/errors.ts";
import { SentLog } from "./sent-log.ts";
import { claimBatch, claimChatBatch, type ClaimedRow } from "./claim.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { capUntil, quietUntil } from "./rules.ts";
import { OPERATOR_FIRST_KIND } from "./operator-first.ts";
import { isOperatorAlertPayload, OPERATOR_ALERT_KIND } from "../domain/escalations/alert.ts";
import type { RateLimit } from "./rate-limiter.ts";
import { MIS_WEBHOOK_KIND } from "../domain/appointments/mis-changes.ts";
import { postMisWebhook } from "./mis-webhook.ts";
import { clinicSource } from "../flows/clinic-source.ts";
import { chatRefusal, consentRefusal } from "./consent-check.ts";
import type { MisWebhookTarget } from "./mis-webhook.ts";
import { pickChannel } from "../domain/patients/pick-channel.ts";
import { FAILOVER_CHANNELS } from "../domain/clinic/settings.ts";
import { attemptPrefix, moveToNextChannel, triedChannelsOf } from "./failover.ts";
import { guardianChatFor } from "../domain/families/guardian-chat.ts";

/** Starts a flow in a chat within one transaction (the router's startFlow). */
export type FlowStarter = (
  identityId: number,
  flowId: string,
  options: {
    category: MessageCategory;
    outboxKeyPrefix: string;
    context?: Record<string, unknown>;
    /** The patient the conversation is about, when not the chat's own (a ward in the guardian's chat). */
    patientId?: number;
    alsoInTransaction: (tx: Tx) => Promise<void>;
  },
) => Promise<unknown>;

export interface DispatcherOptions {
  db: Database;
  /** Only this clinic's rows (the clinic this process serves, with its bot); all clinics' when absent. */
  clinicId?: number;
  /** Needed for rows that start a flow (scheduled surveys, check-ins, reminders). */
  startFlow?: FlowStarter;
  /** Whether a channel can send now (a WhatsApp session that is down is not); default: it has a sender. */
  channelReady?: (channel: ChannelName) => boolean;
  /**
   * Channels with a service window, in milliseconds (WhatsApp Cloud API: 24 hours after the
   * patient's last message); channel choice prefers chats that can take any message now.
   */
  serviceWindowMs?: Partial<Record<ChannelName, number>>;
  /** Decides due times and leases. */
  clock: Clock;
  /** Draws the jitter of backoffs and of WhatsApp's pacing (default Math.random). */
  random?: Random;
  logger: Logger;
  senders: Partial<Record<ChannelName, ChannelSender>>;
  /** MIS_WEBHOOK_URL and its secret: appointment changes are POSTed there; without it they are skipped. */
  misWebhook?: MisWebhookTarget;
  limits?: Partial<Record<ChannelName, RateLimit>>;
  /** Who holds a lease: unique per process. */
  owner?: string;
  batchSize?: number;
  leaseMs?: number;
  /** Failed sends (5xx, network) before a message is given up as dead. */
  maxAttempts?: number;
  pollMs?: number;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  skipped: number;
  /**
   * Every row claimed was sent and nothing else was due when they were claimed: another pass now
   * would claim nothing (saves its statement; a row queued meanwhile wakes the dispatcher).
   */
  settled: boolean;
}

const COUNTS = ["claimed", "sent", "retried", "dead", "skipped"] as const;

function isFlowStart(row: ClaimedRow): boolean {
  return typeof (row.payload as { startFlow?: unknown } | null)?.startFlow === "string";
}

export const DEFAULT_LIMITS: Record<ChannelName, RateLimit> = {
  telegram: { perSecond: 25, perChatIntervalMs: 1000 },
  // Unofficial WhatsApp Web clients get numbers banned: one send at a time, 3 s after the previous
  // one finished, plus up to 2 s at random (WHATSAPP_MIN_INTERVAL_MS, WHATSAPP_JITTER_MS).
  whatsapp: { perSecond: 0, perChatIntervalMs: 0, gapAfterSendMs: 3000, jitterMs: 2000 },
  web: { perSecond: 0, perChatIntervalMs: 0 },
  // MAX allows 30 requests a second per bot; 25 leaves room for polling and button answers.
  max: { perSecond: 25, perChatIntervalMs: 1000 },
};

type Row = ClaimedRow;

/** Messages held for an operator's conversation wait this long before looking again. */
const OPERATOR_HOLD_MS = 15 * 60_000;

/** A conversation the patient is in the middle of is not interrupted by CareBot's own initiative. */
const BUSY_CHAT_POSTPONE_MS = 30 * 60_000;

/** Exponential backoff with jitter: 2 s, 4 s, 8 s … up to 10 minutes, each ±25 %. */
export function backoffMs(attempt: number, random: Random = systemRandom): number {
  return Math.min(600_000, 1000 * 2 ** attempt) * (0.75 + random() * 0.5);
}

/**
 * Sends what flows and planners put in the outbox, exactly once as far as the messenger lets us
 * know: rows are claimed under a lease, sent one chat at a time in order, and the result is
 * written back. Retries after 429 wait what the messenger asked; 5xx and network errors back
 * off; a blocked bot marks the chat unreachable and stops.
 */
export class Dispatcher {
  readonly owner: string;
  readonly #limiters = new Map<ChannelName, RateLimiter>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | null = null;
  #again = false;
  /** Set by stop(): passes in progress finish, no new ones start. */
  #stopped = false;
  readonly #sent: SentLog;
  readonly #random: Random;
  /** Chats a flow is being started in by this process right now. */
  readonly #starting = new Set<number>();
  /** Chats a step just queued replies in (wake with a chat): their rows are claimed by chat. */
  readonly #chats = new Set<number>();
  /** A wake without a chat (the poll, a planner) or a chat pass that left something due: scan. */
  #scan = false;

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `carebot-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#sent = new SentLog(options.db);
    this.#random = options.random ?? systemRandom;
    // Pacing waits in real time (messengers count real seconds); only its jitter comes from here.
    for (const channel of ["telegram", "whatsapp", "web", "max"] as const) {
      this.#limiters.set(channel, new RateLimiter({ ...DEFAULT_LIMITS[channel], ...options.limits?.[channel] }, { random: this.#random }));
    }
  }

  /** Polls, and sends at once when woken (a flow step just queued a reply). */
  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      this.wake();
      this.#timer = setTimeout(tick, this.options.pollMs ?? 1000);
    };
    tick();
  }

  /** Resolves once no pass runs and none is due to follow (the woken chats' rows are sent). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /**
   * Runs a dispatch pass now, or right after the one in progress. With a chat (a step just queued
   * its replies there), that chat's rows are claimed by chat, as a step's own replies are the
   * usual reason to wake; without one, the pass scans everything due.
   */
  wake(identityId?: number): void {
    if (identityId === undefined) this.#scan = true;
    else this.#chats.add(identityId);
    this.#kick();
  }

  #kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass()
      .catch((error) => this.options.logger.error({ err: error }, "dispatch pass failed; will retry"))
      .finally(() => {
        this.#running = null;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.#kick();
        }
      });
  }

  /**
   * The chats woken so far, then a scan if one is due; chats woken meanwhile wait for the next
   * pass, so a steady stream of replies never keeps the scan (reminders, planners) waiting.
   */
  async #pass(): Promise<void> {
    const chats = [...this.#chats];
    this.#chats.clear();
    const batch = this.options.batchSize ?? 50;
    for (let i = 0; i < chats.length && !this.#stopped; i += batch) {
      if (!(await this.#sendInChats(chats.slice(i, i + batch)))) this.#scan = true;
    }
    if (this.#scan && !this.#stopped) {
      this.#scan = false;
      await this.drain();
    }
    if (this.#chats.size > 0) this.#again = true;
  }

  /**
   * Claims and sends the replies at the head of these chats. False when the scan must look too: a
   * chat had no reply at its head (another row is first, or the step queued none), a row was not
   * simply sent, or something no chat's wake announces is due. A chat with more due behind its row
   * goes again.
   */
  async #sendInChats(chats: number[]): Promise<boolean> {
    const { clock } = this.options;
    const { rows, more, waiting } = await claimChatBatch(this.options.db, this.owner, clock.now(), this.options.leaseMs ?? 60_000, chats);
    const sent = await this.#deliverAll(rows);
    for (const chat of more) this.#chats.add(chat);
    return !waiting && sent === rows.length && rows.length === chats.length && !rows.some(isFlowStart);
  }

  /** Dispatches batches until nothing is due. */
  async drain(): Promise<DispatchSummary> {
    const total: DispatchSummary = { claimed: 0, sent: 0, retried: 0, dead: 0, skipped: 0, settled: false };
    // A message that waited behind a retried one becomes claimable only in the next pass.
    for (let pass = 0; pass < 1000; pass++) {
      const summary = await this.runOnce();
      for (const key of COUNTS) total[key] += summary[key];
      total.settled = summary.settled;
      if (summary.claimed === 0 || summary.settled || this.#stopped) break;
    }
    return total;
  }

  /** One batch: claim, send, record. */
  async runOnce(): Promise<DispatchSummary> {
    const { db, clock } = this.options;
    const { rows, waiting } = await claimBatch(db, this.owner, clock.now(), this.options.leaseMs ?? 60_000, this.options.batchSize ?? 50, this.options.clinicId);
    const summary: DispatchSummary = { claimed: rows.length, sent: 0, retried: 0, dead: 0, skipped: 0, settled: false };
    if (rows.length === 0) return summary;
    await this.#deliverAll(rows, summary);
    // A flow started, a retry or a move to another channel may leave a row due now.
    summary.settled = !waiting && summary.sent === rows.length && !rows.some(isFlowStart);
    return summary;
  }

  /**
   * Delivers claimed rows, counting their outcomes; resolves to the number sent. A claim holds at
   * most the head of each chat's queue: the rows are different chats, sent in parallel.
   */
  async #deliverAll(rows: Row[], counts: Pick<DispatchSummary, "sent" | "retried" | "dead" | "skipped"> = { sent: 0, retried: 0, dead: 0, skipped: 0 }): Promise<number> {
    await Promise.all(
      rows.map(async (row) => {
        try {
          counts[await this.#deliver(row)]++;
        } catch (error) {
          // One row's failed write (the database busy past its timeout) must not end the pass while
          // the batch's other rows are still being sent and recorded: this row waits out its lease
          // (not counted as sent, so the pass is not settled).
          this.options.logger.error({ err: error, outboxId: row.id }, "delivering an outbox row failed; it is claimed again when its lease ends");
        }
      }),
    );
    return counts.sent;
  }

  /**
   * The messenger has the message: writing "sent" must not be given up while the database is
   * briefly away or busy, or the row would be sent again when its lease ends. Waits out a
   * connection failure or a busy database (another process holding SQLite's write lock, a
   * PostgreSQL deadlock) for as long as the lease lasts (after it, another process may claim the row anyway).
   * The lease is on the injected clock; time spent waiting counts too, so a clock that stands
   * still (a test's) cannot make the waiting endless.
   */
  async #recordSent(rowId: number, write: () => Promise<unknown>): Promise<void> {
    const { clock } = this.options;
    const leaseMs = this.options.leaseMs ?? 60_000;
    const start = clock.now().getTime();
    let waited = 0;
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await write();
        return;
      } catch (error) {
        const elapsed = Math.max(clock.now().getTime() - start, waited);
        if (!(isConnectionFailure(error) || isDatabaseBusy(error)) || elapsed + wait > leaseMs) throw error;
        this.options.logger.warn({ err: error, outboxId: rowId }, "sent, but the database is away or busy: retrying the record");
        await new Promise((resolve) => setTimeout(resolve, wait));
        waited += wait;
      }
    }
  }

  async #deliver(row: Row): Promise<"sent" | "retried" | "dead" | "skipped"> {
    // Staff alerts go to the operators' chat, before any patient's rule: none of those rules is theirs.
    if (row.kind === OPERATOR_ALERT_KIND) return this.#sendOperatorAlert(row);
    if (row.kind === MIS_WEBHOOK_KIND) return this.#sendMisWebhook(row);
    const payload = row.payload as { message?: OutboundMessage; startFlow?: string; context?: Record<string, unknown> };
    if (payload.startFlow) return this.#startFlow(row, payload.startFlow, payload.context);
    const { db, clock, logger } = this.options;
    const identity = row.identity;
    const message = payload.message;
    if (!identity || !message) return this.#finish(row.id, "dead", "the row names no chat or no message");
    if (identity.unreachableAt) {
      const reason = `the chat is unreachable: ${identity.unreachableReason ?? "blocked"}`;
      if (await moveToNextChannel(db, row, identity.channel, reason, clock.now())) return "skipped";
      return this.#finish(row.id, "dead", reason);
    }
    // After an opt-out only answers to the patient's own messages go out; marketing needs an advertising consent
    // (about a ward in a guardian's chat: the ward's, as the guardian gave it).
    if (identity.patient && row.category !== "reply") {
      const refused = await chatRefusal(db, row, identity.patient);
      if (refused) return this.#finish(row.id, "skipped", refused);
    }
    if (row.category !== "reply") {
      // While a person holds the chat, CareBot says nothing of its own accord.
      const held = await db.prisma.conversation.count({ where: { identityId: identity.id, status: "operator" } });
      if (held > 0) return this.#retry(row, "an operator holds the conversation", OPERATOR_HOLD_MS, false);
      if (row.category === "marketing" || row.kind === OPERATOR_FIRST_KIND) {
        const rules = await this.#clinic(row.clinicId);
        const until = quietUntil(clock.now(), identity.patient?.timezone ?? rules.timezone, rules.settings.quietHours);
        if (until) return this.#retry(row, "quiet hours in the patient's time zone", until.getTime() - clock.now().getTime(), false);
      }
    }
    const sender = this.options.senders[identity.channel];
    if (!sender) return this.#retry(row, `no ${identity.channel} channel is running`, 60_000);

    let result: SendResult;
    try {
      result = await this.#limiters.get(identity.channel)!.run(identity.externalChatId, () => sender.send(identity.externalChatId, message, { lastInboundAt: identity.lastInboundAt }));
    } catch (error) {
      result = { ok: false, reason: "network", permanent: false, error: (error as Error).message };
    }
    if (result.ok) {
      const sentAt = clock.now();
      await this.#recordSent(row.id, () => this.#sent.record({ id: row.id, sentAt, sentVia: identity.id, externalMessageId: result.externalMessageId ?? null }));
      return "sent";
    }
    logger.warn({ outboxId: row.id, channel: identity.channel, reason: result.reason, error: result.error }, "send failed");
    if (result.reason === "blocked") {
      await db.prisma.channelIdentity.update({ where: { id: identity.id }, data: { unreachableAt: clock.now(), unreachableReason: result.error } });
    }
    // Refused for good here (blocked, no such chat, window closed without a template): a conversation
    // CareBot opened starts again in the patient's next messenger instead.
    if (result.permanent && (await moveToNextChannel(db, row, identity.channel, `${result.reason}: ${result.error}`, clock.now()))) return "skipped";
    // Nothing the messenger would take now (WhatsApp's window closed, no template): not a failure.
    if (result.reason === "window_closed") return this.#finish(row.id, "skipped", result.error);
    if (result.permanent) return this.#finish(row.id, "dead", `${result.reason}: ${result.error}`);
    if (result.reason === "rate_limited") return this.#retry(row, result.error, result.retryAfterMs ?? 1000, false);
    if (row.attempts >= (this.options.maxAttempts ?? 8)) return this.#finish(row.id, "dead", `${result.reason}: ${result.error} (after ${row.attempts} attempts)`);
    return this.#retry(row, `${result.reason}: ${result.error}`, backoffMs(row.attempts, this.#random));
  }

  /**
   * A row that starts a flow: the flow's first messages are written in the same transaction that
   * marks the row done, with keys derived from the row's, so the start happens exactly once.
   */
  async #startFlow(row: Row, flowId: string, context: Record<string, unknown> | undefined): Promise<"sent" | "retried" | "dead" | "skipped"> {
    const { db, clock } = this.options;
    if (!this.options.startFlow) return this.#retry(row, "this process does not start flows", 60_000, false);
    const patient = row.patientId === null ? null : await db.prisma.patient.findUnique({ where: { id: row.patientId } });
    if (patient && row.category !== "reply") {
      const refused = await consentRefusal(db, patient.id, row.category, patient.optedOutAt !== null);
      if (refused) return this.#finish(row.id, "skipped", refused);
    }
    const now = clock.now();
    if (row.category === "marketing" && patient) {
      const rules = await this.#clinic(row.clinicId);
      const quiet = quietUntil(now, patient.timezone ?? rules.timezone, rules.settings.quietHours);
      if (quiet) return this.#retry(row, "quiet hours in the patient's time zone", quiet.getTime() - now.getTime(), false);
      // At most one marketing conversation per patient per few days (care and replies are exempt).
      const last = await db.prisma.outbox.findFirst({
        where: { patientId: patient.id, category: "marketing", kind: "start-flow", status: "sent", id: { not: row.id } },
        orderBy: { sentAt: "desc" },
        select: { sentAt: true },
      });
      const capped = capUntil(now, last?.sentAt ?? null, rules.settings.marketingCapDays);
      if (capped) return this.#retry(row, "frequency cap for marketing messages", capped.getTime() - now.getTime(), false);
    }
    const ready = this.options.channelReady ?? ((channel: ChannelName) => Boolean(this.options.senders[channel]));
    const tried = triedChannelsOf(row.triedChannels);
    // A row bound to a chat keeps it while it can take the message (a reply always does).
    const bound = row.identity && (row.category === "reply" || (!row.identity.unreachableAt && !tried.includes(row.identity.channel))) ? row.identity : null;
    if (bound && !ready(bound.channel)) return this.#retry(row, `the ${bound.channel} channel is down`, 5 * 60_000, false);
    const own = bound ?? (patient ? await this.#pickIdentity(row.clinicId, patient.id, patient.preferredChannel, ready, tried) : null);
    // A child or an elderly parent without a chat of their own: their guardian's (src/domain/families).
    const guardianChat = !own && patient ? await guardianChatFor(db.prisma, patient.id, flowId, ready) : null;
    const chosen = own ?? guardianChat;
    if (!chosen) {
      const left = patient ? await db.prisma.channelIdentity.count({ where: { patientId: patient.id, unreachableAt: null, channel: { notIn: ["web", ...(tried as ChannelName[])] } } }) : 0;
      // Linked, but every channel is down right now: wait for one to come back.
      if (left > 0) return this.#retry(row, "no channel of the patient can send now", 5 * 60_000, false);
      const none = tried.length > 0 ? `the patient has no reachable chat left (tried ${tried.join(", ")})` : "the patient has no reachable chat";
      return this.#finish(row.id, "skipped", none);
    }
    // Two rows of one batch for one chat (a guardian's, for two children) start one after the other:
    // the second then finds the first's conversation going and waits its turn.
    if (this.#starting.has(chosen.id)) return this.#retry(row, "another conversation is starting in this chat", 0, false);
    this.#starting.add(chosen.id);
    try {
      return await this.#startFlowIn(row, flowId, context, guardianChat && patient ? patient.id : undefined, chosen, tried, now);
    } finally {
      this.#starting.delete(chosen.id);
    }
  }

  async #startFlowIn(
    row: Row,
    flowId: string,
    context: Record<string, unknown> | undefined,
    /** The ward the conversation is about, in their guardian's chat. */
    wardId: number | undefined,
    identity: { id: number; channel: ChannelName },
    tried: readonly string[],
    now: Date,
  ): Promise<"sent" | "retried"> {
    const { db } = this.options;
    const active = await db.prisma.conversation.findFirst({ where: { identityId: identity.id, status: { in: ["bot", "operator"] } }, orderBy: { id: "desc" } });
    if (active && (active.status === "operator" || now.getTime() - active.updatedAt.getTime() < BUSY_CHAT_POSTPONE_MS)) {
      return this.#retry(row, "the patient is in the middle of a conversation", BUSY_CHAT_POSTPONE_MS, false);
    }
    await this.options.startFlow!(identity.id, flowId, {
      category: row.category,
      outboxKeyPrefix: attemptPrefix(row.idempotencyKey, identity.channel, tried),
      context,
      ...(wardId !== undefined ? { patientId: wardId } : {}),
      alsoInTransaction: async (tx) => {
        await tx.outbox.update({ where: { id: row.id }, data: { status: "sent", sentAt: now, sentVia: identity.id, leaseOwner: null, leaseUntil: null, lastError: null } });
      },
    });
    return "sent";
  }

  /** The chat a patient-bound message goes to now, by the one rule of channel choice (pickChannel). */
  async #pickIdentity(clinicId: number, patientId: number, preferred: ChannelName | null, ready: (channel: ChannelName) => boolean, tried: readonly string[]) {
    const { db, clock } = this.options;
    const rules = await this.#clinic(clinicId);
    return preferredIdentity(db, patientId, preferred, ready, { order: rules.settings.channelOrder, now: clock.now(), serviceWindowMs: this.options.serviceWindowMs, tried });
  }

  /**
   * An urgent escalation's alert to the operators' Telegram chat (OPERATORS_TELEGRAM_CHAT_ID, in
   * the payload). Retried like any message; a chat the bot cannot post to is given up at once.
   */
  async #sendOperatorAlert(row: Row): Promise<"sent" | "retried" | "dead" | "skipped"> {
    const { db, clock, logger } = this.options;
    if (!isOperatorAlertPayload(row.payload)) return this.#finish(row.id, "dead", "the alert names no operators' chat or no text");
    const { chatId } = row.payload.operatorChat;
    const sender = this.options.senders.telegram;
    // Another process may run the bot; this one waits without using up the row's attempts.
    if (!sender) return this.#retry(row, "no telegram channel is running", 60_000, false);
    let result: SendResult;
    try {
      const { message } = row.payload;
      result = await this.#limiters.get("telegram")!.run(chatId, () => sender.send(chatId, message));
    } catch (error) {
      result = { ok: false, reason: "network", permanent: false, error: (error as Error).message };
    }
    if (result.ok) {
      const sentAt = clock.now();
      await this.#recordSent(row.id, () => this.#sent.record({ id: row.id, sentAt, sentVia: null, externalMessageId: result.externalMessageId ?? null }));
      return "sent";
    }
    logger.warn({ outboxId: row.id, chatId, reason: result.reason, error: result.error }, "operator alert failed");
    if (result.permanent) {
      logger.error({ chatId }, "operators' chat refuses the bot's alerts: add the bot to OPERATORS_TELEGRAM_CHAT_ID's chat and let it post");
      return this.#finish(row.id, "dead", `${result.reason}: ${result.error}`);
    }
    if (result.reason === "rate_limited") return this.#retry(row, result.error, result.retryAfterMs ?? 1000, false);
    if (row.attempts >= (this.options.maxAttempts ?? 8)) return this.#finish(row.id, "dead", `${result.reason}: ${result.error} (after ${row.attempts} attempts)`);
    return this.#retry(row, `${result.reason}: ${result.error}`, backoffMs(row.attempts, this.#random));
  }

  /** An appointment change for the MIS: POSTed, signed, retried with backoff like any message. */
  async #sendMisWebhook(row: Row): Promise<"sent" | "retried" | "dead" | "skipped"> {
    const target = this.options.misWebhook;
    if (!target) return this.#finish(row.id, "skipped", "MIS_WEBHOOK_URL is not set");
    const result = await postMisWebhook(target, row.idempotencyKey, row.payload);
    if (result.ok) {
      const sentAt = this.options.clock.now();
      await this.#recordSent(row.id, () => this.#sent.record({ id: row.id, sentAt, sentVia: null, externalMessageId: null }));
      return "sent";
    }
    this.options.logger.warn({ outboxId: row.id, error: result.error }, "MIS webhook failed");
    if (result.permanent) return this.#finish(row.id, "dead", result.error);
    if (row.attempts >= (this.options.maxAttempts ?? 8)) return this.#finish(row.id, "dead", `${result.error} (after ${row.attempts} attempts)`);
    return this.#retry(row, result.error, backoffMs(row.attempts, this.#random));
  }

  /**
   * The clinic's time zone and rules as they are now: one small read of the clinic row, its
   * settings parsed once per version by the one clinic source (an admin's change counts at once).
   */
  #clinic(clinicId: number) {
    return clinicSource(this.options.db).read(this.options.db.prisma, clinicId);
  }

  async #finish(id: number, status: "dead" | "skipped", reason: string): Promise<"dead" | "skipped"> {
    await this.options.db.prisma.outbox.update({ where: { id }, data: { status, lastError: reason, leaseOwner: null, leaseUntil: null }, select: { id: true } });
    return status;
  }

  /** Back to pending after `waitMs`; a 429 does not count as a failed attempt. */
  async #retry(row: Row, error: string, waitMs: number, counts = true): Promise<"retried"> {
    await this.options.db.prisma.outbox.update({
      where: { id: row.id },
      select: { id: true },
      data: {
        status: "pending",
        dueAt: new Date(this.options.clock.now().getTime() + waitMs),
        lastError: error,
        leaseOwner: null,
        leaseUntil: null,
        ...(counts ? {} : { attempts: { decrement: 1 } }),
      },
    });
    return "retried";
  }

}

/**
 * The chat to write to among the patient's reachable chats whose channel can send now, by
 * pickChannel (src/domain/patients/pick-channel.ts): the patient's chosen messenger, else the
 * one they last answered in, else the clinic's order (default Telegram → MAX → WhatsApp).
 */
export async function preferredIdentity(
  db: Database,
  patientId: number,
  preferred: string | null,
  ready: (channel: ChannelName) => boolean,
  rule: { now: Date; order?: readonly string[]; serviceWindowMs?: Partial<Record<ChannelName, number>>; tried?: readonly string[] },
) {
  // Newest chat first, so that of two chats alike the newer wins.
  const chats = await db.prisma.channelIdentity.findMany({ where: { patientId, unreachableAt: null, channel: { not: "web" } }, orderBy: [{ lastInboundAt: "desc" }, { id: "desc" }] });
  return pickChannel({
    chats,
    order: rule.order ?? FAILOVER_CHANNELS,
    preferred,
    now: rule.now,
    ready: (channel) => ready(channel as ChannelName),
    serviceWindowMs: rule.serviceWindowMs,
    tried: rule.tried,
  });
}
