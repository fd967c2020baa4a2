// A clinic's own texts: the published ContentVersion rows of kind "text", key "<template key>:<locale>",
// body { source }. They win over the shipped files for that clinic's patients (overlay.ts).
import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { publishedOfKind } from "../../domain/content/versions.ts";
import { compileTextLayer, type TextLayer, type TextSource } from "./overlay.ts";
import { isTemplateLocale, type TemplateLocale } from "./view.ts";
import { TEMPLATE_KEY } from "./store.ts";

/** What a text version stores. */
export const textBodySchema = z.object({ source: z.string() });
export type TextBody = z.infer<typeof textBodySchema>;

/** The ContentVersion key of one text in one locale: "nps.ask:ru". */
export const textVersionKey = (key: string, locale: TemplateLocale): string => `${key}:${locale}`;

export function parseTextVersionKey(value: string): { key: string; locale: TemplateLocale } | null {
  const at = value.lastIndexOf(":");
  const key = value.slice(0, at);
  const locale = value.slice(at + 1);
  return at > 0 && TEMPLATE_KEY.test(key) && isTemplateLocale(locale) ? { key, locale } : null;
}

/** How problems name a clinic's text (it has no file). */
export const clinicTextLabel = (key: string, locale: TemplateLocale): string => `clinic text ${locale}/${key}`;

/** The clinic's published texts, compiled. A row that does not parse or compile is left out: the file is used. */
export async function loadClinicTexts(tx: Tx, clinicId: number): Promise<TextLayer> {
  const rows = await publishedOfKind(tx, clinicId, "text");
  const sources: TextSource[] = [];
  for (const [versionKey, row] of rows) {
    const ref = parseTextVersionKey(versionKey);
    const body = textBodySchema.safeParse(row.body);
    if (ref && body.success) sources.push({ ...ref, source: body.data.source, file: clinicTextLabel(ref.key, ref.locale) });
  }
  return compileTextLayer(sources);
}
