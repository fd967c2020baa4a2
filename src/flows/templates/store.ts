import fs from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import {
  TEMPLATE_HELPERS,
  TemplateHelperError,
  VALUE_HELPER,
  createTemplateEnvironment,
  knownHelpers,
  type TemplateEnvironment,
  type TemplateLocation,
} from "./helpers.ts";
import { DEFAULT_LOCALE, TEMPLATE_LOCALES, isTemplateLocale, type TemplateLocale, type TemplateView } from "./view.ts";

/** A text could not be rendered. `reason` is the message without the "template … :" prefix. */
export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
  readonly key: string;
  readonly locale: TemplateLocale;
  readonly reason: string;
  /** The file that failed, as shown in problems ("templates/ru/nps.ask.hbs"); absent for an unknown key. */
  readonly file: string | undefined;
  /** The variable that is missing or unprintable, when one is to blame ("patient.frstName"). */
  readonly variable: string | undefined;
  constructor(
    reason: string,
    at: { key: string; locale: TemplateLocale; file?: string; variable?: string; cause?: unknown },
  ) {
    super(`template "${at.key}" (${at.locale}): ${reason}`, at.cause === undefined ? undefined : { cause: at.cause });
    this.key = at.key;
    this.locale = at.locale;
    this.reason = reason;
    this.file = at.file;
    this.variable = at.variable;
  }
}

/** One loaded template, for tools that inspect texts (validation, referenced variables). */
export interface TemplateSource {
  key: string;
  locale: TemplateLocale;
  file: string;
  source: string;
  /** Parsed as written (before the store's output guard): safe to walk, never mutate. */
  ast: hbs.AST.Program;
}

export interface TemplateStore {
  readonly dir: string;
  /** True when `<locale>/<key>.hbs` loaded without problems. */
  has(key: string, locale?: TemplateLocale): boolean;
  keys(locale?: TemplateLocale): string[];
  /**
   * Renders in `view.locale`, falling back to ru only when that locale has no usable file.
   * Throws TemplateRenderError for an unknown key, a missing variable or a helper error.
   */
  render(key: string, view: TemplateView): string;
  template(key: string, locale?: TemplateLocale): TemplateSource | undefined;
  /** How a file is named in problems, whether or not it exists: "templates/ru/nps.ask.hbs". */
  file(key: string, locale?: TemplateLocale): string;
  /** Templates compiled so far (each file once, at load): lets tests prove renders reuse them. */
  readonly compileCount: number;
}

export interface TemplateProblem {
  file: string;
  message: string;
}

export function formatProblem(problem: TemplateProblem): string {
  return `${problem.file}: ${problem.message}`;
}

/** Lowercase words joined by ".", "-" or "_" (digits allowed: "reminder.24h"). */
export const TEMPLATE_KEY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

// strict: a missing {{variable}} throws; noEscape: messages are plain text, not HTML.
const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: knownHelpers(),
  noEscape: true,
  data: true,
} as const;

/** A text compiled and ready to render: a file's, or a clinic's own (overlay.ts). */
export interface CompiledTemplate extends TemplateSource {
  run: HandlebarsTemplateDelegate<TemplateView>;
}
type Compiled = CompiledTemplate;

export interface LoadTemplatesOptions {
  /** Files in problems are shown relative to this folder when inside it. Default: process.cwd(). */
  root?: string;
}

