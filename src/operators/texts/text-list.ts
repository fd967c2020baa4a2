// Every text the editor lists, with what patients get now in each language and whether the
// clinic has its own published version or an unpublished draft.
import type { OperatorConsoleDeps } from "../deps.ts";
import { parseTextVersionKey, textBodySchema } from "../../flows/templates/clinic-texts.ts";
import { TEMPLATE_LOCALES, type TemplateLocale } from "../../flows/templates/view.ts";
import { textGroups } from "./text-index.ts";
import { checkViews } from "../../flows/loader/load-flows.ts";
import { templateKeysOf } from "../../flows/loader/validate-flow.ts";
import { compileTextLayer, overlayTemplates } from "../../flows/templates/overlay.ts";
import { clinicTextLabel } from "../../flows/templates/clinic-texts.ts";

export interface TextListEntry {
  key: string;
  /** The live Russian text rendered for the sample patient, to recognise it in the list. */
  sample: string;
  /** The live text per language. */
  live: Record<TemplateLocale, string>;
  /** Languages in which the clinic's own version is live. */
  own: TemplateLocale[];
  /** Languages with a draft newer than the live text. */
  drafts: TemplateLocale[];
}

export interface TextListGroup {
  area: string;
  entries: TextListEntry[];
}

export async function listTexts(deps: Pick<OperatorConsoleDeps, "db" | "flows">, clinicId: number): Promise<TextListGroup[]> {
  const templates = deps.flows.catalog().templates;
  const rows = await deps.db.prisma.contentVersion.findMany({
    where: { clinicId, kind: "text", status: { in: ["published", "draft"] } },
    select: { key: true, version: true, status: true, body: true },
  });
  const live = new Map<string, { version: number; source: string }>();
  const newestDraft = new Map<string, number>();
  for (const row of rows) {
    if (row.status === "published") {
      const body = textBodySchema.safeParse(row.body);
      if (body.success) live.set(row.key, { version: row.version, source: body.data.source });
    } else {
      newestDraft.set(row.key, Math.max(row.version, newestDraft.get(row.key) ?? 0));
    }
  }
  const catalog = deps.flows.catalog();
  // The context a key is said with: its first flow's (texts no flow says get none).
  const contextOf = new Map<string, Record<string, unknown>>();
  for (const { def } of catalog.flows.values()) for (const key of templateKeysOf(def, catalog.registry)) if (!contextOf.has(key)) contextOf.set(key, def.context);
  const own = compileTextLayer(
    [...live].flatMap(([versionKey, v]) => {
      const ref = parseTextVersionKey(versionKey);
      return ref ? [{ ...ref, source: v.source, file: clinicTextLabel(ref.key, ref.locale) }] : [];
    }),
  );
  const texts = overlayTemplates(templates, own);
  const sample = (key: string): string => {
    try {
      return texts.render(key, checkViews(catalog.registry, contextOf.get(key) ?? {})[0]!);
    } catch {
      return (texts.template(key, "ru")?.source ?? "").replace(/\{\{[#/^]?[^}]*\}\}/g, " ").replace(/\s+/g, " ").trim();
    }
  };
  return textGroups(catalog).map((group) => ({
    area: group.area,
    entries: group.keys.map((key) => {
      const entry: TextListEntry = { key, sample: sample(key), live: { ru: "", en: "" }, own: [], drafts: [] };
      for (const locale of TEMPLATE_LOCALES) {
        const versionKey = `${key}:${locale}`;
        const own = parseTextVersionKey(versionKey) ? live.get(versionKey) : undefined;
        entry.live[locale] = own?.source ?? templates.template(key, locale)?.source ?? "";
        if (own) entry.own.push(locale);
        if ((newestDraft.get(versionKey) ?? 0) > (own?.version ?? 0)) entry.drafts.push(locale);
      }
      return entry;
    }),
  }));
}
