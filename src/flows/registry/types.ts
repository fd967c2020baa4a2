import type { z } from "zod";
import type { InboundEvent, OutboundOption } from "../events.ts";
import type { TypedSql } from "../../db/kysely/index.ts";
import type { Tx } from "../../db/client.ts";
import type { Branch } from "../../domain/branches/branch.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import type { Clock } from "../../util/clock.ts";
import type { EscalationAlerts } from "../../domain/escalations/alert.ts";
import type { TemplateView } from "../templates/index.ts";
import type { Expectation, Reading } from "../../domain/understanding/index.ts";

/** What the runtime knows about the patient when a step starts; guards decide on it synchronously. */
export interface Facts {
  now: Date;
  patient: { id: number; firstName: string; fullName: string; optedOut: boolean } | null;
  bonus: { balance: number; expiringTotal: number; nextExpiry: Date | null; expiringSoon: { amount: number; expiresAt: Date }[] };
  /** Reads free text in the conversation's language (src/domain/understanding), once per text and expectation. */
  read(text: string, expecting: Expectation): Reading;
}

export interface GuardInput {
  context: Record<string, unknown>;
  /** The inbound event being handled (absent on the flow's first step). */
  event: InboundEvent | undefined;
  facts: Facts;
}

export interface FlowGuard<P = unknown> {
  description: string;
  params: z.ZodType<P>;
  check(input: GuardInput, params: P): boolean;
}

/** Identifiers of the conversation a step runs in. */
export interface StepScope {
  clinicId: number;
  clinic: { name: string; settings: ClinicSettings; timezone: string };
  conversationId: number;
  identityId: number;
  patientId: number | null;
  /** Set when the conversation is about a ward in this guardian's chat (patientId is the ward). */
  guardianId?: number | null;
  flowId: string;
}

/** A message an action wants sent, before rendering. */
export interface SayRequest {
  template: string;
  /** Labels are template keys; `text` gives a label already written (a slot's date and time). */
  options?: ({ value: string | number; label: string } | { value: string | number; text: string })[] | "menu";
  requestContact?: boolean;
  /** Buttons that open a page (already written: a review site's name and CareBot's counting link). */
  links?: { label: string; url: string }[];
}

/** What effects may do inside the step's transaction. */
export interface EffectContext {
  tx: Tx;
  /** Typed SQL on the same transaction (src/db/kysely), for the statements of the hot path. */
  sql: TypedSql;
  clock: Clock;
  /** Where urgent escalations are announced to the staff, if anywhere. */
  escalationAlerts?: EscalationAlerts;
  /** CareBot's own address (PUBLIC_URL), for links that come back to it. */
  publicUrl: string;
  scope: StepScope;
  facts: Facts;
  /** The flow context after this step's transition. */
  context: Record<string, unknown>;
  event: InboundEvent | undefined;
  /** Values an effect leaves for the templates that follow it in the same step (`result.*`). */
  result: Record<string, unknown>;
  view(): TemplateView;
  /** Renders a template and queues it for the patient (transcript + outbox, same transaction). */
  say(request: SayRequest): Promise<void>;
  /** The branch the conversation is about (its visit's, appointment's or patient's), or another subject's. */
  branch(subject?: { visitId?: unknown; appointmentId?: unknown }): Promise<Branch | null>;
  /** Reports an outcome to the flow as a RESULT event, handled right after this action's step. */
  raise(value: string): void;
  /** Starts another flow once this step's effects are done (the current conversation closes). */
  startFlow(flowId: string, payload?: string): void;
  /** Closes the conversation after this step. */
  end(): void;
  /** The chat now belongs to this patient (a newcomer registered as a lead): later actions see them. */
  linkPatient(patient: { id: number; fullName: string; firstName?: string | null; locale: string | null; timezone: string | null; optedOutAt: Date | null }): void;
}

export interface FlowAction<P = unknown> {
  description: string;
  params: z.ZodType<P>;
  /** Template keys the action uses, so a missing text is a load error, not a silent gap. */
  templates?(params: P): string[];
  /** Flows the action starts, checked at load. */
  flows?(params: P): string[];
  /** A context update computed during the transition (XState `assign`). */
  assign?(input: { context: Record<string, unknown>; event: InboundEvent | undefined }, params: P): Record<string, unknown>;
  /**
   * The action puts a question to the patient and its state waits for the answer: an answer the
   * state does not take is met by the re-ask text and the action again (params.reask, maxInvalid).
   */
  asks?: boolean;
  /** A sample of what the action leaves in `result` (e.g. { escalation: { dueAt } }), for template checks. */
  sampleResult?: Record<string, unknown>;
  /** An effect run inside the step's transaction, in the order XState lists it. */
  run?(ctx: EffectContext, params: P): Promise<void>;
}

export interface Registry {
  actions: Record<string, FlowAction<any>>;
  guards: Record<string, FlowGuard<any>>;
}

/** Declares an action with its params type inferred from its zod schema. */
export function defineAction<S extends z.ZodType>(action: FlowAction<z.output<S>> & { params: S }): FlowAction<z.output<S>> {
  return action;
}

export function defineGuard<S extends z.ZodType>(guard: FlowGuard<z.output<S>> & { params: S }): FlowGuard<z.output<S>> {
  return guard;
}
