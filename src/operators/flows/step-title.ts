// How the flows page and the comparison name a flow and its steps for a manager: by what they say,
// not by the ids in the flow file ("score", "red-flag-unscored"), which stay only as small labels.
// Pure: the browser bundle (src/browser/flows.ts) and the server (compare.ts) share it.
import type { FlowDefinition } from "../../flows/definition/schema.ts";

export interface StepWords {
  /** A final step that says nothing. */
  stepEnd: string;
  /** A step that only picks the next one (`always`). */
  stepBranch: string;
  stepSilent: string;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** A flow as a manager names it: the start of its description ("Опрос после визита"), else its id. */
export function flowTitle(f: { id: string; description?: string }): string {
  const head = (f.description ?? "").split(/[:.;?!]|\s[—–-]\s/)[0]?.trim() ?? "";
  return head ? cut(head, 70) : f.id;
}

/** The templates a step says on entry (its `say`/`ask`-like actions), in order. */
export function stepTemplates(def: FlowDefinition, state: string): string[] {
  const entry = def.states[state]?.entry;
  const actions = (entry === undefined ? [] : Array.isArray(entry) ? entry : [entry]) as { params?: Record<string, unknown> }[];
  return actions.flatMap((a) => (typeof a.params?.template === "string" ? [a.params.template] : []));
}

/**
 * A step by its question: the sentence of its first text that asks ("…?"), else the sentence of a
 * few words that ends a step waiting for an answer or starts one that only tells; `say` gives a template's text as a patient reads it. A step that says nothing is named
 * by what it does.
 */
export function stepTitle(def: FlowDefinition, state: string, say: (template: string) => string, words: StepWords, max = 60): string {
  const said = stepTemplates(def, state)
    .map((key) => say(key).replace(/\s+/g, " ").trim())
    .find((x) => x !== "");
  if (said) {
    const sentences = (said.match(/[^.!?…]+[.!?…]*/g) ?? [said]).map((x) => x.trim()).filter((x) => x.length > 2);
    // A bare «Спасибо!» names nothing. A step that waits for an answer asks last («…! Оцените, пожалуйста, …»);
    // one that only tells says its point first.
    const full = sentences.filter((x) => x.split(" ").length > 2);
    const asks = Boolean(def.states[state]?.on);
    return cut(sentences.find((x) => x.endsWith("?")) ?? (asks ? full.at(-1) : full[0]) ?? sentences[0] ?? said, max);
  }
  const s = def.states[state];
  if (s?.type === "final") return words.stepEnd;
  if (s?.always) return words.stepBranch;
  return words.stepSilent;
}
