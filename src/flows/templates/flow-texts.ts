// Where a flow's message texts come from, in one place. Order of precedence: the flow version's
// own texts (written by the console's flow editor and versioned with the flow, so a conversation
// keeps the wording it started with) → the clinic's text overrides → templates/ files. `base` is
// the store of the last two; this module adds the first on top of it.
import type { FlowDefinition } from "../definition/schema.ts";
import { createTemplateEnvironment } from "./helpers.ts";
import { TemplateRenderError, compileTemplate, explainRenderError } from "./store.ts";
import type { TemplateSource, TemplateStore } from "./store.ts";
import { DEFAULT_LOCALE, TEMPLATE_LOCALES, isTemplateLocale } from "./view.ts";
import type { TemplateLocale, TemplateView } from "./view.ts";

interface CompiledText extends TemplateSource {
  run: HandlebarsTemplateDelegate<TemplateView>;
}

const env = createTemplateEnvironment();
const compiledByDef = new WeakMap<FlowDefinition, { texts: Map<string, CompiledText>; problems: FlowTextProblem[] }>();
const storesByDef = new WeakMap<FlowDefinition, WeakMap<TemplateStore, TemplateStore>>();

export interface FlowTextProblem {
  /** Path inside the flow: ["texts", key, locale]. */
  path: (string | number)[];
  message: string;
}

/** How a flow's own text is named in problems and TemplateSource.file. */
const textFile = (def: FlowDefinition, key: string, locale: TemplateLocale) => `flow ${def.id}: texts.${key}.${locale}`;

function compiled(def: FlowDefinition): { texts: Map<string, CompiledText>; problems: FlowTextProblem[] } {
  let found = compiledByDef.get(def);
  if (!found) {
    const texts = new Map<string, CompiledText>();
    const problems: FlowTextProblem[] = [];
    for (const [key, byLocale] of Object.entries(def.texts ?? {})) {
      for (const locale of TEMPLATE_LOCALES) {
        const source = byLocale[locale];
        const result = compileTemplate<TemplateView>(env, source);
        if ("error" in result) problems.push({ path: ["texts", key, locale], message: result.error });
        else texts.set(`${locale}/${key}`, { key, locale, file: textFile(def, key, locale), source, ast: result.ast, run: result.run });
      }
    }
    found = { texts, problems };
    compiledByDef.set(def, found);
  }
  return found;
}

/** What is wrong with a flow's own texts (a Handlebars slip), with the path inside the flow. */
export function flowTextProblems(def: FlowDefinition): FlowTextProblem[] {
  return compiled(def).problems;
}

/** The texts a flow renders with: its own texts first, then `base`. Built once per definition and base. */
export function textsForFlow(def: FlowDefinition, base: TemplateStore): TemplateStore {
  if (!def.texts || Object.keys(def.texts).length === 0) return base;
  let byBase = storesByDef.get(def);
  if (!byBase) storesByDef.set(def, (byBase = new WeakMap()));
  let store = byBase.get(base);
  if (!store) {
    store = overlay(def, compiled(def).texts, base);
    byBase.set(base, store);
  }
  return store;
}

function overlay(def: FlowDefinition, own: Map<string, CompiledText>, base: TemplateStore): TemplateStore {
  const find = (key: string, locale: TemplateLocale) => own.get(`${locale}/${key}`);
  return {
    dir: base.dir,
    has: (key, locale = DEFAULT_LOCALE) => find(key, locale) !== undefined || base.has(key, locale),
    keys: (locale = DEFAULT_LOCALE) => [...new Set([...base.keys(locale), ...[...own.values()].filter((t) => t.locale === locale).map((t) => t.key)])].sort(),
    template: (key, locale = DEFAULT_LOCALE) => {
      const t = find(key, locale);
      return t ? { key: t.key, locale: t.locale, file: t.file, source: t.source, ast: t.ast } : base.template(key, locale);
    },
    file: (key, locale = DEFAULT_LOCALE) => (find(key, locale) ? textFile(def, key, locale) : base.file(key, locale)),
    get compileCount() {
      return base.compileCount;
    },
    render(key, view) {
      const locale: TemplateLocale = isTemplateLocale(view.locale) ? view.locale : DEFAULT_LOCALE;
      const t = find(key, locale);
      if (!t) return base.render(key, view);
      try {
        return t.run(view, { data: { locale: t.locale, timezone: view.timezone } }).trimEnd();
      } catch (error) {
        const { reason, variable } = explainRenderError(error, t.ast, view);
        throw new TemplateRenderError(reason, { key, locale: t.locale, file: t.file, ...(variable === undefined ? {} : { variable }), cause: error });
      }
    },
  };
}
