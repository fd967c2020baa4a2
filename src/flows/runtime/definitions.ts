import type { AnyStateMachine } from "xstate";
import type { Tx } from "../../db/client.ts";
import { flowFormat } from "../definition/format.ts";
import type { FlowDefinition } from "../definition/schema.ts";
import { definitionKey } from "../loader/catalog.ts";
import { buildMachine } from "../machine.ts";
import { BoundedMap } from "../../util/bounded-map.ts";
import type { Registry } from "../registry/types.ts";

// Per-message lookups of a conversation's definition and machine. The key hashes the whole
// definition, so it is computed once per definition object, and the machine is found by the key
// the conversation stored instead of hashing the definition again on every message.

const keys = new WeakMap<FlowDefinition, string>();

/** definitionKey, once per loaded definition. */
export function keyOf(def: FlowDefinition): string {
  let key = keys.get(def);
  if (!key) {
    key = definitionKey(def);
    keys.set(def, key);
  }
  return key;
}

const MAX_CACHED_MACHINES = 500;
const machines = new WeakMap<Registry, BoundedMap<string, AnyStateMachine>>();

/**
 * The machine of a definition whose key is already known, built once and shared: a conversation
 * that started on an older definition gets that definition's machine, a new one the current file's.
 */
export function machineOf(def: FlowDefinition, key: string, registry: Registry): AnyStateMachine {
  let byKey = machines.get(registry);
  if (!byKey) machines.set(registry, (byKey = new BoundedMap(MAX_CACHED_MACHINES)));
  let machine = byKey.touch(key);
  if (!machine) {
    machine = buildMachine(def, registry);
    byKey.set(key, machine);
  }
  return machine;
}

/** Definitions read back from conversations, by their key: upgraded, parsed and checked once per process. */
const definitions = new Map<string, FlowDefinition>();

/**
 * The definition a conversation runs on, upgraded to today's flow format. Its row's copy is read
 * only the first time a key is seen (the router leaves the large column out of its per-message
 * read). Throws when the stored copy cannot be read even after upgrading.
 */
export async function definitionOf(tx: Tx, conversation: { id: number; flowDefinition?: unknown }, key: string): Promise<FlowDefinition> {
  let def = definitions.get(key);
  if (!def) {
    const stored =
      conversation.flowDefinition !== undefined
        ? conversation.flowDefinition
        : (await tx.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { flowDefinition: true } })).flowDefinition;
    def = flowFormat.read(stored);
    definitions.set(key, def);
  }
  return def;
}
