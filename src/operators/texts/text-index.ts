// The clinic's texts as the editor lists them: every key the shipped files have, grouped by the
// area its key names ("nps.ask" → "nps"), with the flows that say it and the variables it may use.
import type { FlowCatalog } from "../../flows/loader/catalog.ts";
import { flowsUsing } from "../../flows/loader/check-text.ts";
import { sampleResults } from "../../flows/loader/load-flows.ts";
import { referencedVariables } from "../../flows/templates/check.ts";
import { sampleView, TEMPLATE_LOCALES } from "../../flows/templates/view.ts";

export interface TextGroup {
  /** The key's first word: "nps", "visit", "common". */
  area: string;
  keys: string[];
}

export const areaOf = (key: string): string => key.split(/[._]/)[0] ?? key;

export function textGroups(catalog: FlowCatalog): TextGroup[] {
  const byArea = new Map<string, string[]>();
  for (const key of catalog.templates.keys("ru")) {
    const area = areaOf(key);
    byArea.set(area, [...(byArea.get(area) ?? []), key]);
  }
  return [...byArea].map(([area, keys]) => ({ area, keys })).sort((a, b) => (a.area === "common" ? -1 : b.area === "common" ? 1 : a.area.localeCompare(b.area)));
}

/** Paths under an object, down to values that are not plain objects: "patient.firstName". */
function leafPaths(value: unknown, prefix: string): string[] {
  if (value === null || typeof value !== "object" || value instanceof Date || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, `${prefix}.${k}`));
}

/** What every text may print: the patient, the clinic and the bonus facts CareBot always gives. */
export const FIXED_VARIABLES: readonly string[] = (() => {
  const view = sampleView();
  return [...leafPaths(view.patient, "patient"), ...leafPaths(view.clinic, "clinic"), ...leafPaths(view.bonus, "bonus")];
})();

/**
 * The variables a text may use: the fixed ones, the context the flows that say it declare, and the
 * step results its shipped version already reads (what an action leaves for the text after it).
 */
export function variablesOf(catalog: FlowCatalog, key: string): string[] {
  const context = new Set<string>();
  for (const def of flowsUsing(catalog, key)) for (const name of Object.keys(def.context)) context.add(`context.${name}`);
  const results = new Set<string>();
  const known = new Set(leafPaths(sampleResults(catalog.registry), "result"));
  for (const locale of TEMPLATE_LOCALES) {
    for (const variable of referencedVariables(catalog.templates, key, locale)) {
      if (variable.startsWith("result.") && [...known].some((k) => k === variable || k.startsWith(`${variable}.`) || variable.startsWith(`${k}.`))) results.add(variable);
    }
  }
  return [...FIXED_VARIABLES, ...[...context].sort(), ...[...results].sort()];
}
