// One text checked as `carebot flows validate` checks the files: it must compile with CareBot's
// rules (known helpers, no partials), render for a known patient and for a stranger with the
// context of every flow that says it, print no "undefined"/"null", and read only the context the
// flows declare. Used by the console's text editor before a clinic's version is saved or published.
import { checkTemplates } from "../templates/check.ts";
import { clinicTextLabel } from "../templates/clinic-texts.ts";
import { compileTextLayer, overlayTemplates } from "../templates/overlay.ts";
import type { TemplateStore } from "../templates/store.ts";
import type { TemplateLocale } from "../templates/view.ts";
import type { FlowCatalog } from "./catalog.ts";
import type { FlowDefinition } from "../definition/schema.ts";
import { checkViews, RUNTIME_TEMPLATES } from "./load-flows.ts";
import { templateKeysOf, undeclaredContext } from "./validate-flow.ts";

/** A problem of one text; `line` (1-based) when it can be pinned to a line of the source. */
export interface TextProblem {
  line: number | null;
  /** As the validator words it (English); the console translates it (src/operators/texts/problem-text.ts). */
  message: string;
}

/** The flows that say `key` (a message, a button, a menu label). */
export function flowsUsing(catalog: FlowCatalog, key: string): FlowDefinition[] {
  return [...catalog.flows.values()].map((f) => f.def).filter((def) => templateKeysOf(def, catalog.registry).includes(key));
}

export const isRuntimeText = (key: string): boolean => RUNTIME_TEMPLATES.includes(key);

/** The catalog's texts with `source` as the text of `key` in `locale`, and how problems name it. */
export function withText(templates: TemplateStore, key: string, locale: TemplateLocale, source: string): { store: TemplateStore; file: string; problems: TextProblem[] } {
  const file = clinicTextLabel(key, locale);
  const layer = compileTextLayer([{ key, locale, source, file }]);
  const problems = layer.problems.map((p) => ({ line: lineOf(p.message), message: p.message.replace(/^line \d+: /, "") }));
  return { store: overlayTemplates(templates, layer), file, problems };
}

export function checkText(catalog: FlowCatalog, key: string, locale: TemplateLocale, source: string, base: TemplateStore = catalog.templates): TextProblem[] {
  const { store, file, problems } = withText(base, key, locale, source);
  if (problems.length > 0) return problems;
  const found = new Map<string, TextProblem>();
  const add = (message: string) => found.set(message, { line: lineOfVariable(source, message), message });
  const flows = flowsUsing(catalog, key);
  // A text no flow says (the runtime's own: re-asks, errors) is checked with an empty context.
  for (const context of flows.length > 0 ? flows.map((def) => def.context) : [{}]) {
    for (const problem of checkTemplates(store, [key], checkViews(catalog.registry, context))) {
      if (problem.file === file) add(problem.message);
    }
  }
  for (const def of flows) {
    for (const name of undeclaredContext(def, store, key, locale)) add(`uses context.${name}, which the flow "${def.id}" does not declare`);
  }
  return [...found.values()];
}

/** "line 3: …" → 3. */
function lineOf(message: string): number | null {
  const match = /^line (\d+):/.exec(message);
  return match ? Number(match[1]) : null;
}

/** The line of the first variable a message names ("unknown variable "patient.frstName""), if any. */
export function lineOfVariable(source: string, message: string): number | null {
  const named = /"([A-Za-z_@][\w.@-]*)"|context\.(\w+)/.exec(message);
  const variable = named?.[1] ?? (named?.[2] ? `context.${named[2]}` : undefined);
  if (!variable) return null;
  const pattern = new RegExp(`(?<![\\w.])${variable.replace(/[.@-]/g, (c) => `\\${c}`)}(?![\\w])`);
  const index = source.split("\n").findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : null;
}
