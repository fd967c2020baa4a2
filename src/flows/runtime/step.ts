import type { Branch } from "../../domain/branches/branch.ts";
import { branchById, branchIdOfContext } from "../../domain/branches/lookup.ts";
import type { EscalationAlerts } from "../../domain/escalations/alert.ts";
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate";
import type { InboundEvent, OutboundMessage, OutboundOption } from "../events.ts";
import type { MessageCategory, Prisma, Tx } from "../../db/client.ts";
import { isDatabaseError } from "../../db/errors.ts";
import { queueMessageRows, writeMessageAndSession, writeSessionRow } from "../../db/queries/conversation-writes.ts";
import type { QueuedMessage } from "../../db/queries/conversation-writes.ts";
import { typedSqlOn } from "../../db/kysely/index.ts";
import type { Provider, TypedSql } from "../../db/kysely/index.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../util/clock.ts";
import type { FlowDefinition } from "../definition/schema.ts";
import type { FlowCatalog, LoadedFlow } from "../loader/catalog.ts";
import { DEFAULT_MAX_INVALID, DEFAULT_REASK_CHOICE_TEMPLATE, DEFAULT_REASK_TEMPLATE, THANKS_REASK_CHOICE_TEMPLATE } from "../registry/actions/ask.ts";
import { CLEAR, FREE_TEXT_INTENTS } from "../../domain/understanding/index.ts";
import type { Intent } from "../../domain/understanding/index.ts";
import type { EffectContext, Facts, SayRequest, StepScope } from "../registry/types.ts";
import { definitionOf, keyOf, machineOf } from "./definitions.ts";
import { buildView, loadFacts, templatesFor } from "./facts.ts";
import { firstNameOf } from "../../domain/names/names.ts";
import type { ChatTarget } from "./facts.ts";
import { normalizeEvent } from "./normalize-event.ts";
import { pureInitialTransition, pureTransition } from "./pure-transition.ts";
import { whatsappKindOf } from "./whatsapp-kind.ts";
import { wardChoice } from "./ward-choice.ts";
import { nextTimer, readSession, SESSION_VERSION, sessionFormat } from "./session.ts";
import { textsForFlow } from "../templates/flow-texts.ts";
import type { TemplateStore, TemplateView } from "../templates/index.ts";
import type { PersistedTimer, Session } from "./session.ts";

export interface RuntimeDeps {
  clock: Clock;
  logger: Logger;
  /** Which database the step's transaction runs on (the hot path writes some raw SQL). */
  provider: Provider;
  /** The catalog in force now (it changes on hot reload). */
  catalog(): FlowCatalog;
  /** Where urgent escalations are announced to the staff, if anywhere. */
  escalationAlerts?: EscalationAlerts;
  /** CareBot's own address (PUBLIC_URL), for links that come back to it (review links). */
  publicUrl: string;
}

export interface StepOptions {
  /** reply: answering the patient now; otherwise the flow's own category (scheduled, timers). */
  category: MessageCategory;
  /** The channel shows options as a numbered list (WhatsApp), so "2" picks the second. */
  numberedMenu?: boolean;
  /** Deterministic prefix for the outbox keys of the messages this step queues. */
  outboxKeyPrefix?: string;
  /** Initial values for the started flow's declared context keys. */
  context?: Record<string, unknown>;
}

export interface StepOutcome {
  conversationId: number;
  /** False when the flow had no answer for the event and no question to repeat. */
  handled: boolean;
  state: string;
  done: boolean;
  messages: number;
}

/** A conversation row; the definition column may be left out (it is read only when not cached). */
type ConversationRow = Omit<Prisma.ConversationGetPayload<{}>, "flowDefinition" | "contentVersionId"> & { flowDefinition?: Prisma.JsonValue };

const NO_BRANCH: Promise<Branch | null> = Promise.resolve(null);

export const MENU_VALUE_PREFIX = "menu-";
const MAX_CHAINED_FLOWS = 5;

function stateOf(snapshot: AnyMachineSnapshot): string {
  return typeof snapshot.value === "string" ? snapshot.value : JSON.stringify(snapshot.value);
}

/**
 * One step of one conversation: the pure XState transition, then its effects inside the caller's
 * transaction. Snapshot, transcript and outbox rows are written together or not at all.
 */
