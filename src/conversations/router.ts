import { EventEmitter } from "node:events";
import type { InboundEvent, OutboundOption } from "../flows/events.ts";
import type { ChannelName } from "../outbox/channel-sender.ts";
import type { InboundMessage } from "./inbound-message.ts";
import { normalizeEvent } from "../flows/runtime/normalize-event.ts";
import { tryReadSession } from "../flows/runtime/session.ts";
import { linkByPhone } from "../domain/patients/link.ts";
import type { Database, MessageCategory, Tx } from "../db/client.ts";
import type { EscalationAlerts } from "../domain/escalations/alert.ts";
import { openEscalation } from "../domain/escalations/open.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";
import { KeyedQueue } from "../util/keyed-queue.ts";
import type { FlowCatalog, LoadedFlow } from "../flows/loader/catalog.ts";
import { ClinicFlowCatalogs } from "../flows/clinic-catalog.ts";
import type { FlowDefinition } from "../flows/definition/schema.ts";
import type { ChatTarget } from "../flows/runtime/facts.ts";
import { buildView, loadFacts, readerFor, templatesFor } from "../flows/runtime/facts.ts";
import { OPERATOR_FIRST_KIND } from "../outbox/operator-first.ts";
import { continueConversation, fireTimers, MENU_VALUE_PREFIX, queueMessage, startConversation } from "../flows/runtime/step.ts";
import type { RuntimeDeps, StepOutcome } from "../flows/runtime/step.ts";
import { isDatabaseFailure, isUniqueViolation } from "../db/errors.ts";
import { typedSqlOn, type TypedSql } from "../db/kysely/index.ts";
import { createIdentity, readClinicAndPatient, recordInboundLine, touchAndRead, type ActiveConversationRow } from "../db/queries/chat-target.ts";
import { flowForFreeText } from "./free-text.ts";
import { CLEAR } from "../domain/understanding/index.ts";
import { clip } from "../util/clip.ts";
import { clinicSource } from "../flows/clinic-source.ts";
import type { ClinicRow } from "../flows/clinic-source.ts";
import { aboutWard, resumeWardConversation } from "./about-ward.ts";
import { readWardChoice } from "../flows/runtime/ward-choice.ts";

export type RouteResult =
  | { status: "flow"; identityId: number; outcome: StepOutcome }
  | { status: "operator"; identityId: number; conversationId: number }
  | { status: "duplicate" }
  | { status: "flow_error"; identityId: number; conversationId: number | null; error: string };

/** PUBLIC_URL's own default (config.ts) for a router made without it (tests, tools). */
const DEFAULT_PUBLIC_URL = "http://localhost:3000";

export interface RouterOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The shipped flows and templates (files), in force now. */
  catalog(): FlowCatalog;
  /**
   * The clinic's own flow versions over the files (published in the console). Defaults to one
   * over `catalog`; the preview sandbox passes its own (the clinic's versions, or a draft).
   */
  clinicCatalogs?: Pick<ClinicFlowCatalogs, "catalogFor" | "current">;
  /** The clinic whose patients write to this CareBot. */
  clinicId: number;
  /** Started when a message fits nothing else. */
  fallbackFlow?: string;
  /** Started with the text (context.note) for free text that should reach a person (see free-text.ts). */
  noteFlow?: string;
  /** Started for a chat not yet linked to a patient, on channels where that needs asking. */
  linkFlow?: string;
  /** Channels whose chats must be linked by a shared contact (WhatsApp chats are phone numbers). */
  linkChannels?: ChannelName[];
  /** Where urgent escalations are announced to the staff (OPERATORS_TELEGRAM_CHAT_ID), if anywhere. */
  escalationAlerts?: EscalationAlerts;
  /** CareBot's own address (PUBLIC_URL): the review links patients follow start with it. */
  publicUrl?: string;
}

/** What happened, for those who watch live (operator console, preview) and the outbox dispatcher. */
export interface RouterEvents {
  /**
   * New rows in the outbox: the dispatcher can send now instead of at its next poll. With the
   * chat when a step queued them there (the dispatcher claims them by chat, without a scan).
   */
  outbox: [identityId?: number];
  /** A patient wrote while an operator holds the conversation. */
  "operator-inbound": [{ conversationId: number; identityId: number; text: string | null }];
  /** Anything changed in a chat's transcript. */
  transcript: [{ identityId: number; conversationId: number | null }];
}

