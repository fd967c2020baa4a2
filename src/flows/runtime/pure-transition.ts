import { createActor } from "xstate";
import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine, ExecutableActionsFrom } from "xstate";

// XState's pure `transition()` and `initialTransition()` build a throwaway actor on every call,
// and the actor's constructor computes the machine's whole initial snapshot (context, entry
// actions, guards) only for it to be dropped: about half of a message's XState time. These do
// the same pure computation on one inert scope per machine. That is safe because a flow never
// spawns, invokes or sends (the flow schema has no such keys), and the scope's executor only
// collects the actions: delayed raises come back as actions the runtime persists as timers.

type Action = ExecutableActionsFrom<AnyStateMachine>;

interface InertScope {
  scope: AnyActorScope;
  /** Where the running call collects its actions (transition is synchronous: one call at a time). */
  collected: Action[] | null;
}

const scopes = new WeakMap<AnyStateMachine, InertScope>();

function inertScopeOf(machine: AnyStateMachine): InertScope {
  let inert = scopes.get(machine);
  if (!inert) {
    // Never started: it only lends the scope its `self` and `system`, as xstate's own inert scope does.
    const self = createActor(machine);
    const holder: InertScope = { scope: undefined as unknown as AnyActorScope, collected: null };
    holder.scope = {
      self,
      system: self.system,
      id: "",
      sessionId: "",
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: (action: Action) => {
        if (!holder.collected) throw new Error("an XState action ran outside a pure transition");
        holder.collected.push(action);
      },
    } as unknown as AnyActorScope;
    inert = holder;
    scopes.set(machine, inert);
  }
  return inert;
}

function collecting(machine: AnyStateMachine, compute: (scope: AnyActorScope) => AnyMachineSnapshot): [AnyMachineSnapshot, Action[]] {
  const inert = inertScopeOf(machine);
  const actions: Action[] = [];
  inert.collected = actions;
  try {
    return [compute(inert.scope), actions];
  } finally {
    inert.collected = null;
  }
}

/** xstate's `transition(machine, snapshot, event)`: the next snapshot and the actions to run. */
export function pureTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: unknown): [AnyMachineSnapshot, Action[]] {
  return collecting(machine, (scope) => machine.transition(snapshot, event as never, scope));
}

/** xstate's `initialTransition(machine, input)`: the first snapshot and the actions to run. */
export function pureInitialTransition(machine: AnyStateMachine, input: unknown): [AnyMachineSnapshot, Action[]] {
  return collecting(machine, (scope) => machine.getInitialSnapshot(scope, input));
}