class Step {
  messagesQueued = 0;
  chained: { flowId: string; payload?: string } | null = null;
  ended = false;
  /** What effects leave for later templates of the same step (result.escalation, result.slots…). */
  readonly result: Record<string, unknown> = {};
  /** Outcomes effects report back to the flow (RESULT events), handled within the same step. */
  readonly raised: InboundEvent[] = [];
  /** The options of the last message this step showed, if any showed options. */
  options: OutboundOption[] | null = null;
  /**
   * The last message said and not yet written: it is written with the session at the end of the
   * step (one statement on PostgreSQL), or before anything else the step writes or says.
   */
  pending: QueuedMessage | null = null;

  constructor(
    readonly tx: Tx,
    readonly deps: RuntimeDeps,
    readonly target: ChatTarget,
    readonly facts: Facts,
    readonly stepOptions: StepOptions,
    /** The texts of the definition this step runs on (its own texts first: flow-texts.ts). */
    readonly texts: TemplateStore,
  ) {}

  scope(conversationId: number, flowId: string): StepScope {
    return {
      clinicId: this.target.clinic.id,
      clinic: this.target.clinic,
      conversationId,
      identityId: this.target.identity.id,
      patientId: this.target.patient?.id ?? null,
      guardianId: this.target.guardian?.id ?? null,
      flowId,
    };
  }

  async say(scope: StepScope, context: Record<string, unknown>, result: Record<string, unknown>, request: SayRequest): Promise<void> {
    const catalog = this.deps.catalog();
    const view = buildView(this.target, this.facts, context, result, await this.branchOf(scope, context));
    const texts = this.texts;
    const options: OutboundOption[] | undefined =
      request.options === "menu"
        ? catalog.menu().map((m) => ({ value: `${MENU_VALUE_PREFIX}${m.flowId}`, label: texts.render(m.label, view) }))
        : request.options?.map((o) => ({ value: o.value, label: "text" in o ? o.text : texts.render(o.label, view) }));
    // About a ward: the buttons name them, so a tap answers their conversation (ward-choice.ts).
    const guardian = this.target.guardian && this.target.patient ? this.target.patient.id : null;
    const shown = guardian === null ? options : options?.map((o) => (typeof o.value === "string" ? { ...o, value: wardChoice(guardian, o.value) } : o));
    const message: OutboundMessage = {
      text: texts.render(request.template, view),
      ...(shown && shown.length > 0 ? { options: shown } : {}),
      ...(request.requestContact ? { requestContact: true } : {}),
      ...(request.links && request.links.length > 0 ? { links: request.links } : {}),
      ...(this.target.identity.channel === "whatsapp"
        ? {
            whatsapp: whatsappKindOf(request.template, this.target.clinic.settings.whatsappTemplates, view, (problem) =>
              this.deps.logger.warn({ problem }, "a WhatsApp template parameter could not be filled in"),
            ),
          }
        : {}),
    };
    if (options && options.length > 0) this.options = options;
    await this.flush();
    this.pending = queuedRow(this.deps, { ...scope, category: this.stepOptions.category, keyPrefix: this.stepOptions.outboxKeyPrefix, message, n: this.messagesQueued });
    this.messagesQueued++;
  }

  /** Writes the message held back, if any (before an effect runs: it may read what was said). */
  async flush(): Promise<void> {
    const m = this.pending;
    if (!m) return;
    this.pending = null;
    await queueMessageRows(this.tx, this.deps.provider, m);
  }

  readonly #branches = new Map<string, Promise<Branch | null>>();

  /**
   * The branch the conversation is about, once per step and subject (a step may say several
   * things); none without asking when the clinic lists no branches (known per clinic version).
   */
  branchOf(scope: StepScope, context: Record<string, unknown>): Promise<Branch | null> {
    if (this.target.clinic.hasBranches === false) return NO_BRANCH;
    const key = `${String(context.visitId)}:${String(context.appointmentId)}:${scope.patientId}`;
    let found = this.#branches.get(key);
    if (!found) {
      found = branchIdOfContext(this.tx, { patientId: scope.patientId, visitId: context.visitId, appointmentId: context.appointmentId }).then((id) => branchById(this.tx, id));
      this.#branches.set(key, found);
    }
    return found;
  }

  effectContext(scope: StepScope, context: Record<string, unknown>, event: InboundEvent | undefined): EffectContext {
    return new StepEffects(this, scope, context, event);
  }

