import { fill, LANGS, textsOf } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";
import { zodErrorMap } from "../../i18n/zod.ts";
import { PROBLEM_TEXT } from "./problem-text.ts";
import { parseDelay } from "../definition/duration.ts";
import type { FlowDefinition, NamedRef, StateConfig } from "../definition/schema.ts";
import type { Registry } from "../registry/types.ts";
import { referencedVariables, TemplateRenderError } from "../templates/index.ts";
import type { TemplateStore, TemplateView } from "../templates/index.ts";
import { flowTextProblems, textsForFlow } from "../templates/flow-texts.ts";
import { formatPath } from "./problems.ts";
import type { Problem } from "./problems.ts";

const LOCALES = LANGS;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

interface Ref {
  ref: NamedRef;
  path: (string | number)[];
}

/** Every action and guard reference of a flow with where it stands in the file. */
function references(def: FlowDefinition): { actions: Ref[]; guards: Ref[]; targets: { target: string; path: (string | number)[] }[] } {
  const actions: Ref[] = [];
  const guards: Ref[] = [];
  const targets: { target: string; path: (string | number)[] }[] = [];
  const actionList = (v: NamedRef | NamedRef[] | undefined, path: (string | number)[]) =>
    Array.isArray(v) ? v.forEach((ref, i) => actions.push({ ref, path: [...path, i] })) : v && actions.push({ ref: v, path });
  const transitionList = (v: unknown, path: (string | number)[]) => {
    const list = Array.isArray(v) ? v : [v];
    list.forEach((t, i) => {
      const at = Array.isArray(v) ? [...path, i] : path;
      if (typeof t === "string") return targets.push({ target: t, path: at });
      if (t.target) targets.push({ target: t.target, path: [...at, "target"] });
      if (t.guard) guards.push({ ref: t.guard, path: [...at, "guard"] });
      actionList(t.actions, [...at, "actions"]);
    });
  };
  for (const [name, s] of Object.entries(def.states)) {
    const base = ["states", name];
    actionList(s.entry, [...base, "entry"]);
    actionList(s.exit, [...base, "exit"]);
    for (const [event, t] of Object.entries(s.on ?? {})) transitionList(t, [...base, "on", event]);
    for (const [delay, t] of Object.entries(s.after ?? {})) transitionList(t, [...base, "after", delay]);
    if (s.always) transitionList(s.always, [...base, "always"]);
  }
  return { actions, guards, targets };
}

function successors(s: StateConfig): string[] {
  const out: string[] = [];
  const add = (v: unknown) =>
    asArray(v as any).forEach((t: any) => (typeof t === "string" ? out.push(t) : t?.target && out.push(t.target)));
  Object.values(s.on ?? {}).forEach(add);
  Object.values(s.after ?? {}).forEach(add);
  add(s.always);
  return out;
}

export interface ValidationContext {
  registry: Registry;
  templates: TemplateStore;
  /** Ids of every flow being loaded, for startFlow targets. */
  flowIds: ReadonlySet<string>;
  /** The language problems are told in (English by default: the service's log). */
  lang?: Lang;
}

