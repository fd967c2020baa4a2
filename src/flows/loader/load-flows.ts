import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { INBOUND_EVENT_TYPES } from "../events.ts";
import { fill, textsOf } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";
import { zodErrorMap } from "../../i18n/zod.ts";
import { flowFormat } from "../definition/format.ts";
import { versionIssueOf } from "../../util/versioned/stored-format.ts";
import type { FlowDefinition } from "../definition/schema.ts";
import type { Registry } from "../registry/types.ts";
import { loadWordAdditions, normalizeWords, Reader } from "../../domain/understanding/index.ts";

/** Where in the flows folder a clinic keeps its additions to the word lists (ru.json, en.json). */
export const WORDS_FOLDER = "words";
import { checkTemplates, loadTemplates, SAMPLE_WARD, sampleView } from "../templates/index.ts";
import type { TemplateStore, TemplateView } from "../templates/index.ts";
import { FlowCatalog } from "./catalog.ts";
import type { LoadedFlow } from "./catalog.ts";
import { parseJson } from "./parse-json.ts";
import { PROBLEM_TEXT } from "./problem-text.ts";
import { formatPath } from "./problems.ts";
import type { Problem } from "./problems.ts";
import { checkFlowTexts, templateKeysOf, validateFlow } from "./validate-flow.ts";

/** Templates the runtime itself says (re-asks, media, errors, the menu): they must exist too. */
export const RUNTIME_TEMPLATES = ["common.reask", "common.media", "common.escalated-unrecognized", "common.error", "common.not-understood", "common.operator-busy"];

export interface LoadResult {
  catalog: FlowCatalog | null;
  problems: Problem[];
}

export interface LoadOptions {
  flowsDir: string;
  templatesDir: string;
  registry: Registry;
  /** Paths in problems are shown relative to this folder (the project root). */
  root?: string;
  /** The language problems are told in (English by default: the service's log). */
  lang?: Lang;
}

/**
 * Loads every flow and template and checks them together. Any problem means no catalog:
 * the caller keeps serving the last good one.
 */
export function loadFlowCatalog(options: LoadOptions): LoadResult {
  const root = options.root ?? process.cwd();
  const rel = (file: string) => path.relative(root, file) || file;
  const problems: Problem[] = [];
  const lang = options.lang ?? "en";
  const t = textsOf(PROBLEM_TEXT, lang);

  const { store, problems: templateProblems } = loadTemplates(options.templatesDir);
  problems.push(...templateProblems.map((p) => ({ file: rel(path.resolve(p.file)), message: p.message })));

  const parsed: { def: FlowDefinition; file: string }[] = [];
  const files = existsSync(options.flowsDir)
    ? readdirSync(options.flowsDir).filter((f) => f.endsWith(".json") && f !== "flow.schema.json").sort()
    : [];
  if (files.length === 0) problems.push({ file: rel(options.flowsDir), message: t.noFiles });
  for (const name of files) {
    const file = rel(path.join(options.flowsDir, name));
    const json = parseJson(readFileSync(path.join(options.flowsDir, name), "utf8"), lang);
    if (!json.ok) {
      problems.push({ file, message: json.message });
      continue;
    }
    const result = flowFormat.safeRead(json.value, { error: zodErrorMap(lang) });
    if (!result.success) {
      problems.push(...result.error.issues.flatMap((issue) => schemaProblems(file, issue, lang)));
      continue;
    }
    if (`${result.data.id}.json` !== name) problems.push({ file, path: "id", message: fill(t.idMismatch, { id: result.data.id }) });
    parsed.push({ def: result.data, file });
  }

  // The clinic's additions to the word lists patients' free text is read by.
  const words = loadWordAdditions(path.join(options.flowsDir, WORDS_FOLDER), rel);
  problems.push(...words.problems);

  const flowIds = new Set(parsed.map((p) => p.def.id));
  for (const { def, file } of parsed) problems.push(...validateFlow(def, file, { registry: options.registry, templates: store, flowIds, lang }));
  problems.push(...triggerConflicts(parsed, lang));
  problems.push(...renderChecks(parsed, store, options.registry, root, lang));

  if (problems.length > 0) return { catalog: null, problems };
  const flows = new Map<string, LoadedFlow>(parsed.map((p) => [p.def.id, p]));
  return { catalog: new FlowCatalog(flows, store, options.registry, new Reader(words.additions)), problems };
}

