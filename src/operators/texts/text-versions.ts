// A text's versions as the editor sees and changes them. Each locale is its own ContentVersion key
// ("nps.ask:ru"); what a clinic publishes wins over the shipped file for its patients, and every
// publish or rollback is audited and moves the clinic's version so running bots read it at once.
import type { OperatorConsoleDeps } from "../deps.ts";
import { flowTitle } from "../flows/step-title.ts";
import type { Prisma, Tx } from "../../db/client.ts";
import { markClinicContentChanged } from "../../domain/content/changed.ts";
import { publish, published, rollBack, saveDraft, versionOf } from "../../domain/content/versions.ts";
import type { ContentRef } from "../../domain/content/versions.ts";
import { checkText, flowsUsing, type TextProblem } from "../../flows/loader/check-text.ts";
import { textBodySchema, textVersionKey } from "../../flows/templates/clinic-texts.ts";
import { TEMPLATE_LOCALES, type TemplateLocale } from "../../flows/templates/view.ts";
import { audit } from "../audit.ts";
import { areaOf, variablesOf } from "./text-index.ts";

export interface LocaleState {
  /** The file's text (version 0). */
  shipped: string;
  /** What patients get now: the published version, or the file's (version 0). */
  live: { version: number; source: string };
  /** The newest version when it is a draft newer than the live one. */
  draft: { version: number; source: string } | null;
}

export interface HistoryRow {
  locale: TemplateLocale;
  version: number;
  status: "draft" | "published" | "retired";
  author: string | null;
  at: string;
  publishedAt: string | null;
  note: string | null;
  source: string;
}

export interface TextDetail {
  key: string;
  area: string;
  flows: string[];
  /** The same flows as a manager names them ("Опрос после визита"). */
  flowTitles: string[];
  variables: string[];
  locales: Record<TemplateLocale, LocaleState>;
  history: HistoryRow[];
}

export type TextResult = { status: "ok"; detail: TextDetail } | { status: "invalid"; problems: Partial<Record<TemplateLocale, TextProblem[]>> } | { status: "unknown" };

const refOf = (clinicId: number, key: string, locale: TemplateLocale): ContentRef => ({ clinicId, kind: "text", key: textVersionKey(key, locale) });
const sourceOf = (body: unknown): string => {
  const parsed = textBodySchema.safeParse(body);
  return parsed.success ? parsed.data.source : "";
};
/** Two texts the patient would read the same (a file's final newline is not part of the message). */
const same = (a: string, b: string): boolean => a.trimEnd() === b.trimEnd();

export function isKnownText(deps: Pick<OperatorConsoleDeps, "clock" | "db" | "flows">, key: string): boolean {
  return deps.flows.catalog().templates.has(key, "ru");
}

export async function textDetail(deps: Pick<OperatorConsoleDeps, "clock" | "db" | "flows">, clinicId: number, key: string, tx: Tx = deps.db.prisma): Promise<TextDetail> {
  const catalog = deps.flows.catalog();
  const locales = {} as Record<TemplateLocale, LocaleState>;
  const rows: HistoryRow[] = [];
  for (const locale of TEMPLATE_LOCALES) {
    // A file's final newline is not part of the message, nor worth an empty line in the editor.
    const shipped = (catalog.templates.template(key, locale)?.source ?? "").replace(/\n+$/, "");
    const versions = await tx.contentVersion.findMany({
      where: { clinicId, kind: "text", key: textVersionKey(key, locale) },
      orderBy: { version: "desc" },
      include: { author: { select: { displayName: true } } },
    });
    const live = versions.find((v) => v.status === "published");
    const newest = versions[0];
    locales[locale] = {
      shipped,
      live: live ? { version: live.version, source: sourceOf(live.body) } : { version: 0, source: shipped },
      draft: newest && newest.status === "draft" && newest.version > (live?.version ?? 0) ? { version: newest.version, source: sourceOf(newest.body) } : null,
    };
    for (const v of versions) {
      rows.push({
        locale,
        version: v.version,
        status: v.status,
        author: v.author?.displayName ?? null,
        at: v.createdAt.toISOString(),
        publishedAt: v.publishedAt?.toISOString() ?? null,
        note: v.note,
        source: sourceOf(v.body),
      });
    }
  }
  rows.sort((a, b) => b.at.localeCompare(a.at) || b.version - a.version || a.locale.localeCompare(b.locale));
  return { key, area: areaOf(key), flows: flowsUsing(catalog, key).map((d) => d.id), flowTitles: flowsUsing(catalog, key).map(flowTitle), variables: variablesOf(catalog, key), locales, history: rows };
}

