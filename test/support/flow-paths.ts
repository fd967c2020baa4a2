import type { InboundEvent } from "../../src/channels/types.ts";
import { parseDelay } from "../../src/flows/definition/duration.ts";
import type { FlowDefinition } from "../../src/flows/definition/schema.ts";

/** One step of a path: the event to send (or a delay to let pass) and the state it must lead to. */
export type PathStep =
  /** `factGuard`: the transition depends on the patient's facts (linked, points), not on the event. */
  | { kind: "event"; event: InboundEvent; to: string; factGuard?: boolean }
  | { kind: "wait"; ms: number; to: string }
  /**
   * An eventless (`always`) transition: which one XState takes depends on the patient's facts,
   * or on a text the flow started with (`context`, for guards that read context[key]).
   */
  | { kind: "auto"; to: string; context?: Record<string, unknown> };
/** True when some step's outcome depends on the patient's facts, so one world may not walk it all. */
export function dependsOnFacts(path: FlowPath): boolean {
  return path.steps.some((s) => s.kind === "auto" || (s.kind === "event" && s.factGuard));
}

export interface FlowPath {
  steps: PathStep[];
  /** Where the path stops: a final state, or a state waiting for the patient. */
  end: string;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Options shown by a state's say/ask, to pick answers the state does not single out. */
function optionValues(def: FlowDefinition, state: string): (string | number)[] {
  return asArray(def.states[state]?.entry).flatMap((a) => ((a.params?.options as { value: string | number }[] | undefined) ?? []).map((o) => o.value));
}

/** Texts that read as each meaning (src/domain/understanding), for the `understood` guard. */
const READS_AS: Record<string, string> = {
  urgent: "кровь не останавливается",
  "complaint:unsure": "не очень",
  complaint: "щека опухла и болит",
  fine: "всё хорошо",
  yes: "да",
  no: "нет",
  booking: "можно в субботу утром",
  person: "позовите администратора",
  question: "а сколько это стоит?",
  number: "десять",
  dissatisfied: "долго ждал приёма",
  stop: "не пишите мне",
  thanks: "спасибо",
};
/** A text none of CareBot's word lists reads as anything. */
export const PLAIN_TEXT = "Просто сообщение пациента";

/** A text the `understood` guard takes (its first intent, at its confidence). */
function textReadAs(params: { intent: string | string[]; confidence?: string }): string {
  const intent = asArray(params.intent)[0]!;
  return READS_AS[`${intent}:${params.confidence ?? "any"}`] ?? READS_AS[intent] ?? PLAIN_TEXT;
}

/** A deep link's code is the world's to choose (a friend's, the patient's own, an unknown one). */
export const WORLD_CODE = "WORLDCODE";
/** Stands for the first option with the guard's prefix in the last message shown. */
export const SHOWN_OPTION = "SHOWNOPTION";

/**
 * Events that take the i-th transition of `event` in `state`: they satisfy that transition's
 * guard and none of the guards before it (for the guards shipped flows use on events). A score
 * range gives both its ends, so that a later branch on the score sees each side.
 */
function eventsFor(def: FlowDefinition, state: string, type: string, transitions: any[], i: number): InboundEvent[] {
  const guard = transitions[i].guard as { type: string; params?: any } | undefined;
  if (type === "NUMBER" && guard?.type === "scoreBetween" && guard.params.min !== guard.params.max) {
    return [guard.params.min, guard.params.max].map((value: number) => ({ type: "NUMBER", value }));
  }
  const one = eventFor(def, state, type, transitions, i);
  return one ? [one] : [];
}

function eventFor(def: FlowDefinition, state: string, type: string, transitions: any[], i: number): InboundEvent | null {
  const guard = transitions[i].guard as { type: string; params?: any } | undefined;
  const earlier = transitions.slice(0, i).map((t) => t.guard).filter(Boolean) as { type: string; params?: any }[];
  const taken = (values: unknown[]) => (v: unknown) => !values.includes(v);
  switch (type) {
    case "CHOICE": {
      if (guard?.type === "optionIs") return { type: "CHOICE", value: String(asArray(guard.params.value)[0]) };
      // Options an action made (slots): the walker picks the first one shown with the prefix.
      if (guard?.type === "optionStartsWith") return { type: "CHOICE", value: `${guard.params.prefix}${SHOWN_OPTION}` };
      const used = earlier.flatMap((g) => asArray(g.params?.value));
      const free = optionValues(def, state).filter((v) => typeof v === "string").find(taken(used));
      return { type: "CHOICE", value: String(free ?? "something-else") };
    }
    case "NUMBER": {
      if (guard?.type === "scoreBetween") return { type: "NUMBER", value: guard.params.min };
      if (guard?.type === "optionIs") return { type: "NUMBER", value: Number(asArray(guard.params.value)[0]) };
      const inEarlier = (n: number) => earlier.some((g) => g.type === "scoreBetween" && n >= g.params.min && n <= g.params.max);
      const n = [...Array(11).keys()].find((x) => !inEarlier(x));
      return n === undefined ? null : { type: "NUMBER", value: n };
    }
    case "TEXT": {
      if (guard?.type === "textMatches") return { type: "TEXT", text: guard.params.words?.[0] ?? "текст" };
      if (guard?.type === "understood") return { type: "TEXT", text: textReadAs(guard.params) };
      return { type: "TEXT", text: PLAIN_TEXT };
    }
    case "START":
      return { type: "START", payload: `${guard?.type === "payloadStartsWith" ? guard.params.prefix : def.triggers.payloadPrefix ?? ""}${WORLD_CODE}` };
    case "MEDIA":
      return { type: "MEDIA", kind: "photo" };
    case "CONTACT":
      // Someone else's card only where an earlier branch took the patient's own.
      return { type: "CONTACT", phone: "+79990000001", own: guard !== undefined || !earlier.some((g) => g.type === "contactIsOwn") };
    default:
      return { type: type as "RESUME" | "TIMEOUT" };
  }
}

/**
 * Every simple path through a flow's states, generated from the definition itself: each event
 * and delay a state reacts to, with an event that satisfies the transition's guard.
 */
export function flowPaths(def: FlowDefinition, maxDepth = 8): FlowPath[] {
  const paths: FlowPath[] = [];
  const walk = (state: string, steps: PathStep[], seen: Set<string>) => {
    const s = def.states[state]!;
    const edges: { step: PathStep; to: string }[] = [];
    if (s.always) {
      const list = asArray(s.always as any);
      // A flow that reads a text it started with (context[key]) is started with a text for each branch.
      const readKey = list.find((t: any) => t?.guard?.type === "understood" && t.guard.params?.key)?.guard.params.key as string | undefined;
      for (const t of list) {
        const to = typeof t === "string" ? t : t.target;
        const read = readKey ? { [readKey]: t?.guard?.type === "understood" ? textReadAs(t.guard.params) : PLAIN_TEXT } : {};
        // A branch on a value the flow is started with (patient-message's `thanked`) is started with that value.
        const given = t?.guard?.type === "contextIs" ? { [t.guard.params.key]: t.guard.params.value } : {};
        const context = readKey || t?.guard?.type === "contextIs" ? { ...read, ...given } : undefined;
        if (to && !seen.has(`${state}->${to}:auto`)) walk(to, [...steps, { kind: "auto", to, ...(context ? { context } : {}) }], new Set(seen).add(`${state}->${to}:auto`));
      }
      return;
    }
    for (const [type, raw] of Object.entries(s.on ?? {})) {
      // An action's outcome is not the patient's to send: it is a branch like an eventless one.
      if (type === "RESULT") {
        for (const t of asArray(raw as any)) {
          const to = typeof t === "string" ? t : (t.target ?? state);
          edges.push({ step: { kind: "auto", to }, to });
        }
        continue;
      }
      const list = asArray(raw as any).map((t: any) => (typeof t === "string" ? { target: t } : t));
      list.forEach((t: any, i: number) => {
        const to = t.target ?? state;
        const factGuard = ["isLinked", "hasBalance"].includes(t.guard?.type);
        for (const event of eventsFor(def, state, type, list, i)) edges.push({ step: { kind: "event", event, to, ...(factGuard ? { factGuard } : {}) }, to });
      });
    }
    for (const [delay, raw] of Object.entries(s.after ?? {})) {
      const first = asArray(raw as any)[0] as any;
      const to = typeof first === "string" ? first : (first.target ?? state);
      edges.push({ step: { kind: "wait", ms: parseDelay(delay)! + 1000, to }, to });
    }
    const onward = edges.filter((e) => !seen.has(`${state}->${e.to}:${JSON.stringify(e.step)}`));
    if (s.type === "final" || onward.length === 0 || steps.length >= maxDepth) {
      paths.push({ steps, end: state });
      return;
    }
    for (const e of onward) {
      const key = `${state}->${e.to}:${JSON.stringify(e.step)}`;
      const again = new Set(seen).add(key);
      // A loop (a state answering itself) is walked once, then the path ends there, waiting.
      if (e.to === state) paths.push({ steps: [...steps, e.step], end: state });
      else walk(e.to, [...steps, e.step], again);
    }
  };
  walk(def.initial, [], new Set());
  return paths;
}
