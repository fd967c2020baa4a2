// Texts laid over the shipped files: a clinic's own versions (and, above them, a flow version's own
// texts) win over templates/<locale>/<key>.hbs. A layer is compiled once with the files' rules and
// the overlay is a TemplateStore like the files', so rendering, validation and the variable walk
// (check.ts) treat a clinic's text exactly as they treat a file.
import { createTemplateEnvironment } from "./helpers.ts";
import { compileTemplate, renderCompiled, TemplateRenderError, viewLocale } from "./store.ts";
import type { CompiledTemplate, TemplateProblem, TemplateStore } from "./store.ts";
import { DEFAULT_LOCALE, type TemplateLocale, type TemplateView } from "./view.ts";

/** One text of a layer: its key, locale and Handlebars source, and how problems name it. */
export interface TextSource {
  key: string;
  locale: TemplateLocale;
  source: string;
  /** Shown in problems instead of a file path: "clinic text ru/nps.ask". */
  file: string;
}

/** Compiled texts by key and locale; a text that does not compile is left out and reported. */
export class TextLayer {
  readonly #texts: ReadonlyMap<string, CompiledTemplate>;
  constructor(
    texts: Iterable<CompiledTemplate>,
    readonly problems: readonly TemplateProblem[] = [],
  ) {
    this.#texts = new Map([...texts].map((t) => [`${t.locale}/${t.key}`, t]));
  }

  get(key: string, locale: TemplateLocale): CompiledTemplate | undefined {
    return this.#texts.get(`${locale}/${key}`);
  }

  keys(locale: TemplateLocale): string[] {
    return [...this.#texts.values()].filter((t) => t.locale === locale).map((t) => t.key);
  }

  get size(): number {
    return this.#texts.size;
  }
}

export const EMPTY_LAYER = new TextLayer([]);

// One environment for every layer: compiling is what costs, and the helpers are the same.
const env = createTemplateEnvironment();

export function compileTextLayer(sources: readonly TextSource[]): TextLayer {
  const texts: CompiledTemplate[] = [];
  const problems: TemplateProblem[] = [];
  for (const text of sources) {
    const source = text.source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    const result = compileTemplate<TemplateView>(env, source);
    if ("error" in result) problems.push({ file: text.file, message: result.error });
    else texts.push({ key: text.key, locale: text.locale, file: text.file, source, ast: result.ast, run: result.run });
  }
  return new TextLayer(texts, problems);
}

const overlays = new WeakMap<TemplateStore, WeakMap<TextLayer, TemplateStore>>();

/**
 * `layer` over `base`. A key renders from the layer's text in the wanted locale, else the base's
 * in that locale, else (as the files do) the ru text of the layer, then of the base.
 */
export function overlayTemplates(base: TemplateStore, layer: TextLayer): TemplateStore {
  if (layer.size === 0) return base;
  // Both are fixed for a catalog and a clinic version: every message of that version gets the same
  // store (and flow-texts.ts keeps its own overlay per store, so a new one each time would miss).
  let byLayer = overlays.get(base);
  if (!byLayer) overlays.set(base, (byLayer = new WeakMap()));
  let store = byLayer.get(layer);
  if (!store) byLayer.set(layer, (store = overlay(base, layer)));
  return store;
}

function overlay(base: TemplateStore, layer: TextLayer): TemplateStore {
  const source = (t: CompiledTemplate) => ({ key: t.key, locale: t.locale, file: t.file, source: t.source, ast: t.ast });
  return {
    dir: base.dir,
    has: (key, locale = DEFAULT_LOCALE) => layer.get(key, locale) !== undefined || base.has(key, locale),
    keys: (locale = DEFAULT_LOCALE) => [...new Set([...base.keys(locale), ...layer.keys(locale)])].sort(),
    template: (key, locale = DEFAULT_LOCALE) => {
      const own = layer.get(key, locale);
      return own ? source(own) : base.template(key, locale);
    },
    file: (key, locale = DEFAULT_LOCALE) => layer.get(key, locale)?.file ?? base.file(key, locale),
    get compileCount() {
      return base.compileCount;
    },
    render(key, view) {
      const wanted = viewLocale(key, view);
      const own = layer.get(key, wanted);
      if (own) return renderCompiled(own, key, view);
      if (base.has(key, wanted)) return base.render(key, view);
      const fallback = layer.get(key, DEFAULT_LOCALE);
      if (fallback) return renderCompiled(fallback, key, view);
      if (!base.has(key, DEFAULT_LOCALE)) throw new TemplateRenderError(`unknown template (no ${base.file(key, wanted)})`, { key, locale: wanted });
      return base.render(key, view);
    },
  };
}