/** A zod issue in the words of a flow file; an unknown key is named, with what is allowed there. */
function schemaProblems(file: string, issue: z.core.$ZodIssue, lang: Lang): Problem[] {
  const t = textsOf(PROBLEM_TEXT, lang);
  if (issue.code === "unrecognized_keys") {
    const underOn = issue.path.at(-1) === "on";
    return issue.keys.map((key) => ({
      file,
      path: formatPath([...issue.path, key]),
      message: underOn ? fill(t.unknownEvent, { events: INBOUND_EVENT_TYPES.join(", ") }) : t.unknownField,
    }));
  }
  const version = versionIssueOf(issue);
  if (version) {
    const message = fill(version.newer ? t.formatNewer : t.formatInvalid, { found: String(version.found), current: String(version.current) });
    return [{ file, path: formatPath(issue.path), message }];
  }
  return [{ file, path: formatPath(issue.path) || undefined, message: issue.message }];
}

/** Two flows claiming the same command, keyword or payload prefix would make the router guess. */
function triggerConflicts(parsed: { def: FlowDefinition; file: string }[], lang: Lang): Problem[] {
  const t = textsOf(PROBLEM_TEXT, lang);
  const problems: Problem[] = [];
  const claimed = new Map<string, string>();
  for (const { def, file } of parsed) {
    const claims = [
      ...def.triggers.commands.map((c, i) => ({ key: `command ${c}`, path: `triggers.commands[${i}]` })),
      ...def.triggers.keywords.map((k, i) => ({ key: `keyword "${normalizeWords(k)}"`, path: `triggers.keywords[${i}]` })),
      ...(def.triggers.payloadPrefix ? [{ key: `payload prefix ${def.triggers.payloadPrefix}`, path: "triggers.payloadPrefix" }] : []),
      ...def.triggers.intents.map((intent, i) => ({ key: `intent ${intent}`, path: `triggers.intents[${i}]` })),
    ];
    for (const claim of claims) {
      const owner = claimed.get(claim.key);
      if (owner && owner !== def.id) problems.push({ file, path: claim.path, message: fill(t.claimed, { key: claim.key, owner }) });
      else claimed.set(claim.key, def.id);
    }
  }
  return problems;
}

/** What the registry's actions leave in `result` for later texts of a step (sample values). */
export function sampleResults(registry: Registry): Record<string, unknown> {
  return Object.assign({}, ...Object.values(registry.actions).map((a) => a.sampleResult ?? {}));
}

/** The views a text is checked with for a flow with this context: a known patient, a stranger, a guardian about their child. */
export function checkViews(registry: Registry, context: Record<string, unknown>): TemplateView[] {
  const result = sampleResults(registry);
  return [
    sampleView({ context, result }),
    sampleView({ context, result, patient: { firstName: "", fullName: "", gender: "", linked: false } }),
    sampleView({ context, result, patient: { firstName: "Миша", fullName: "Петров Михаил", gender: "male", linked: true }, ward: SAMPLE_WARD }),
  ];
}

/** Every template a flow uses must render in both languages with the flow's context. */
function renderChecks(parsed: { def: FlowDefinition; file: string }[], store: TemplateStore, registry: Registry, root: string, lang: Lang): Problem[] {
  const problems: Problem[] = [];
  for (const key of RUNTIME_TEMPLATES) {
    if (!store.has(key, "ru")) problems.push({ file: "templates/ru", message: fill(textsOf(PROBLEM_TEXT, lang).missingRuntimeTemplate, { key }) });
  }
  const views = (context: Record<string, unknown>) => checkViews(registry, context);
  problems.push(...checkTemplates(store, RUNTIME_TEMPLATES.filter((k) => store.has(k, "ru")), views({})));
  for (const { def, file } of parsed) {
    const own = new Set(Object.keys(def.texts ?? {}));
    const keys = templateKeysOf(def, registry).filter((k) => !own.has(k) && store.has(k, "ru") && store.has(k, "en"));
    problems.push(...checkTemplates(store, keys, views(def.context)));
    problems.push(...checkFlowTexts(def, store, views(def.context)).map((p) => ({ file, path: p.path, message: p.message })));
  }
  for (const p of problems) p.file = path.relative(root, path.resolve(p.file)) || p.file;
  // One problem per line: the same template may be checked for several flows.
  return [...new Map(problems.map((p) => [`${p.file}|${p.path ?? ""}|${p.message}`, p])).values()];
}