/** Checks what the schema cannot: names, params, templates, targets, reachability, ways out. */
export function validateFlow(def: FlowDefinition, file: string, ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ file, path: formatPath(path), message });
  const lang = ctx.lang ?? "en";
  const t = textsOf(PROBLEM_TEXT, lang);
  const error = zodErrorMap(lang);
  const stateNames = Object.keys(def.states);
  const { actions, guards, targets } = references(def);
  // The flow's own texts stand beside the templates (flow-texts.ts).
  const templates = textsForFlow(def, ctx.templates);
  for (const problem of flowTextProblems(def)) at(problem.path, problem.message);

  if (!def.states[def.initial]) at(["initial"], fill(t.noState, { target: def.initial, states: stateNames.join(", ") }));
  for (const { target, path } of targets) {
    if (!def.states[target]) at(path, fill(t.noState, { target, states: stateNames.join(", ") }));
  }

  for (const { ref, path } of actions) {
    const action = ctx.registry.actions[ref.type];
    if (!action) {
      at([...path, "type"], fill(t.unknownAction, { type: ref.type, known: Object.keys(ctx.registry.actions).sort().join(", ") }));
      continue;
    }
    const parsed = action.params.safeParse(ref.params ?? {}, { error });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) at([...path, "params", ...(issue.path as (string | number)[])], issue.message);
      continue;
    }
    for (const key of action.templates?.(parsed.data) ?? []) {
      for (const locale of LOCALES) {
        if (!templates.has(key, locale)) {
          at([...path, "params"], fill(t.noTemplate, { key, locale }));
          continue;
        }
        for (const name of undeclaredContext(def, templates, key, locale)) {
          at([...path, "params"], fill(t.undeclaredContext, { key, locale, name }));
        }
      }
    }
    for (const flow of action.flows?.(parsed.data) ?? []) {
      if (!ctx.flowIds.has(flow)) at([...path, "params", "flow"], fill(t.noFlow, { flow }));
    }
  }

  for (const { ref, path } of guards) {
    const guard = ctx.registry.guards[ref.type];
    if (!guard) {
      at([...path, "type"], fill(t.unknownGuard, { type: ref.type, known: Object.keys(ctx.registry.guards).sort().join(", ") }));
      continue;
    }
    const parsed = guard.params.safeParse(ref.params ?? {}, { error });
    if (!parsed.success) for (const issue of parsed.error.issues) at([...path, "params", ...(issue.path as (string | number)[])], issue.message);
  }

  for (const [name, s] of Object.entries(def.states)) {
    for (const delay of Object.keys(s.after ?? {})) {
      if (parseDelay(delay) === null) at(["states", name, "after", delay], fill(t.notDelay, { delay }));
    }
    const entry = asArray(s.entry);
    const leaves = successors(s).length > 0 || entry.some((a) => a.type === "endConversation" || a.type === "startFlow");
    if (s.type !== "final" && !leaves) at(["states", name], t.noWayOut);
    if (s.type === "final" && (s.on || s.after || s.always)) at(["states", name], t.finalWithTransitions);
    if (entry.some((a) => ctx.registry.actions[a.type]?.asks) && !s.on) at(["states", name], t.asksWithoutOn);
  }

  // Reachability from the initial state (only when the targets themselves are sound).
  if (def.states[def.initial]) {
    const seen = new Set([def.initial]);
    const queue = [def.initial];
    while (queue.length) {
      for (const next of successors(def.states[queue.shift()!]!)) {
        if (def.states[next] && !seen.has(next)) seen.add(next), queue.push(next);
      }
    }
    for (const name of stateNames) if (!seen.has(name)) at(["states", name], fill(t.unreachable, { initial: def.initial }));
  }
  return problems;
}

/** The context names a template reads that the flow does not declare (so never gives it). */
export function undeclaredContext(def: FlowDefinition, templates: TemplateStore, key: string, locale: (typeof LOCALES)[number]): string[] {
  const names = new Set<string>();
  for (const variable of referencedVariables(templates, key, locale)) {
    const [root, name] = variable.split(".");
    if (root === "context" && name && !(name in def.context)) names.add(name);
  }
  return [...names];
}

/** The template keys a flow uses (its actions' and its menu label), for render checks. */
export function templateKeysOf(def: FlowDefinition, registry: Registry): string[] {
  const keys = new Set<string>();
  if (def.triggers.menu) keys.add(def.triggers.menu.label);
  for (const { ref } of references(def).actions) {
    const action = registry.actions[ref.type];
    const parsed = action?.params.safeParse(ref.params ?? {});
    if (action && parsed?.success) for (const key of action.templates?.(parsed.data) ?? []) keys.add(key);
  }
  return [...keys];
}

/** A flow's own texts must render in both languages with the flow's context, like template files. */
export function checkFlowTexts(def: FlowDefinition, base: TemplateStore, views: TemplateView[]): { path: string; message: string }[] {
  const problems = new Map<string, { path: string; message: string }>();
  const store = textsForFlow(def, base);
  for (const key of Object.keys(def.texts ?? {})) {
    for (const locale of LOCALES) {
      const path = formatPath(["texts", key, locale]);
      for (const view of views) {
        try {
          const text = store.render(key, { ...view, locale });
          if (text.trim() === "") problems.set(`${path}|empty`, { path, message: "renders an empty text" });
          else if (/\b(?:undefined|null|NaN)\b|\[object \w+\]/.test(text)) problems.set(`${path}|garbage`, { path, message: `renders ${JSON.stringify(text.slice(0, 80))}` });
        } catch (error) {
          const message = error instanceof TemplateRenderError ? error.reason : String(error);
          problems.set(`${path}|${message}`, { path, message });
        }
        for (const variable of referencedVariables(store, key, locale)) {
          const [root, name] = variable.split(".");
          if (root === "context" && name && !(name in def.context)) problems.set(`${path}|${variable}`, { path, message: `uses context.${name}, which the flow's "context" does not declare` });
        }
      }
    }
  }
  return [...problems.values()];
}
