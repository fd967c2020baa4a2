import { assign, setup } from "xstate";
import type { AnyStateMachine } from "xstate";
import type { InboundEvent } from "./events.ts";
import { parseDelay } from "./definition/duration.ts";
import type { FlowDefinition, NamedRef, StateConfig } from "./definition/schema.ts";
import type { Facts, Registry } from "./registry/types.ts";
import { defaultReader } from "../domain/understanding/index.ts";

/** The event XState sees: the patient's event plus the facts guards decide on. */
export type MachineEvent = (InboundEvent | { type: `xstate.${string}` }) & { facts?: Facts };

const emptyFacts: Facts = {
  now: new Date(0),
  patient: null,
  bonus: { balance: 0, expiringTotal: 0, nextExpiry: null, expiringSoon: [] },
  read: (text, expecting) => defaultReader().read(text, "ru", expecting),
};

function factsOf(event: Record<string, any>): Facts {
  return event.facts ?? event.input?.facts ?? emptyFacts;
}

function inboundOf(event: Record<string, any>): InboundEvent | undefined {
  if (typeof event.type !== "string" || event.type.startsWith("xstate.")) return undefined;
  const { facts: _facts, ...rest } = event;
  return rest as InboundEvent;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Builds the XState machine of a validated flow. Effect actions are no-ops here: the runtime
 * computes transitions purely (runtime/pure-transition.ts) and runs the listed actions itself,
 * inside the step's database transaction. Context actions are real `assign`s.
 */
export function buildMachine(def: FlowDefinition, registry: Registry): AnyStateMachine {
  const actions: Record<string, any> = {};
  for (const [name, action] of Object.entries(registry.actions)) {
    actions[name] = action.assign
      ? assign(({ context, event }: any, params: any) => ({ ...context, ...action.assign!({ context, event: inboundOf(event) }, params) }))
      : () => {};
  }
  const guards: Record<string, any> = {};
  for (const [name, guard] of Object.entries(registry.guards)) {
    guards[name] = ({ context, event }: any, params: any) => guard.check({ context, event: inboundOf(event), facts: factsOf(event) }, params);
  }

  // Params are parsed once here (defaults applied), so actions get exactly what they validated.
  const ref = (r: NamedRef, kind: "actions" | "guards") => {
    const def = kind === "actions" ? registry.actions[r.type] : registry.guards[r.type];
    return { type: r.type, params: def ? def.params.parse(r.params ?? {}) : r.params };
  };
  const transitions = (t: unknown) =>
    asArray(t as any).map((one: any) =>
      typeof one === "string"
        ? { target: one }
        : {
            ...(one.target ? { target: one.target } : {}),
            ...(one.reenter ? { reenter: true } : {}),
            ...(one.guard ? { guard: ref(one.guard, "guards") } : {}),
            ...(one.actions ? { actions: asArray(one.actions).map((a: NamedRef) => ref(a, "actions")) } : {}),
          },
    );
  const state = (s: StateConfig) => ({
    ...(s.type ? { type: s.type } : {}),
    ...(s.entry ? { entry: asArray(s.entry).map((a) => ref(a, "actions")) } : {}),
    ...(s.exit ? { exit: asArray(s.exit).map((a) => ref(a, "actions")) } : {}),
    ...(s.on ? { on: Object.fromEntries(Object.entries(s.on).map(([e, t]) => [e, transitions(t)])) } : {}),
    ...(s.after ? { after: Object.fromEntries(Object.entries(s.after).map(([d, t]) => [String(parseDelay(d)), transitions(t)])) } : {}),
    ...(s.always ? { always: transitions(s.always) } : {}),
  });

  return setup({ actions, guards }).createMachine({
    id: def.id,
    initial: def.initial,
    // A flow started by CareBot (a survey about a visit) receives values for its declared keys.
    context: ({ input }: { input?: { context?: Record<string, unknown> } }) => {
      const given = input?.context ?? {};
      return { ...structuredClone(def.context), ...Object.fromEntries(Object.entries(given).filter(([key]) => key in def.context)) };
    },
    states: Object.fromEntries(Object.entries(def.states).map(([name, s]) => [name, state(s)])),
  } as any);
}