/**
 * Saves the texts that differ from the newest version as drafts and, with `publish`, makes each
 * locale's edited text the live one. Publishing checks the texts first and saves nothing when
 * one has a problem; a draft is saved as it is (work in progress).
 */
export async function saveTexts(
  deps: Pick<OperatorConsoleDeps, "clock" | "db" | "flows">,
  input: { clinicId: number; operatorId: number; key: string; texts: Partial<Record<TemplateLocale, string>>; publish: boolean },
): Promise<TextResult> {
  if (!isKnownText(deps, input.key)) return { status: "unknown" };
  const catalog = deps.flows.catalog();
  if (input.publish) {
    const problems: Partial<Record<TemplateLocale, TextProblem[]>> = {};
    for (const locale of TEMPLATE_LOCALES) {
      const source = input.texts[locale];
      const found = source === undefined ? [] : checkText(catalog, input.key, locale, source);
      if (found.length > 0) problems[locale] = found;
    }
    if (Object.keys(problems).length > 0) return { status: "invalid", problems };
  }
  const now = deps.clock.now();
  const detail = await deps.db.transaction(async (tx) => {
    const before = await textDetail(deps, input.clinicId, input.key, tx);
    let changedLive = false;
    for (const locale of TEMPLATE_LOCALES) {
      const source = input.texts[locale];
      if (source === undefined) continue;
      const state = before.locales[locale];
      const ref = refOf(input.clinicId, input.key, locale);
      let version: number | null = null;
      if (state.draft && same(state.draft.source, source)) version = state.draft.version;
      else if (!same(state.live.source, source)) {
        version = (await saveDraft(tx, ref, { body: { source } as Prisma.InputJsonValue, authorId: input.operatorId, at: now })).version;
      }
      if (!input.publish || version === null) continue;
      await publish(tx, ref, version, now);
      await audit(tx, { clinicId: input.clinicId, operatorId: input.operatorId, action: "text.publish", target: ref.key, details: { version }, at: now });
      changedLive = true;
    }
    if (changedLive) await markClinicContentChanged(tx, input.clinicId, now);
    return textDetail(deps, input.clinicId, input.key, tx);
  });
  return { status: "ok", detail };
}

/** Publishes an older version again (as a new one), or with version 0 goes back to the shipped file. */
export async function rollBackText(
  deps: Pick<OperatorConsoleDeps, "clock" | "db" | "flows">,
  input: { clinicId: number; operatorId: number; key: string; locale: TemplateLocale; version: number },
): Promise<TextResult | { status: "no-version" }> {
  if (!isKnownText(deps, input.key)) return { status: "unknown" };
  const ref = refOf(input.clinicId, input.key, input.locale);
  const now = deps.clock.now();
  const detail = await deps.db.transaction(async (tx) => {
    if (input.version !== 0 && !(await versionOf(tx, ref, input.version))) return null;
    const from = (await published(tx, ref))?.version ?? 0;
    const result = await rollBack(tx, ref, input.version, { authorId: input.operatorId, at: now });
    await audit(tx, { clinicId: input.clinicId, operatorId: input.operatorId, action: "text.rollback", target: ref.key, details: { from, to: input.version, version: result?.version ?? 0 }, at: now });
    await markClinicContentChanged(tx, input.clinicId, now);
    return textDetail(deps, input.clinicId, input.key, tx);
  });
  return detail ? { status: "ok", detail } : { status: "no-version" };
}
