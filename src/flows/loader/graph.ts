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

export interface FlowEdge {
  from: string;
  /** The state it leads to (itself for a transition without a target). */
  to: string;
  /** "CHOICE", "after P2D", "always". */
  event: string;
  /** The event with its guard, as the diagrams print it: "NUMBER [scoreBetween 9 10]". */
  label: string;
  guard: { type: string; params?: Record<string, unknown> } | null;
}

/** Every transition of a flow in file order: the walk both diagrams (Mermaid, the console's) draw. */
export function flowEdges(def: FlowDefinition): FlowEdge[] {
  const edges: FlowEdge[] = [];
  for (const [name, state] of Object.entries(def.states)) {
    const edge = (event: string, transitions: unknown) => {
      for (const t of asArray(transitions as unknown[])) {
        const target = typeof t === "string" ? t : (t as { target?: string }).target;
        const guard = typeof t === "object" && t && "guard" in t ? ((t as { guard?: FlowEdge["guard"] }).guard ?? null) : null;
        edges.push({ from: name, to: target ?? name, event, label: label(event, t), guard });
      }
    };
    for (const [event, t] of Object.entries(state.on ?? {})) edge(event, t);
    for (const [delay, t] of Object.entries(state.after ?? {})) edge(`after ${delay}`, t);
    if (state.always) edge("always", state.always);
  }
  return edges;
}

/** A Mermaid state diagram of a flow: states, events, guards and delays. */
export function flowToMermaid(def: FlowDefinition): string {
  const lines = ["stateDiagram-v2", `  [*] --> ${id(def.initial)}`];
  const edges = flowEdges(def);
  for (const [name, state] of Object.entries(def.states)) {
    if (state.description) lines.push(`  ${id(name)}: ${name} — ${state.description.replace(/[:\n]/g, " ")}`);
    for (const e of edges.filter((e) => e.from === name)) lines.push(`  ${id(name)} --> ${id(e.to)}: ${e.label}`);
    if (state.type === "final") lines.push(`  ${id(name)} --> [*]`);
  }
  return `${lines.join("\n")}\n`;
}