  /** Runs the actions XState listed, in order; returns the timers they leave. */
  async runActions(actions: readonly { type: string; params?: unknown }[], timers: PersistedTimer[], ctx: EffectContext): Promise<PersistedTimer[]> {
    const registry = this.deps.catalog().registry;
    let pending = timers;
    for (const action of actions) {
      const params = (action.params ?? {}) as Record<string, any>;
      if (action.type === "xstate.raise" && typeof params.delay === "number") {
        const dueAt = new Date(this.deps.clock.now().getTime() + params.delay).toISOString();
        pending = [...pending.filter((t) => t.id !== params.id), { id: String(params.id), event: String(params.event?.type), dueAt }];
      } else if (action.type === "xstate.cancel") {
        pending = pending.filter((t) => t.id !== params.sendId);
      } else if (!action.type.startsWith("xstate.")) {
        const def = registry.actions[action.type];
        if (!def) throw new Error(`unknown action "${action.type}"`);
        if (def.run) {
          await this.flush();
          await def.run(ctx, params);
        }
      }
    }
    return pending;
  }
}

/**
 * What an action sees of its step (registry/types.ts). Methods on a class, not an object of
 * arrow functions: under tsx every named arrow made per action is also renamed (keepNames'
 * __name, an Object.defineProperty each), and actions run on every message.
 */
class StepEffects implements EffectContext {
  readonly #step: Step;
  readonly tx: Tx;
  readonly sql: TypedSql;
  readonly clock: Clock;
  readonly escalationAlerts: EscalationAlerts | undefined;
  readonly publicUrl: string;
  readonly facts: Facts;
  readonly result: Record<string, unknown>;

  constructor(
    step: Step,
    readonly scope: StepScope,
    readonly context: Record<string, unknown>,
    readonly event: InboundEvent | undefined,
  ) {
    this.#step = step;
    this.tx = step.tx;
    this.sql = typedSqlOn(step.tx, step.deps.provider);
    this.clock = step.deps.clock;
    this.escalationAlerts = step.deps.escalationAlerts;
    this.publicUrl = step.deps.publicUrl;
    this.facts = step.facts;
    this.result = step.result;
  }