class DuplicateUpdate extends Error {}

/** Flows a chat not yet linked to a patient may run: a person, an opt-out, a deep link. */
function isAllowedUnlinked(def: FlowDefinition | undefined, fallbackId: string): boolean {
  if (!def) return false;
  return Boolean(def.triggers.payloadPrefix || def.triggers.pattern) || (def.triggers.global && def.id !== fallbackId);
}

/** How long the buttons of an ended conversation stay answerable by typing. */
const OPTIONS_MEMORY_MS = 24 * 3600_000;

/**
 * Where every inbound message goes: who is this, is an operator holding the chat, which flow
 * and which event. One chat's messages are handled one at a time and in order.
 */
export class ConversationRouter {
  readonly events = new EventEmitter<RouterEvents>();
  readonly #queue = new KeyedQueue();
  readonly #catalogs: Pick<ClinicFlowCatalogs, "catalogFor" | "current">;

  constructor(private readonly options: RouterOptions) {
    this.#catalogs = options.clinicCatalogs ?? new ClinicFlowCatalogs(options.catalog, options.logger);
  }

  /** Made once per catalog (a clinic's flows change rarely, messages often); never changed in place. */
  readonly #deps = new WeakMap<FlowCatalog, RuntimeDeps>();

  /** The runtime's dependencies with the clinic's catalog, resolved once for the step. */
  #depsFor(catalog: FlowCatalog): RuntimeDeps {
    let deps = this.#deps.get(catalog);
    if (!deps) {
      deps = { clock: this.options.clock, logger: this.options.logger, provider: this.options.db.provider, catalog: () => catalog, escalationAlerts: this.options.escalationAlerts, publicUrl: this.options.publicUrl ?? DEFAULT_PUBLIC_URL };
      this.#deps.set(catalog, deps);
    }
    return deps;
  }

  /** The clinic's flows for new conversations: its published versions over the files. */
  #catalogFor(tx: Tx, stamp: number): Promise<FlowCatalog> {
    return this.#catalogs.catalogFor(tx, this.options.clinicId, stamp);
  }

  handle(message: InboundMessage, channelHints: { numberedMenu?: boolean } = {}): Promise<RouteResult> {
    // RESULT events are the flows' own; no channel may send one.
    if (message.event.type === "RESULT") return Promise.resolve({ status: "duplicate" });
    return this.#queue.run(`${message.channel}:${message.chatId}`, () => this.#handle(message, channelHints));
  }

  async #handle(message: InboundMessage, hints: { numberedMenu?: boolean }): Promise<RouteResult> {
    const { db, logger } = this.options;
    let result: RouteResult;
    try {
      result = await db.transaction(async (tx) => this.#route(tx, message, hints), { timeout: 20_000, maxWait: 20_000 });
    } catch (error) {
      if (error instanceof DuplicateUpdate || isUniqueViolation(error, "dedupeKey")) return { status: "duplicate" };
      // The database itself failing is not the flow's fault: let the channel retry the update.
      if (isDatabaseFailure(error)) throw error;
      logger.error({ err: error, channel: message.channel }, "flow step failed; the patient is told and a person is asked to look");
      result = await this.#recordFlowError(message, error);
    }
    this.#announce(result, message);
    return result;
  }

  async #route(tx: Tx, message: InboundMessage, hints: { numberedMenu?: boolean }): Promise<RouteResult> {
    const now = this.options.clock.now();
    // The running conversation comes with the patient, without its large definition column
    // (cached by key: the runtime reads it only on a miss).
    const { target, identityId, active: running, stamp } = await this.#target(tx, message, now);
    // A button under a message about a ward answers that ward's conversation, even if another started since.
    const ward = readWardChoice(message.event);
    const active = ward ? await resumeWardConversation(tx, identityId, ward.wardId, running, now) : running;
    if (ward) message = { ...message, event: ward.event };
    await this.#recordInbound(tx, message, identityId, active?.id ?? null, now);

    if (active?.status === "operator") return { status: "operator", identityId, conversationId: active.id };

    const catalog = await this.#catalogFor(tx, stamp);
    const deps = this.#depsFor(catalog);
    const step = { category: "reply" as const, numberedMenu: hints.numberedMenu };
    const start = (flow: LoadedFlow, event?: InboundEvent) => startConversation(tx, deps, target, flow, event, step);
    // A typed "2" or "Да" stands for a button shown last, even when that conversation has ended
    // (the main menu ends as soon as it is shown; WhatsApp menus are answered by number).
    const event = normalizeEvent(message.event, await this.#lastOptions(tx, identityId, active), hints.numberedMenu ?? false, readerFor(catalog.reader, target));

    // Who is this? A phone the messenger vouches for (WhatsApp), or the patient's own shared
    // contact, links the chat to the clinic's patient with that number.
    if (!target.patient && message.senderPhone) {
      target.patient = await linkByPhone(tx, this.options.clinicId, identityId, message.senderPhone, now);
    }
    if (!target.patient && event.type === "CONTACT" && event.own) {
      target.patient = await linkByPhone(tx, this.options.clinicId, identityId, event.phone, now);
    }

    // Explicit choices first: a menu entry, a deep link, a global word (menu, operator, stop).
    const explicit = this.#explicitFlow(catalog, event);
    const fallbackId = this.options.fallbackFlow ?? "main-menu";
    if (!target.patient && (this.options.linkChannels ?? ["telegram", "max"]).includes(message.channel)) {
      // Before the chat is linked only a person, an opt-out or a deep link go ahead of linking.
      const allowed = explicit && (explicit.event?.type === "START" ? explicit.flow.def.triggers.payloadPrefix : isAllowedUnlinked(explicit.flow.def, fallbackId));
      // A newcomer may type a friend's referral code before anything else.
      const byPattern = event.type === "TEXT" && !active ? catalog.patternFlow(event.text) : undefined;
      if (byPattern) return { status: "flow", identityId, outcome: await start(byPattern, { type: "START", payload: (event as { text: string }).text.trim() }) };
      const continuesAllowed = active && active.flowId !== (this.options.linkFlow ?? "link-patient") && isAllowedUnlinked(catalog.flows.get(active.flowId)?.def, fallbackId);
      if (continuesAllowed) {
        const outcome = await continueConversation(tx, deps, target, active, event, step);
        if (outcome.handled) return { status: "flow", identityId, outcome };
      }
      if (!allowed) {
        const linkId = this.options.linkFlow ?? "link-patient";
        if (active?.flowId === linkId) {
          const outcome = await continueConversation(tx, deps, target, active, event, step);
          if (outcome.handled) return { status: "flow", identityId, outcome };
        }
        const link = catalog.get(linkId);
        if (!link) throw new Error(`the linking flow "${linkId}" is not loaded`);
        return { status: "flow", identityId, outcome: await start(link) };
      }
    }
    if (explicit) return { status: "flow", identityId, outcome: await start(explicit.flow, explicit.event) };

    if (active) {
      // «Не пишите мне больше» stops messages from inside any flow, even one that takes any text as its answer.
      const stopFlow = event.type === "TEXT" ? this.#stopWish(catalog, target, event.text) : undefined;
      if (stopFlow && stopFlow.def.id !== active.flowId) return { status: "flow", identityId, outcome: await start(stopFlow) };
      // A conversation about a ward (a reminder of a child's visit) goes on about the ward.
      const about = await aboutWard(tx, target, active.patientId);
      const outcome = await continueConversation(tx, deps, about, active, event, step);
      if (outcome.handled) return { status: "flow", identityId, outcome };
    }
    const triggered = event.type === "TEXT" ? catalog.triggeredBy(event.text) : undefined;
    if (triggered) return { status: "flow", identityId, outcome: await start(triggered) };
    if (event.type === "TEXT") {
      const byPattern = catalog.patternFlow(event.text);
      if (byPattern) return { status: "flow", identityId, outcome: await start(byPattern, { type: "START", payload: event.text.trim() }) };
      // Free text goes to a person, not the menu, when it is for one (free-text.ts).
      const reading = readerFor(catalog.reader, target)(event.text, "free");
      const chosen = await flowForFreeText(tx, { catalog, identityId, text: event.text, reading, noteFlowId: this.options.noteFlow ?? "patient-message", now });
      if (chosen) return { status: "flow", identityId, outcome: await startConversation(tx, deps, target, chosen.flow, undefined, { ...step, context: chosen.context }) };
    }
    const fallback = catalog.get(fallbackId);
    if (!fallback) throw new Error(`the fallback flow "${fallbackId}" is not loaded`);
    return { status: "flow", identityId, outcome: await start(fallback) };
  }

  /** The opt-out flow, when the text clearly asks to stop the messages. */
  #stopWish(catalog: FlowCatalog, target: ChatTarget, text: string): LoadedFlow | undefined {
    const reading = readerFor(catalog.reader, target)(text, "free");
    return reading.intent === "stop" && reading.confidence >= CLEAR ? catalog.byIntent("stop") : undefined;
  }

  async #lastOptions(tx: Tx, identityId: number, active: { snapshot: unknown } | null): Promise<OutboundOption[] | null> {
    const source =
      active ??
      (await tx.conversation.findFirst({
        where: { identityId, status: "closed", closedAt: { gte: new Date(this.options.clock.now().getTime() - OPTIONS_MEMORY_MS) } },
        orderBy: { id: "desc" },
        select: { snapshot: true },
      }));
    // A session this code cannot read offers no options (the runtime closes its conversation).
    return source ? (tryReadSession(source.snapshot)?.options ?? null) : null;
  }

  #explicitFlow(catalog: FlowCatalog, event: InboundEvent): { flow: LoadedFlow; event?: InboundEvent } | null {
    if (event.type === "CHOICE" && event.value.startsWith(MENU_VALUE_PREFIX)) {
      const flow = catalog.get(event.value.slice(MENU_VALUE_PREFIX.length));
      return flow ? { flow } : null;
    }
    if (event.type === "START") {
      const byPayload = event.payload ? catalog.byPayload(event.payload) : undefined;
      if (byPayload) return { flow: byPayload, event };
      const start = catalog.triggeredBy("/start");
      return start ? { flow: start, event } : null;
    }
    if (event.type === "TEXT") {
      // The word that started a flow is not an answer to its first question.
      const flow = catalog.triggeredBy(event.text);
      if (flow?.def.triggers.global) return { flow };
    }
    return null;
  }

  async #target(tx: Tx, message: InboundMessage, now: Date): Promise<{ target: ChatTarget; identityId: number; active: ActiveConversationRow | null; stamp: number }> {
    const clinicId = this.options.clinicId;
    const locale = message.languageCode ? message.languageCode.slice(0, 2).toLowerCase() : null;
    // Identity, patient, clinic and running conversation: one statement on PostgreSQL, two on
    // SQLite; a new chat's first message creates its identity instead of touching it.
    const q = typedSqlOn(tx, this.options.db.provider);
    const key = { clinicId, channel: message.channel, externalChatId: message.chatId };
    const { identity, clinic, patient, active } = (await touchAndRead(q, key, { now, locale })) ?? (await this.#newChat(q, key, message, now, locale));
    return {
      identityId: identity.id,
      active,
      stamp: clinic.updatedAt.getTime(),
      target: { clinic: await this.#clinicOf(tx, clinic), identity: { id: identity.id, channel: identity.channel, locale: identity.locale }, patient },
    };
  }

  /** A chat's first message: its identity is created, then read with its clinic like any other. */
  async #newChat(q: TypedSql, key: Parameters<typeof createIdentity>[1], message: InboundMessage, now: Date, locale: string | null) {
    const identity = await createIdentity(q, key, { now, locale, externalUserId: message.userId ?? null, username: message.username ?? null, displayName: message.displayName ?? null });
    return { identity, ...(await readClinicAndPatient(q, key.clinicId, identity.patientId, identity.id)) };
  }

  /** The clinic with its settings, and the row's updatedAt (ms): the version the caches are keyed by. */
  async #clinic(tx: Tx): Promise<{ clinic: ChatTarget["clinic"]; stamp: number }> {
    const row = await tx.clinic.findUniqueOrThrow({ where: { id: this.options.clinicId } });
    return { clinic: await this.#clinicOf(tx, row), stamp: row.updatedAt.getTime() };
  }

  /**
   * Settings are parsed, and the clinic's own texts read and compiled, once per clinic edit (the
   * row's updatedAt, which publishing a text moves too): the one clinic source (clinic-source.ts).
   */
  #clinicOf(tx: Tx, row: ClinicRow): Promise<ChatTarget["clinic"]> {
    return clinicSource(this.options.db).chatClinicOf(tx, this.options.db.provider, row);
  }

  async #recordInbound(tx: Tx, message: InboundMessage, identityId: number, conversationId: number | null, now: Date): Promise<void> {
    const event = message.event;
    const text = event.type === "TEXT" ? event.text : event.type === "START" ? `/start${event.payload ? ` ${event.payload}` : ""}` : null;
    // Typed SQL: this runs for every message (on SQLite past Prisma, src/db/direct-sqlite.ts).
    const q = typedSqlOn(tx, this.options.db.provider);
    try {
      await recordInboundLine(q, { clinicId: this.options.clinicId, identityId, conversationId, text, payload: JSON.stringify(event), dedupeKey: message.dedupeKey ?? null, now });
    } catch (error) {
      if (isUniqueViolation(error, "dedupeKey")) throw new DuplicateUpdate();
      throw error;
    }
  }

  /** A flow failed: keep the patient's message, tell them kindly, and ask a person to look. */
  async #recordFlowError(message: InboundMessage, error: unknown): Promise<RouteResult> {
    const text = error instanceof Error ? error.message : String(error);
    return this.options.db.transaction(async (tx) => {
      const now = this.options.clock.now();
      const { target, identityId } = await this.#target(tx, message, now);
      // The files' catalog: this apology must not depend on what may have just failed.
      const deps = this.#depsFor(this.options.catalog());
      const active = await tx.conversation.findFirst({ where: { identityId, status: { in: ["bot", "operator"] } }, orderBy: { id: "desc" } });
      await this.#recordInbound(tx, message, identityId, active?.id ?? null, now);
      const escalation = await openEscalation(tx, {
        clinicId: target.clinic.id,
        timezone: target.clinic.timezone,
        sla: target.clinic.settings.sla,
        calendar: target.clinic.settings.calendar,
        patientId: target.patient?.id ?? null,
        identityId,
        conversationId: active?.id ?? null,
        reason: "flow_error",
        priority: "high",
        summary: clip(text, 200),
        details: { error: text, flow: active?.flowId ?? null },
        now,
        alerts: this.options.escalationAlerts,
      });
      const facts = await loadFacts(tx, this.options.db.provider, target, now, this.options.catalog().reader);
      const view = buildView(target, facts, {}, { escalation: { id: escalation.id, dueAt: escalation.slaDueAt, priority: escalation.priority } });
      const reply = templatesFor(this.options.catalog(), target).render("common.error", view);
      await queueMessage(tx, deps, {
        clinicId: target.clinic.id,
        conversationId: active?.id ?? null,
        identityId,
        patientId: target.patient?.id ?? null,
        flowId: active?.flowId ?? "system",
        category: "reply",
        message: { text: reply },
        n: 0,
      });
      return { status: "flow_error" as const, identityId, conversationId: active?.id ?? null, error: text };
    });
  }

  #announce(result: RouteResult, message: InboundMessage): void {
    if (result.status === "duplicate") return;
    const conversationId = result.status === "flow" ? result.outcome.conversationId : result.conversationId;
    if (result.status === "operator") {
      const text = message.event.type === "TEXT" ? message.event.text : null;
      this.events.emit("operator-inbound", { conversationId: result.conversationId, identityId: result.identityId, text });
    }
    // The step's replies are in this chat (claimed by chat); a step that said nothing, or an
    // operator holding the chat, leaves whatever else may be due to the dispatcher's scan.
    const replied = result.status === "flow_error" || (result.status === "flow" && result.outcome.messages > 0);
    if (replied) this.events.emit("outbox", result.identityId);
    else this.events.emit("outbox");
    this.events.emit("transcript", { identityId: result.identityId, conversationId });
  }

  /**
   * Starts a flow in a chat on CareBot's own initiative (a scheduled reminder, a campaign), or
   * joins the caller's transaction when given one (the dispatcher marks its outbox row in it).
   */
  async startFlow(
    identityId: number,
    flowId: string,
    options: {
      category: MessageCategory;
      outboxKeyPrefix?: string;
      payload?: string;
      context?: Record<string, unknown>;
      /** More work for the same transaction (the dispatcher marks its outbox row done in it). */
      alsoInTransaction?: (tx: Tx) => Promise<void>;
      /** The conversation is about this patient, a ward of the chat's own (src/domain/families). */
      patientId?: number;
    },
    tx?: Tx,
  ): Promise<StepOutcome> {
    const run = async (t: Tx) => {
      const { target, stamp } = await this.#targetForIdentity(t, identityId, options.patientId);
      const catalog = await this.#catalogFor(t, stamp);
      const flow = catalog.get(flowId);
      if (!flow) throw new Error(catalog.flows.has(flowId) ? `the clinic turned the flow "${flowId}" off` : `no flow "${flowId}"`);
      const event: InboundEvent | undefined = options.payload !== undefined ? { type: "START", payload: options.payload } : undefined;
      const outcome = await startConversation(t, this.#depsFor(catalog), target, flow, event, { category: options.category, outboxKeyPrefix: options.outboxKeyPrefix, context: options.context });
      await options.alsoInTransaction?.(t);
      return outcome;
    };
    if (tx) return run(tx);
    const identity = await this.options.db.prisma.channelIdentity.findUniqueOrThrow({ where: { id: identityId } });
    const outcome = await this.#queue.run(`${identity.channel}:${identity.externalChatId}`, () => this.options.db.transaction(run));
    // Replies are claimed by their chat; care and marketing go through the dispatcher's rules on a scan.
    if (options.category === "reply") this.events.emit("outbox", identityId);
    else this.events.emit("outbox");
    this.events.emit("transcript", { identityId, conversationId: outcome.conversationId });
    return outcome;
  }

  /**
   * An operator's answer to the patient: it goes through the same outbox and channel as the
   * bot's, recorded in the transcript with the operator's id. Never held by quiet hours.
   */
  async operatorReply(conversationId: number, operatorId: number, text: string): Promise<number> {
    const conversation = await this.options.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { identity: true } });
    const messageId = await this.#queue.run(`${conversation.identity.channel}:${conversation.identity.externalChatId}`, () =>
      this.options.db.transaction(async (tx) => {
        await tx.conversation.update({ where: { id: conversationId }, data: { operatorActiveAt: this.options.clock.now() } });
        return queueMessage(tx, this.#depsFor(this.options.catalog()), {
          clinicId: conversation.clinicId,
          conversationId,
          identityId: conversation.identityId,
          patientId: conversation.patientId,
          flowId: conversation.flowId,
          category: "reply",
          message: { text },
          n: 0,
          operatorId,
        });
      }),
    );
    this.events.emit("outbox", conversation.identityId);
    this.events.emit("transcript", { identityId: conversation.identityId, conversationId });
    return messageId;
  }

  /**
   * An operator writes to a patient first (from the patient card): a transcript line outside any
   * conversation and an outbox row of OPERATOR_FIRST_KIND, due at `dueAt` (the end of the quiet
   * hours, or now). The dispatcher's rules for service messages decide when it really leaves.
   */
  async operatorFirst(m: { clinicId: number; identityId: number; patientId: number; operatorId: number; text: string; dueAt: Date }): Promise<number> {
    const identity = await this.options.db.prisma.channelIdentity.findUniqueOrThrow({ where: { id: m.identityId } });
    const messageId = await this.#queue.run(`${identity.channel}:${identity.externalChatId}`, async () =>
      this.options.db.transaction(async (tx) => {
        // The operator's message is now what the patient answers: a menu or survey still waiting
        // in the chat would take that answer for a wrong choice. Closed, the answer reaches the
        // staff as a note (the patient-message flow), like any message that fits no flow.
        await tx.conversation.updateMany({
          where: { identityId: m.identityId, status: "bot" },
          data: { status: "closed", closedAt: this.options.clock.now(), timerDueAt: null },
        });
        return queueMessage(tx, this.#depsFor(this.options.catalog()), {
          clinicId: m.clinicId,
          conversationId: null,
          identityId: m.identityId,
          patientId: m.patientId,
          flowId: "operator",
          category: "transactional",
          kind: OPERATOR_FIRST_KIND,
          dueAt: m.dueAt,
          message: { text: m.text },
          n: 0,
          operatorId: m.operatorId,
        });
      }),
    );
    this.events.emit("outbox");
    this.events.emit("transcript", { identityId: m.identityId, conversationId: null });
    return messageId;
  }

  /**
   * The operator hands the conversation back: the flow gets RESUME and carries on (a flow with
   * nothing to do on RESUME simply ends, so the next message starts afresh).
   */
  async resume(conversationId: number): Promise<StepOutcome | null> {
    const { db } = this.options;
    const conversation = await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { identity: true } });
    const outcome = await this.#queue.run(`${conversation.identity.channel}:${conversation.identity.externalChatId}`, () =>
      db.transaction(async (tx) => {
        const row = await tx.conversation.update({ where: { id: conversationId }, data: { status: "bot", operatorId: null } });
        const { target, stamp } = await this.#targetForIdentity(tx, row.identityId, row.patientId);
        const deps = this.#depsFor(await this.#catalogFor(tx, stamp));
        const result = await continueConversation(tx, deps, target, row, { type: "RESUME" }, { category: "reply" });
        if (!result.handled) {
          await tx.conversation.update({ where: { id: conversationId }, data: { status: "closed", closedAt: this.options.clock.now(), timerDueAt: null } });
          return null;
        }
        return result;
      }),
    );
    this.events.emit("outbox");
    this.events.emit("transcript", { identityId: conversation.identityId, conversationId });
    return outcome;
  }

  /** The clinic's flows now (its published versions over the files): what the planners start. */
  clinicCatalog(): Promise<FlowCatalog> {
    return this.#catalogs.current(this.options.db, this.options.clinicId);
  }

  /** Fires the flow timers that are due (called by the scheduler every minute). */
  async fireDueTimers(limit = 100): Promise<number> {
    const { db } = this.options;
    const due = await db.prisma.conversation.findMany({
      where: { status: "bot", timerDueAt: { lte: this.options.clock.now() } },
      select: { id: true, identity: { select: { channel: true, externalChatId: true } } },
      orderBy: { timerDueAt: "asc" },
      take: limit,
    });
    let fired = 0;
    for (const c of due) {
      fired += await this.#queue.run(`${c.identity.channel}:${c.identity.externalChatId}`, () =>
        db.transaction(async (tx) => {
          const row = await tx.conversation.findUnique({ where: { id: c.id } });
          if (!row || row.status !== "bot") return 0;
          const { target, stamp } = await this.#targetForIdentity(tx, row.identityId, row.patientId);
          const catalog = await this.#catalogFor(tx, stamp);
          const flow = catalog.flows.get(row.flowId);
          return fireTimers(tx, this.#depsFor(catalog), target, row, flow?.def.category ?? "transactional");
        }),
      );
    }
    if (fired > 0) this.events.emit("outbox");
    return fired;
  }

  /** The chat's target; about `aboutPatientId` instead of the chat's patient when that is their ward. */
  async #targetForIdentity(tx: Tx, identityId: number, aboutPatientId?: number | null): Promise<{ target: ChatTarget; stamp: number }> {
    const identity = await tx.channelIdentity.findUniqueOrThrow({ where: { id: identityId }, include: { patient: true } });
    const { clinic, stamp } = await this.#clinic(tx);
    const target: ChatTarget = { clinic, identity: { id: identity.id, channel: identity.channel, locale: identity.locale }, patient: identity.patient };
    return { stamp, target: await aboutWard(tx, target, aboutPatientId ?? null) };
  }
}
