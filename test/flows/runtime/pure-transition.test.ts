// pureTransition / pureInitialTransition (src/flows/runtime/pure-transition.ts) do what xstate's
// own transition() / initialTransition() do, on one inert scope per machine instead of a new actor
// per call: for every shipped flow, the first step and every event its first state takes give the
// same snapshot and the same actions.
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import type { AnyMachineSnapshot } from "xstate";
import { buildMachine } from "../../../src/flows/machine.ts";
import { createRegistry } from "../../../src/flows/registry/index.ts";
import { pureInitialTransition, pureTransition } from "../../../src/flows/runtime/pure-transition.ts";
import { shippedFlows } from "../../support/runtime.ts";

const registry = createRegistry();
const flows = [...shippedFlows().catalog().flows.values()].map((f) => f.def);

/** What a step keeps of a transition: the state, the context, and the actions in order. */
const seen = ([snapshot, actions]: [AnyMachineSnapshot, { type: string; params?: unknown }[]]) => ({
  value: snapshot.value,
  status: snapshot.status,
  context: snapshot.context,
  actions: actions.map((a) => ({ type: a.type, params: a.params })),
});

describe("the pure transition on an inert scope", () => {
  it.each(flows.map((def) => [def.id, def] as const))("%s: the same first step and the same answers to its first state's events", (_id, def) => {
    const machine = buildMachine(def, registry);
    const input = { facts: undefined, context: undefined };
    const ours = pureInitialTransition(machine, input);
    expect(seen(ours as never)).toEqual(seen(initialTransition(machine, input as never) as never));
    const first = ours[0];
    const state = typeof first.value === "string" ? def.states[first.value] : undefined;
    const events = Object.keys(state?.on ?? {}).map((type) => (type === "CHOICE" ? { type, value: "1" } : type === "TEXT" ? { type, text: "да" } : { type }));
    for (const event of [...events, { type: "TEXT", text: "не понимаю" }]) {
      expect(seen(pureTransition(machine, first, event) as never), JSON.stringify(event)).toEqual(seen(transition(machine, first, event as never) as never));
    }
    // The scope is lent again and again: the same call twice gives the same.
    expect(seen(pureInitialTransition(machine, input) as never)).toEqual(seen(ours as never));
  });
});