export function loadTemplates(dir: string, options: LoadTemplatesOptions = {}): { store: TemplateStore; problems: TemplateProblem[] } {
  const root = path.resolve(options.root ?? process.cwd());
  const absDir = path.resolve(dir);
  const show = (file: string): string => displayPath(file, root);
  const env = createTemplateEnvironment();
  const problems: TemplateProblem[] = [];
  const compiled = new Map<string, Compiled>();
  // Keys with a file on disk, loaded or not: a broken file still counts as present for its counterpart.
  const present = new Map<TemplateLocale, Set<string>>();
  let compileCount = 0;

  const loadLocale = (locale: TemplateLocale): void => {
    const folder = path.join(absDir, locale);
    const keys = new Set<string>();
    present.set(locale, keys);
    for (const name of listDir(folder)) {
      const file = path.join(folder, name);
      if (isDirectory(file)) {
        problems.push({ file: show(file), message: `subfolders are not supported: keep texts directly in ${locale}/` });
      } else if (!name.endsWith(".hbs")) {
        problems.push({ file: show(file), message: "not a template: expected <key>.hbs" });
      } else if (!TEMPLATE_KEY.test(name.slice(0, -4))) {
        problems.push({
          file: show(file),
          message: `"${name.slice(0, -4)}" is not a valid key: use lowercase words joined by ".", "-" or "_"`,
        });
      } else {
        const key = name.slice(0, -4);
        keys.add(key);
        const source = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
        compileCount++;
        const result = compileTemplate<TemplateView>(env, source);
        if ("error" in result) problems.push({ file: show(file), message: result.error });
        else compiled.set(id(key, locale), { key, locale, file: show(file), source, ast: result.ast, run: result.run });
      }
    }
  };

  if (!isDirectory(absDir)) {
    problems.push({ file: show(absDir), message: "templates folder not found" });
  } else {
    for (const name of listDir(absDir)) {
      const entry = path.join(absDir, name);
      if (isDirectory(entry)) {
        if (isTemplateLocale(name)) loadLocale(name);
        else problems.push({ file: show(entry), message: `unknown locale folder "${name}" (expected ${TEMPLATE_LOCALES.join(" or ")})` });
      } else if (name.endsWith(".hbs")) {
        problems.push({ file: show(entry), message: `not in a locale folder: move it to ${TEMPLATE_LOCALES.join("/ or ")}/` });
      } // Anything else (a README) is not ours to judge.
    }
    if (!present.has(DEFAULT_LOCALE)) {
      problems.push({ file: show(path.join(absDir, DEFAULT_LOCALE)), message: `missing: ${DEFAULT_LOCALE} is the default locale and is required` });
    }
    problems.push(...missingCounterparts(present, (key, locale) => show(path.join(absDir, locale, `${key}.hbs`))));
  }

  const store: TemplateStore = {
    dir: absDir,
    has: (key, locale = DEFAULT_LOCALE) => compiled.has(id(key, locale)),
    keys: (locale = DEFAULT_LOCALE) =>
      [...compiled.values()].filter((t) => t.locale === locale).map((t) => t.key).sort(),
    template: (key, locale = DEFAULT_LOCALE) => {
      const t = compiled.get(id(key, locale));
      return t && { key: t.key, locale: t.locale, file: t.file, source: t.source, ast: t.ast };
    },
    file: (key, locale = DEFAULT_LOCALE) => show(path.join(absDir, locale, `${key}.hbs`)),
    get compileCount() {
      return compileCount;
    },
    render(key, view) {
      const wanted = viewLocale(key, view);
      const template = compiled.get(id(key, wanted)) ?? compiled.get(id(key, DEFAULT_LOCALE));
      if (!template) {
        throw new TemplateRenderError(`unknown template (no ${store.file(key, wanted)})`, { key, locale: wanted });
      }
      return renderCompiled(template, key, view);
    },
  };
  return { store, problems };
}

const id = (key: string, locale: TemplateLocale): string => `${locale}/${key}`;

/** The view's locale, or a TemplateRenderError naming the bad one. */
export function viewLocale(key: string, view: TemplateView): TemplateLocale {
  const wanted: unknown = view.locale;
  if (isTemplateLocale(wanted)) return wanted;
  const expected = TEMPLATE_LOCALES.join(" or ");
  throw new TemplateRenderError(`unknown locale ${JSON.stringify(wanted)} (expected ${expected})`, { key, locale: DEFAULT_LOCALE });
}

/** Renders one compiled text with the store's rules: a known zone, errors explained, no trailing newline. */
export function renderCompiled(template: CompiledTemplate, key: string, view: TemplateView): string {
  const at = { key, locale: template.locale, file: template.file };
  if (typeof view.timezone !== "string" || !isKnownZone(view.timezone)) {
    throw new TemplateRenderError(`unknown time zone ${JSON.stringify(view.timezone)}`, at);
  }
  let text: string;
  try {
    // Helpers format in the template's locale: a ru fallback text gets ru dates, not en ones.
    text = template.run(view, { data: { locale: template.locale, timezone: view.timezone } });
  } catch (error) {
    const { reason, variable } = explainRenderError(error, template.ast, view);
    throw new TemplateRenderError(reason, { ...at, ...(variable === undefined ? {} : { variable }), cause: error });
  }
  // A file's trailing newline is not part of the message.
  return text.trimEnd();
}

