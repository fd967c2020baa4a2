import fs from "node:fs";
import path from "node:path";
import { TEMPLATE_HELPERS } from "./helpers.ts";
import { TemplateRenderError, type TemplateProblem, type TemplateStore } from "./store.ts";
import { DEFAULT_LOCALE, TEMPLATE_LOCALES, sampleView, type TemplateLocale, type TemplateView } from "./view.ts";

/** Text that only shows up when a value went wrong somewhere on its way into the message. */
const GARBAGE = /\b(?:undefined|null|NaN)\b|\[object \w+\]|Invalid DateTime|Invalid Date/;

/** View fields whose shape CareBot fixes: a path under them that the sample lacks is a typo. */
const FIXED_ROOTS = new Set(["locale", "timezone", "patient", "clinic", "bonus", "ward"]);
const VIEW_ROOTS = new Set([...FIXED_ROOTS, "context", "result"]);

/**
 * Renders every key in every locale with every view (the shapes CareBot really sends) and
 * reports what a patient would otherwise see broken. With no views, the sample view is used.
 * A locale without the file is skipped: loadTemplates already reports missing counterparts.
 */
export function checkTemplates(store: TemplateStore, keys: string[], views: TemplateView[]): TemplateProblem[] {
  const problems = new Map<string, TemplateProblem>();
  const add = (file: string, message: string) => problems.set(`${file}\n${message}`, { file, message });
  const viewList = views.length > 0 ? views : [sampleView()];

  for (const key of new Set(keys)) {
    const onDisk = TEMPLATE_LOCALES.some((locale) => fs.existsSync(path.join(store.dir, locale, `${key}.hbs`)));
    if (!onDisk) {
      add(store.file(key, DEFAULT_LOCALE), "missing");
      continue;
    }
    for (const locale of TEMPLATE_LOCALES) {
      const template = store.template(key, locale);
      if (!template) continue; // absent or broken: loadTemplates said so
      for (const view of viewList) {
        let text: string | undefined;
        let blamed: string | undefined;
        try {
          text = store.render(key, { ...view, locale });
        } catch (error) {
          add(template.file, error instanceof TemplateRenderError ? error.reason : String(error));
          blamed = error instanceof TemplateRenderError ? error.variable : undefined;
        }
        for (const variable of unknownFixedVariables(referencedVariables(store, key, locale), view)) {
          // Rendering may already have named the same variable, or the start of its path.
          const same = blamed !== undefined && (variable === blamed || variable.startsWith(`${blamed}.`) || blamed.startsWith(`${variable}.`));
          if (!same) add(template.file, `unknown variable "${variable}"`);
        }
        if (text === undefined) continue;
        if (text.trim() === "") add(template.file, "renders an empty text");
        const garbage = GARBAGE.exec(text);
        if (garbage) add(template.file, `renders "${garbage[0]}": ${JSON.stringify(around(text, garbage.index, garbage[0].length))}`);
      }
    }
  }
  return [...problems.values()];
}

function around(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 30);
  const end = Math.min(text.length, index + length + 30);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}

// Catches typos in paths that are only tested, never printed ({{#if patient.lnked}}), which rendering cannot.
function unknownFixedVariables(variables: string[], view: TemplateView): string[] {
  const unknown: string[] = [];
  for (const variable of variables) {
    const parts = variable.split(".");
    const root = parts[0] ?? "";
    if (!VIEW_ROOTS.has(root)) {
      unknown.push(root);
      continue;
    }
    if (!FIXED_ROOTS.has(root)) continue; // context/result: the flow validator checks them against the flow
    let current: unknown = view;
    for (let i = 0; i < parts.length; i++) {
      if (current === null || typeof current !== "object") break; // null on the way: nothing to say statically
      const part = parts[i] ?? "";
      if (!(part in current)) {
        unknown.push(parts.slice(0, i + 1).join("."));
        break;
      }
      current = (current as Record<string, unknown>)[part];
    }
  }
  return unknown;
}

// ---------- referenced variables ----------

const BUILTIN_HELPERS = ["if", "unless", "each", "with", "lookup", "log", "helperMissing", "blockHelperMissing"];
const HELPER_NAMES = new Set([...TEMPLATE_HELPERS, ...BUILTIN_HELPERS]);
/** Block helpers that run their body with a new `this`. */
const CONTEXT_CHANGING = new Set(["each", "with"]);

interface Scope {
  /** How many blocks deep the context has moved away from the view. */
  level: number;
  blockParams: ReadonlySet<string>;
}

/**
 * Dotted paths, from the view's root, that a template reads: "patient.firstName", "context.visitAt".
 * Paths relative to an {{#each}}/{{#with}} body or a block param are left out; @root.x counts as x.
 * An unknown key or locale gives [] (checkTemplates reports missing files).
 */
export function referencedVariables(store: TemplateStore, key: string, locale: TemplateLocale = DEFAULT_LOCALE): string[] {
  const template = store.template(key, locale);
  if (!template) return [];
  const found = new Set<string>();
  visitProgram(template.ast, { level: 0, blockParams: new Set() }, found);
  return [...found];
}

function visitProgram(program: hbs.AST.Program | undefined, scope: Scope, found: Set<string>): void {
  for (const statement of program?.body ?? []) {
    if (statement.type === "MustacheStatement" || statement.type === "BlockStatement") {
      visitCall(statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement, scope, found);
    }
  }
}

function visitCall(node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression, scope: Scope, found: Set<string>): void {
  const name = node.path.type === "PathExpression" ? (node.path as hbs.AST.PathExpression).original : undefined;
  const args = [...node.params, ...(node.hash?.pairs.map((pair) => pair.value) ?? [])];
  const isHelper = node.type === "SubExpression" || args.length > 0 || (name !== undefined && HELPER_NAMES.has(name));
  if (isHelper) {
    for (const arg of args) visitExpression(arg, scope, found);
  } else {
    visitExpression(node.path, scope, found);
  }
  if (node.type !== "BlockStatement") return;
  const block = node as hbs.AST.BlockStatement;
  // A section ({{#context.list}}) or {{#each}}/{{#with}} runs its body with another `this`.
  const shifts = !isHelper || (name !== undefined && CONTEXT_CHANGING.has(name));
  const params = block.program?.blockParams ?? [];
  const inner: Scope = {
    level: scope.level + (shifts ? 1 : 0),
    blockParams: params.length > 0 ? new Set([...scope.blockParams, ...params]) : scope.blockParams,
  };
  visitProgram(block.program, inner, found);
  visitProgram(block.inverse, scope, found); // {{else}} keeps the outer `this`
}

function visitExpression(node: hbs.AST.Node, scope: Scope, found: Set<string>): void {
  if (node.type === "SubExpression") {
    visitCall(node as hbs.AST.SubExpression, scope, found);
    return;
  }
  if (node.type !== "PathExpression") return; // literals
  const p = node as hbs.AST.PathExpression;
  if (p.data) {
    // @root.patient.firstName reads the view; @index, @key, @first… are loop bookkeeping.
    if (p.parts[0] === "root" && p.parts.length > 1) found.add(p.parts.slice(1).join("."));
    return;
  }
  if (p.parts.length === 0) return; // `this`, `.`
  // ../x inside one {{#each}} is back at the view.
  if (p.depth !== scope.level) return;
  if (p.depth === 0 && scope.blockParams.has(p.parts[0] ?? "")) return;
  found.add(p.parts.join("."));
}