  view(): TemplateView {
    return buildView(this.#step.target, this.facts, this.context, this.result);
  }

  say(request: SayRequest): Promise<void> {
    return this.#step.say(this.scope, this.context, this.result, request);
  }

  branch(subject?: { visitId?: unknown; appointmentId?: unknown }): Promise<Branch | null> {
    return this.#step.branchOf(this.scope, subject ?? this.context);
  }

  raise(value: string): void {
    this.#step.raised.push({ type: "RESULT", value });
  }

  startFlow(flowId: string, payload?: string): void {
    this.#step.chained = { flowId, payload };
  }

  end(): void {
    this.#step.ended = true;
  }

  linkPatient(patient: Parameters<EffectContext["linkPatient"]>[0]): void {
    this.#step.target.patient = patient;
    this.scope.patientId = patient.id;
    this.facts.patient = { id: patient.id, fullName: patient.fullName, firstName: firstNameOf(patient), optedOut: patient.optedOutAt !== null };
  }
}

/** Hands the flow the outcomes its effects reported (RESULT events), each in turn, in this step. */
async function settle(
  step: Step,
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  timers: PersistedTimer[],
  scope: StepScope,
): Promise<{ snapshot: AnyMachineSnapshot; timers: PersistedTimer[] }> {
  for (let i = 0; i < 10 && step.raised.length > 0 && snapshot.status !== "done"; i++) {
    const event = step.raised.shift()!;
    const machineEvent = { ...event, facts: step.facts } as any;
    const [next, actions] = pureTransition(machine, snapshot, machineEvent);
    if (next === snapshot && actions.length === 0 && !snapshot.can(machineEvent)) {
      throw new Error(`state "${stateOf(snapshot)}" of flow "${scope.flowId}" does not handle the result "${(event as { value: string }).value}"`);
    }
    timers = await step.runActions(actions, timers, step.effectContext(scope, next.context, event));
    snapshot = next;
  }
  return { snapshot, timers };
}

/**
 * Queues one rendered message: a transcript line and an outbox row, in the step's transaction.
 * Typed SQL (src/db/kysely), since nearly every message passes here (on SQLite past Prisma: src/db/direct-sqlite.ts).
 */
export async function queueMessage(
  tx: Tx,
  deps: Pick<RuntimeDeps, "clock" | "provider">,
  m: Omit<StepScope, "conversationId" | "clinic"> & {
    conversationId: number | null;
    category: MessageCategory;
    keyPrefix?: string;
    message: OutboundMessage;
    n: number;
    operatorId?: number;
    /** The outbox row's kind (default "flow:<flowId>") and when it is due (default now). */
    kind?: string;
    dueAt?: Date;
  },
): Promise<number> {
  return queueMessageRows(tx, deps.provider, queuedRow(deps, m));
}

/** The rows of one rendered message, as conversation-writes.ts takes them. */
function queuedRow(deps: Pick<RuntimeDeps, "clock">, m: Parameters<typeof queueMessage>[2]): QueuedMessage {
  const now = deps.clock.now();
  return {
    clinicId: m.clinicId,
    identityId: m.identityId,
    conversationId: m.conversationId,
    patientId: m.patientId ?? null,
    operatorId: m.operatorId ?? null,
    text: m.message.text,
    message: JSON.stringify(m.message),
    idempotencyKey: m.keyPrefix ? `${m.keyPrefix}:${m.n}` : null,
    kind: m.kind ?? `flow:${m.flowId}`,
    category: m.category,
    dueAt: m.dueAt ?? now,
    now,
  };
}

/** The action in a state's entry that asks the patient something (ask, offerSlots…), if any. */
function askOf(def: FlowDefinition, state: string, catalog: FlowCatalog): { type: string; params: Record<string, any> } | null {
  const entry = def.states[state]?.entry;
  const list = entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
  const asking = list.find((a) => catalog.registry.actions[a.type]?.asks);
  return asking ? { type: asking.type, params: catalog.registry.actions[asking.type]!.params.parse(asking.params ?? {}) as Record<string, any> } : null;
}

async function persist(
  tx: Tx,
  provider: Provider,
  conversationId: number,
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  session: Session,
  closed: boolean,
  now: Date,
  pending: QueuedMessage | null,
): Promise<void> {
  const timers = closed ? [] : session.timers;
  const stored: Session = { ...session, timers, machine: machine.getPersistedSnapshot(snapshot) as Record<string, unknown> };
  await writeSession(tx, provider, conversationId, stored, now, closed, pending);
}

/**
 * The one write of a conversation's session (snapshot, timers) and its next timer, on every
 * step: no row read back (the row holds the whole flow definition). `closing` ends it too.
 * The step's last message, when one is held back, goes with it (conversation-writes.ts).
 */
async function writeSession(tx: Tx, provider: Provider, conversationId: number, session: Session, now: Date, closing = false, pending: QueuedMessage | null = null): Promise<void> {
  const next = nextTimer(session.timers);
  const write = { conversationId, snapshot: JSON.stringify(session), timerDueAt: next ? new Date(next.dueAt) : null, timerEvent: next?.event ?? null, now, closing };
  if (pending) await writeMessageAndSession(tx, provider, pending, write);
  else await writeSessionRow(tx, provider, write);
}

/** Closes whatever bot conversation the chat has open, so one chat runs one flow at a time. */
async function closeOpenConversations(tx: Tx, identityId: number, now: Date): Promise<void> {
  await tx.conversation.updateMany({ where: { identityId, status: "bot" }, data: { status: "closed", closedAt: now, timerDueAt: null } });
}

/**
 * Starts a flow for a chat: creates the conversation (recording the definition it starts on),
 * runs the initial state's entry and, if the flow was started by a message, hands it that event.
 */
export async function startConversation(
  tx: Tx,
  deps: RuntimeDeps,
  target: ChatTarget,
  flow: LoadedFlow,
  event: InboundEvent | undefined,
  options: StepOptions,
  facts?: Facts,
  depth = 0,
): Promise<StepOutcome> {
  const now = deps.clock.now();
  const stepFacts = facts ?? (await loadFacts(tx, deps.provider, target, now, deps.catalog().reader));
  await closeOpenConversations(tx, target.identity.id, now);
  const catalog = deps.catalog();
  const key = keyOf(flow.def);
  const machine = machineOf(flow.def, key, catalog.registry);
  const conversation = await tx.conversation.create({
    data: {
      clinicId: target.clinic.id,
      identityId: target.identity.id,
      patientId: target.patient?.id ?? null,
      flowId: flow.def.id,
      flowVersion: flow.def.version,
      flowDefinition: flow.def as unknown as Prisma.InputJsonValue,
      contentVersionId: flow.contentVersionId ?? null,
      snapshot: {},
      startedAt: now,
    },
    select: { id: true },
  });
  const step = new Step(tx, deps, target, stepFacts, options, textsForFlow(flow.def, templatesFor(catalog, target)));
  const [initial, actions] = pureInitialTransition(machine, { facts: stepFacts, context: depth === 0 ? options.context : undefined });
  const scope = step.scope(conversation.id, flow.def.id);
  let timers = await step.runActions(actions, [], step.effectContext(scope, initial.context, event));
  let snapshot: AnyMachineSnapshot = initial;
  ({ snapshot, timers } = await settle(step, machine, snapshot, timers, scope));
  // A flow started by a deep link sees the START that started it.
  if (event && snapshot.status !== "done") {
    const [next, more] = pureTransition(machine, snapshot, { ...event, facts: stepFacts } as any);
    if (next !== snapshot || more.length > 0) {
      timers = await step.runActions(more, timers, step.effectContext(scope, next.context, event));
      ({ snapshot, timers } = await settle(step, machine, next, timers, scope));
    }
  }
  return finish(tx, deps, target, step, { conversationId: conversation.id, machine, snapshot, session: { v: SESSION_VERSION, definitionKey: key, machine: {}, timers, invalid: null, options: null }, handled: true, moved: true }, options, depth);
}

async function finish(
  tx: Tx,
  deps: RuntimeDeps,
  target: ChatTarget,
  step: Step,
  s: { conversationId: number; machine: AnyStateMachine; snapshot: AnyMachineSnapshot; session: Session; handled: boolean; moved: boolean },
  options: StepOptions,
  depth: number,
): Promise<StepOutcome> {
  const now = deps.clock.now();
  const done = s.snapshot.status === "done" || step.ended || step.chained !== null;
  // Options shown earlier stay answerable while the question stands; a new state forgets them.
  const session: Session = { ...s.session, options: step.options ?? (s.moved ? null : s.session.options) };
  const pending = step.pending;
  step.pending = null;
  await persist(tx, deps.provider, s.conversationId, s.machine, s.snapshot, session, done, now, pending);
  const outcome: StepOutcome = { conversationId: s.conversationId, handled: s.handled, state: stateOf(s.snapshot), done, messages: step.messagesQueued };
  if (step.chained) {
    if (depth >= MAX_CHAINED_FLOWS) throw new Error(`flows start each other more than ${MAX_CHAINED_FLOWS} times in one step`);
    const next = deps.catalog().get(step.chained.flowId);
    if (!next) throw new Error(`flow "${step.chained.flowId}" is not loaded`);
    const payloadEvent: InboundEvent | undefined = step.chained.payload !== undefined ? { type: "START", payload: step.chained.payload } : undefined;
    const chained = await startConversation(tx, deps, target, next, payloadEvent, options, step.facts, depth + 1);
    return { ...chained, messages: chained.messages + outcome.messages };
  }
  return outcome;
}

/**
 * Hands an event to a running conversation. An answer the state does not expect makes the
 * runtime re-ask (briefly, with the same buttons, when they are just above), and after
 * `maxInvalid` such answers escalate to a person; a clear wish of another flow leaves it.
 */
export async function continueConversation(
  tx: Tx,
  deps: RuntimeDeps,
  target: ChatTarget,
  conversation: ConversationRow,
  rawEvent: InboundEvent | { type: `xstate.${string}` },
  options: StepOptions,
): Promise<StepOutcome> {
  const now = deps.clock.now();
  const catalog = deps.catalog();
  const stored = await readStoredConversation(tx, deps, conversation);
  if (!stored.ok) {
    // Nothing can carry it on: the conversation ends, and the event is the router's to hand to
    // today's flows (a patient's message is answered as if no conversation were going on).
    await endUnreadable(tx, deps, conversation, stored.error);
    return { conversationId: conversation.id, handled: false, state: "?", done: true, messages: 0 };
  }
  const { session, def, machine, snapshot } = stored;
  const facts = await loadFacts(tx, deps.provider, target, now, catalog.reader);
  const step = new Step(tx, deps, target, facts, options, textsForFlow(def, templatesFor(catalog, target)));
  const scope = step.scope(conversation.id, def.id);
  // Timer events (xstate.after.*) pass as they are; a patient's event is read against the options shown.
  const event = rawEvent.type.startsWith("xstate.")
    ? undefined
    : normalizeEvent(rawEvent as InboundEvent, session.options, options.numberedMenu ?? false, facts.read);

  const machineEvent = { ...(event ?? rawEvent), facts } as any;
  // A clear wish for another flow («сколько у меня баллов?») leaves a question nothing here takes
  // it for: the router sends it where the menu would, and the new flow closes this one. A state
  // that takes any text (an NPS comment, a note) keeps it: leaving there would drop what the
  // patient already answered (the score is recorded with the comment). The wish is asked first:
  // it is rare and its reading is already made (the router's), while asking the state runs its
  // guards, which the transition below runs again.
  if (event?.type === "TEXT" && wishesElsewhere(event.text, def.id, facts, catalog) && machine.getTransitionData(snapshot, machineEvent).length === 0) {
    return { conversationId: conversation.id, handled: false, state: stateOf(snapshot), done: false, messages: 0 };
  }
  const [next, actions] = pureTransition(machine, snapshot, machineEvent);
  // A transition without a target (or to the state it is in) may keep the snapshot and list no
  // actions; it was still taken.
  if (next !== snapshot || actions.length > 0 || snapshot.can(machineEvent)) {
    const ran = await step.runActions(actions, session.timers, step.effectContext(scope, next.context, event));
    const settled = await settle(step, machine, next, ran, scope);
    return finish(tx, deps, target, step, { conversationId: conversation.id, machine, snapshot: settled.snapshot, session: { ...session, timers: settled.timers, invalid: null }, handled: true, moved: true }, options, 0);
  }

  // Nothing in the flow takes this event.
  const state = stateOf(snapshot);
  const ctx = step.effectContext(scope, snapshot.context, event);
  if (event?.type === "MEDIA") {
    await ctx.say({ template: "common.media" });
    return finish(tx, deps, target, step, { conversationId: conversation.id, machine, snapshot, session, handled: true, moved: false }, options, 0);
  }
  const ask = event ? askOf(def, state, catalog) : null;
  if (!ask) {
    return { conversationId: conversation.id, handled: false, state, done: false, messages: 0 };
  }
  const reading = event?.type === "TEXT" ? facts.read(event.text, "free") : null;
  // Something a person must read is not a wrong answer: a red flag, a clear complaint, or a whole
  // message of its own (a question in a sentence). The router hands it to a person.
  if (event?.type === "TEXT" && (reading!.intent === "urgent" || (reading!.intent === "complaint" && reading!.confidence >= CLEAR) || wordsIn(event.text) >= MESSAGE_WORDS)) {
    return { conversationId: conversation.id, handled: false, state, done: false, messages: 0 };
  }
  // «Спасибо», 👍: politeness is not a wrong answer, it is asked again without counting towards a person.
  const polite = reading !== null && (reading.intent === "thanks" || reading.intent === "fine");
  const thanked = reading !== null && reading.intent === "thanks" && reading.confidence >= CLEAR;
  const count = (session.invalid?.state === state ? session.invalid.count : 0) + (polite ? 0 : 1);
  let invalid: Session["invalid"] = { state, count };
  if (count >= (ask.params.maxInvalid ?? DEFAULT_MAX_INVALID)) {
    await catalog.registry.actions.escalate!.run!(ctx, { reason: "unrecognized_input", priority: "normal" });
    await ctx.say({ template: "common.escalated-unrecognized" });
    invalid = null;
  } else if (session.options?.length || ask.params.requestContact) {
    // The question and its buttons are just above: a short line with the same buttons, not the whole screen again.
    const options = session.options?.map((o) => ({ value: o.value, text: o.label }));
    // A flow's own re-ask («получится ли прийти на приём?…») already reads as a caring question: it stays.
    const template = ask.params.reask ?? (thanked && session.options?.length ? THANKS_REASK_CHOICE_TEMPLATE : DEFAULT_REASK_CHOICE_TEMPLATE);
    await ctx.say({ template, options, requestContact: ask.params.requestContact });
  } else {
    await ctx.say({ template: ask.params.reask ?? DEFAULT_REASK_TEMPLATE });
    await catalog.registry.actions[ask.type]!.run!(ctx, ask.params);
  }
  return finish(tx, deps, target, step, { conversationId: conversation.id, machine, snapshot, session: { ...session, invalid }, handled: true, moved: false }, options, 0);
}

/** A reply this long that the question does not take is a message of its own, not a wrong answer. */
const MESSAGE_WORDS = 6;
const wordsIn = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/**
 * Whether free text the current question did not take is a clear wish of another flow: one its
 * keyword starts («баланс»), or a meaning a flow of the clinic answers (triggers.intents: a
 * person, a stop, a booking, the balance…), other than the flow already running.
 */
function wishesElsewhere(text: string, flowId: string, facts: Facts, catalog: FlowCatalog): boolean {
  const byKeyword = catalog.triggeredBy(text);
  if (byKeyword) return byKeyword.def.id !== flowId;
  const reading = facts.read(text, "free");
  if (reading.confidence < CLEAR || !(FREE_TEXT_INTENTS as readonly Intent[]).includes(reading.intent)) return false;
  // Only where the menu has somewhere to go: a meaning no flow of the clinic answers stays an answer here.
  const flow = catalog.byIntent(reading.intent);
  return flow !== undefined && flow.def.id !== flowId;
}

/**
 * A running conversation's session, definition and machine state, each upgraded to today's
 * formats, or the error that keeps one of them unreadable even so: a copy broken by hand, or one
 * written by a newer CareBot before a rollback.
 */
async function readStoredConversation(tx: Tx, deps: RuntimeDeps, conversation: ConversationRow) {
  try {
    const session = readSession(conversation.snapshot);
    const def = await definitionOf(tx, conversation, session.definitionKey);
    const machine = machineOf(def, session.definitionKey, deps.catalog().registry);
    const snapshot = machine.resolveState(session.machine as any);
    return { ok: true as const, session, def, machine, snapshot };
  } catch (error) {
    // The database failing is not the stored copy's fault: the caller retries.
    if (isDatabaseError(error)) throw error;
    return { ok: false as const, error };
  }
}

/** Closes a conversation nothing can carry on (no apology, no escalation: nothing went wrong for the patient yet). */
async function endUnreadable(tx: Tx, deps: RuntimeDeps, conversation: Pick<ConversationRow, "id" | "flowId">, error: unknown): Promise<void> {
  deps.logger.warn({ err: error, conversationId: conversation.id, flowId: conversation.flowId }, "a stored conversation cannot be read even after upgrading: it is closed, and what comes next is handled afresh");
  await tx.conversation.update({ where: { id: conversation.id }, data: { status: "closed", closedAt: deps.clock.now(), timerDueAt: null, timerEvent: null } });
}

/** Fires a conversation's due timers (persisted `after` delays) in due order. */
export async function fireTimers(tx: Tx, deps: RuntimeDeps, target: ChatTarget, conversation: ConversationRow, category: MessageCategory): Promise<number> {
  const now = deps.clock.now().toISOString();
  let fired = 0;
  let row = conversation;
  for (let i = 0; i < 10; i++) {
    const read = sessionFormat.safeRead(row.snapshot);
    if (!read.success) {
      await endUnreadable(tx, deps, row, read.error);
      break;
    }
    const session = read.data;
    const due = session.timers.filter((t) => t.dueAt <= now).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    if (!due || row.status !== "bot") break;
    // Drop it first: an event no state takes anymore must not fire again and again.
    const remaining = session.timers.filter((t) => t.id !== due.id);
    const withoutDue = { ...row, snapshot: { ...session, timers: remaining } as unknown as Prisma.JsonValue };
    const outcome = await continueConversation(tx, deps, target, withoutDue, { type: due.event as `xstate.${string}` }, { category });
    fired++;
    if (outcome.done || !outcome.handled) {
      if (!outcome.handled && !outcome.done) await persistTimers(tx, deps, row.id, remaining);
      break;
    }
    row = await tx.conversation.findUniqueOrThrow({ where: { id: row.id } });
  }
  return fired;
}

async function persistTimers(tx: Tx, deps: RuntimeDeps, conversationId: number, timers: PersistedTimer[]): Promise<void> {
  const row = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  await writeSession(tx, deps.provider, conversationId, { ...readSession(row.snapshot), timers }, deps.clock.now());
}