// Every render checks its zone; luxon's check builds a formatter, so zones found valid are kept
// (a handful per clinic). Invalid ones are not cached: they fail the render anyway.
const knownZones = new Set<string>();

function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (!DateTime.now().setZone(zone).isValid) return false;
  knownZones.add(zone);
  return true;
}

function displayPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join("/");
}

// Sorted, without hidden files (.DS_Store, .gitkeep), so problems come out in a stable order.
function listDir(folder: string): string[] {
  return fs.readdirSync(folder).filter((name) => !name.startsWith(".")).sort();
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function missingCounterparts(
  present: Map<TemplateLocale, Set<string>>,
  fileOf: (key: string, locale: TemplateLocale) => string,
): TemplateProblem[] {
  // A locale without a folder is simply not offered; one with a folder must have every text.
  const locales = TEMPLATE_LOCALES.filter((locale) => present.has(locale));
  const all = new Set(locales.flatMap((locale) => [...(present.get(locale) ?? [])]));
  const problems: TemplateProblem[] = [];
  for (const locale of locales) {
    for (const key of [...all].sort()) {
      if (present.get(locale)?.has(key)) continue;
      const other = locales.find((l) => present.get(l)?.has(key));
      if (other) problems.push({ file: fileOf(key, locale), message: `missing (${fileOf(key, other)} exists)` });
    }
  }
  return problems;
}

// ---------- compiling ----------

/**
 * Parses and compiles a text with CareBot's rules (strict variables, known helpers only, no
 * partials) and the output guard; used for the flows' texts and the console's canned replies.
 */
export function compileTemplate<V>(env: TemplateEnvironment, source: string): { ast: hbs.AST.Program; run: HandlebarsTemplateDelegate<V> } | { error: string } {
  try {
    const ast = env.parse(source);
    const unsupported = findUnsupported(ast);
    if (unsupported) return { error: unsupported };
    // A second, unprocessed parse gets the output guard; precompile applies whitespace control to it once.
    const guarded = env.parseWithoutProcessing(source);
    guardOutput(guarded, source);
    // Compile now, not lazily on the first render, so errors such as an unknown helper surface at load.
    const spec = env.precompile(guarded, COMPILE_OPTIONS) as unknown as string;
    const compiled = env.template<V>(new Function(`return ${spec};`)() as TemplateSpecification);
    // A text with no {{…}} at all (a button label, a plain thank-you) prints the same for every
    // view: rendered once here, since each Handlebars call wraps every helper afresh.
    const run = isPlainText(guarded) ? plainText<V>(compiled({} as V)) : compiled;
    return { ast, run };
  } catch (error) {
    return { error: describeCompileError(error, source) };
  }
}

const isPlainText = (program: hbs.AST.Program): boolean => program.body.every((statement) => statement.type === "ContentStatement");

function plainText<V>(text: string): HandlebarsTemplateDelegate<V> {
  return () => text;
}

/** "line 3: Parse error in "{{#if x}": expecting 'CLOSE', …, got 'INVALID'": one line, with the line number. */
function describeCompileError(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const lineText = (n: string | undefined): string => {
    const text = (source.split("\n")[Number(n) - 1] ?? "").trim();
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  };
  // Jison: "Parse error on line 3:\n<context>\n---^\nExpecting 'A', 'B', got 'C'".
  const parse = /^Parse error on line (\d+):\n[\s\S]*\nExpecting (.*), got (.*)$/.exec(message);
  if (parse) {
    const expected = (parse[2] ?? "").split(", ");
    const list = expected.length > 4 ? `${expected.slice(0, 4).join(", ")}, …` : expected.join(", ");
    return `line ${parse[1]}: Parse error in ${lineText(parse[1])}: expecting ${list}, got ${parse[3]}`;
  }
  const lexical = /^(?:Parse|Lexical) error on line (\d+)[.:]/.exec(message);
  if (lexical) return `line ${lexical[1]}: ${message.includes("Lexical") ? "Lexical" : "Parse"} error in ${lineText(lexical[1])}`;
  const line = (error as { lineNumber?: unknown }).lineNumber;
  const text = message
    .replace(/ - \d+:\d+$/, "")
    .replace(
      /^You specified knownHelpersOnly, but used the unknown helper (.*)$/,
      (_, name: string) => `unknown helper "${name}" (known: ${TEMPLATE_HELPERS.filter((h) => h !== VALUE_HELPER).join(", ")}, if, unless, each, with)`,
    );
  return typeof line === "number" ? `line ${line}: ${text}` : text;
}

function findUnsupported(node: hbs.AST.Program): string | undefined {
  for (const statement of node.body) {
    const line = statement.loc?.start.line;
    if (statement.type === "PartialStatement" || statement.type === "PartialBlockStatement") {
      return `line ${line}: partials ({{> …}}) are not supported`;
    }
    if (statement.type === "Decorator" || statement.type === "DecoratorBlock") {
      return `line ${line}: decorators ({{* …}}) are not supported`;
    }
    if (statement.type === "BlockStatement") {
      const block = statement as hbs.AST.BlockStatement;
      const inner = (block.program && findUnsupported(block.program)) || (block.inverse && findUnsupported(block.inverse));
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Rewrites every `{{expr}}` into `{{__value expr expr="…"}}` so each printed value goes through
 * one check: Handlebars alone prints null as "" and an object as "[object Object]".
 */
function guardOutput(program: hbs.AST.Program, source: string): void {
  const helpers = new Set(TEMPLATE_HELPERS);
  for (const statement of program.body) {
    if (statement.type === "BlockStatement") {
      const block = statement as hbs.AST.BlockStatement;
      if (block.program) guardOutput(block.program, source);
      if (block.inverse) guardOutput(block.inverse, source);
      continue;
    }
    if (statement.type !== "MustacheStatement") continue;
    const mustache = statement as hbs.AST.MustacheStatement;
    const name = mustache.path.type === "PathExpression" ? (mustache.path as hbs.AST.PathExpression).original : undefined;
    if (name === "log") continue; // prints nothing by design
    const isCall = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0 || (name !== undefined && helpers.has(name));
    const loc = mustache.loc;
    const argument: hbs.AST.Expression = isCall
      ? ({ type: "SubExpression", path: mustache.path, params: mustache.params, hash: mustache.hash, loc } as hbs.AST.SubExpression)
      : mustache.path;
    const label = isCall ? sourceText(source, loc) : (name ?? "");
    const valuePath: hbs.AST.PathExpression = { type: "PathExpression", data: false, depth: 0, parts: [VALUE_HELPER], original: VALUE_HELPER, loc };
    const labelLiteral = { type: "StringLiteral", value: label, original: label, loc } as hbs.AST.StringLiteral;
    mustache.path = valuePath;
    mustache.params = [argument];
    mustache.hash = { type: "Hash", pairs: [{ type: "HashPair", key: "expr", value: labelLiteral, loc }], loc } as hbs.AST.Hash;
  }
}

function sourceText(source: string, loc: hbs.AST.SourceLocation | undefined): string {
  if (!loc) return "";
  const lines = source.split("\n");
  const offset = (p: hbs.AST.Position): number =>
    lines.slice(0, p.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + p.column;
  return source.slice(offset(loc.start), offset(loc.end));
}

// ---------- explaining render errors ----------

/** One line saying why a render failed, and the variable to blame when there is one. */
export function explainRenderError(error: unknown, ast: hbs.AST.Program, view: object): { reason: string; variable?: string } {
  if (error instanceof TemplateHelperError) {
    const arg = error.loc && error.argIndex !== undefined ? helperArgument(ast, error.loc, error.helper, error.argIndex) : undefined;
    const argPath = arg?.type === "PathExpression" ? (arg as hbs.AST.PathExpression).original : undefined;
    if (error.missing && argPath !== undefined) return { reason: `unknown variable "${argPath}"`, variable: argPath };
    const text = error.helper === VALUE_HELPER ? error.message.slice(VALUE_HELPER.length + 2) : error.message;
    return argPath !== undefined && error.helper !== VALUE_HELPER
      ? { reason: `${text} (from "${argPath}")`, variable: argPath }
      : { reason: text, ...(argPath === undefined ? {} : { variable: argPath }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars strict mode: '"frstName" not defined in [object Object] - 1:10' names only the last segment.
  const strict = /^"(.*)" not defined in /.exec(message);
  if (strict) {
    const { lineNumber, column } = error as { lineNumber?: number; column?: number };
    const node = findNode(ast, (n) => n.type === "PathExpression" && n.loc?.start.line === lineNumber && n.loc?.start.column === column);
    const variable = node ? (node as hbs.AST.PathExpression).original : (strict[1] ?? "");
    return { reason: `unknown variable "${variable}"`, variable };
  }
  // A missing object in the middle of a path: "Cannot read properties of undefined (reading 'city')".
  const reading = /^Cannot read properties of (undefined|null) \(reading '(.*)'\)/.exec(message);
  if (reading) {
    const broken = brokenPath(ast, view, reading[2] ?? "");
    if (broken) {
      return broken.value === undefined
        ? { reason: `unknown variable "${broken.prefix}" (in "${broken.path}")`, variable: broken.prefix }
        : { reason: `"${broken.prefix}" is null (in "${broken.path}")`, variable: broken.prefix };
    }
    return { reason: `a variable before ".${reading[2]}" is ${reading[1]}` };
  }
  return { reason: message.replace(/ - \d+:\d+$/, "") };
}

function findNode(node: unknown, match: (node: hbs.AST.Node) => boolean): hbs.AST.Node | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findNode(item, match);
      if (found) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== "object") return undefined;
  if (typeof (node as hbs.AST.Node).type === "string" && match(node as hbs.AST.Node)) return node as hbs.AST.Node;
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "strip") continue;
    const found = findNode(value, match);
    if (found) return found;
  }
  return undefined;
}

/** The argument expression of the helper call that Handlebars reported at `loc`. */
function helperArgument(ast: hbs.AST.Program, loc: TemplateLocation, helper: string, index: number): hbs.AST.Expression | undefined {
  const sameStart = (n: hbs.AST.Node): boolean => n.loc?.start.line === loc.start.line && n.loc?.start.column === loc.start.column;
  if (helper === VALUE_HELPER) {
    // The guard wraps a whole mustache: its "argument" is the mustache's own path (or nothing, for a call).
    const mustache = findNode(ast, (n) => n.type === "MustacheStatement" && sameStart(n)) as hbs.AST.MustacheStatement | undefined;
    if (!mustache || mustache.params.length > 0) return undefined;
    return mustache.path;
  }
  const call = findNode(
    ast,
    (n) =>
      (n.type === "MustacheStatement" || n.type === "BlockStatement" || n.type === "SubExpression") &&
      sameStart(n) &&
      (n as hbs.AST.SubExpression).path.original === helper,
  ) as hbs.AST.SubExpression | undefined;
  return call?.params[index];
}

/** The first path in the template whose walk through the view hits a missing object before `segment`. */
function brokenPath(ast: hbs.AST.Program, view: object, segment: string): { prefix: string; path: string; value: unknown } | undefined {
  let result: { prefix: string; path: string; value: unknown } | undefined;
  findNode(ast, (n) => {
    if (n.type !== "PathExpression") return false;
    const p = n as hbs.AST.PathExpression;
    if (p.data || p.depth > 0) return false;
    let current: unknown = view;
    for (let i = 0; i < p.parts.length - 1; i++) {
      current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[p.parts[i] ?? ""] : undefined;
      if ((current === undefined || current === null) && p.parts[i + 1] === segment) {
        result = { prefix: p.parts.slice(0, i + 1).join("."), path: p.original, value: current };
        return true;
      }
      if (current === undefined || current === null) return false;
    }
    return false;
  });
  return result;
}
