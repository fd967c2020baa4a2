import type { FlowDefinition } from "../definition/schema.ts";

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Mermaid ids allow letters, digits and _ only. */
const id = (state: string) => state.replace(/[^A-Za-z0-9_]/g, "_");

function label(event: string, t: unknown): string {
  const guard = typeof t === "object" && t && "guard" in t ? (t as { guard?: { type: string; params?: Record<string, unknown> } }).guard : undefined;
  if (!guard) return event;
  const params = guard.params ? Object.values(guard.params).map((v) => (Array.isArray(v) ? v.join("|") : String(v))).join(" ") : "";
  return `${event} [${guard.type}${params ? ` ${params}` : ""}]`;
}

/** A Mermaid state diagram of a flow: states, events, guards and delays. */
export function flowToMermaid(def: FlowDefinition): string {
  const lines = ["stateDiagram-v2", `  [*] --> ${id(def.initial)}`];
  for (const [name, state] of Object.entries(def.states)) {
    if (state.description) lines.push(`  ${id(name)}: ${name} — ${state.description.replace(/[:\n]/g, " ")}`);
    const edge = (event: string, transitions: unknown) => {
      for (const t of asArray(transitions as unknown[])) {
        const target = typeof t === "string" ? t : (t as { target?: string }).target;
        lines.push(`  ${id(name)} --> ${id(target ?? name)}: ${label(event, t)}`);
      }
    };
    for (const [event, t] of Object.entries(state.on ?? {})) edge(event, t);
    for (const [delay, t] of Object.entries(state.after ?? {})) edge(`after ${delay}`, t);
    if (state.always) edge("always", state.always);
    if (state.type === "final") lines.push(`  ${id(name)} --> [*]`);
  }
  return `${lines.join("\n")}\n`;
}
