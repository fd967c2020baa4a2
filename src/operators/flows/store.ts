// The clinic's flow versions as the console edits them: every save is a draft version (author,
// time), publishing makes one the version NEW conversations start on, a rollback publishes an
// older body again. Versions live in ContentVersion (kind "flow", key = flow id); publishing and
// rolling back touch the clinic row, whose updatedAt keys the per-clinic flow catalog (the same
// policy as the clinic's settings), so the next message already starts on the new version.
import type { Database, Prisma, Tx } from "../../db/client.ts";
import { history, publish, rollBack, saveDraft, versionOf } from "../../domain/content/versions.ts";
import type { ContentRef, ContentVersionRow } from "../../domain/content/versions.ts";
import { parseFlowVersion } from "../../flows/clinic-catalog.ts";
import type { FlowDefinition } from "../../flows/definition/schema.ts";
import type { FlowCatalog } from "../../flows/loader/catalog.ts";
import { templateKeysOf } from "../../flows/loader/validate-flow.ts";
import { textsForFlow } from "../../flows/templates/flow-texts.ts";
import { sampleView } from "../../flows/templates/index.ts";
import { audit } from "../audit.ts";
import { checkFlowDraft } from "./check-draft.ts";
import type { DraftProblem } from "./check-draft.ts";

const ref = (clinicId: number, flowId: string): ContentRef => ({ clinicId, kind: "flow", key: flowId });

export interface VersionSummary {
  version: number;
  status: "draft" | "published" | "retired";
  author: string | null;
  note: string | null;
  createdAt: string;
  publishedAt: string | null;
  /** Conversations still running on it (they finish on the version they started). */
  running: number;
}

export interface FlowSummary {
  id: string;
  description: string;
  enabled: boolean;
  /** The published version's number; 0 = the shipped file. */
  published: number;
  drafts: number;
  running: number;
}

/** Running conversations of a flow, by the version they started on (0 = the shipped file). */
async function runningByVersion(tx: Tx, clinicId: number, flowId: string, rows: ContentVersionRow[]): Promise<Map<number, number>> {
  const groups = await tx.conversation.groupBy({
    by: ["contentVersionId"],
    where: { clinicId, flowId, status: { in: ["bot", "operator"] } },
    _count: { _all: true },
  });
  const numberOf = new Map(rows.map((r) => [r.id, r.version]));
  const counts = new Map<number, number>();
  for (const g of groups) {
    const version = g.contentVersionId === null ? 0 : (numberOf.get(g.contentVersionId) ?? 0);
    counts.set(version, (counts.get(version) ?? 0) + g._count._all);
  }
  return counts;
}

export async function listFlows(db: Database, clinicId: number, files: FlowCatalog): Promise<FlowSummary[]> {
  const rows = await db.prisma.contentVersion.findMany({ where: { clinicId, kind: "flow" }, select: { key: true, version: true, status: true, body: true } });
  const running = await db.prisma.conversation.groupBy({ by: ["flowId"], where: { clinicId, status: { in: ["bot", "operator"] } }, _count: { _all: true } });
  return [...files.flows.values()]
    .map(({ def }) => {
      const own = rows.filter((r) => r.key === def.id);
      const live = own.find((r) => r.status === "published");
      const enabled = live ? (live.body as { enabled?: boolean }).enabled !== false : def.enabled !== false;
      return {
        id: def.id,
        description: live ? String((live.body as { description?: string }).description ?? def.description) : def.description,
        enabled,
        published: live?.version ?? 0,
        drafts: own.filter((r) => r.status === "draft").length,
        running: running.find((r) => r.flowId === def.id)?._count._all ?? 0,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export interface FlowDetail {
  id: string;
  /** What new conversations start on now: the published version, or the shipped file. */
  current: { version: number; definition: FlowDefinition };
  /** What the editor starts from: the newest draft when it is newer than the live version, else the live one. */
  editing: { version: number; definition: FlowDefinition };
  file: FlowDefinition;
  versions: VersionSummary[];
  /** Conversations running on the shipped file (version 0). */
  runningOnFile: number;
  /** The texts the flow's template keys have in templates/ (ru, en), for the editor to start from. */
  templateTexts: Record<string, { ru: string; en: string }>;
  /** Every state name, for the editor's lists. */
  states: string[];
  /** The current version's texts as a patient would read them (a sample patient), for the diagram. */
  sampleTexts: Record<string, { ru: string; en: string }>;
}

/** Texts rendered for a sample patient; a text that does not render shows as written. */
export function sampleTextsOf(def: FlowDefinition, files: FlowCatalog): Record<string, { ru: string; en: string }> {
  const store = textsForFlow(def, files.templates);
  const result = Object.assign({}, ...Object.values(files.registry.actions).map((a) => a.sampleResult ?? {}));
  const out: Record<string, { ru: string; en: string }> = {};
  for (const key of templateKeysOf(def, files.registry)) {
    const render = (locale: "ru" | "en") => {
      try {
        return store.render(key, sampleView({ locale, context: def.context, result }));
      } catch {
        return store.template(key, locale)?.source ?? key;
      }
    };
    out[key] = { ru: render("ru"), en: render("en") };
  }
  return out;
}

export async function flowDetail(db: Database, clinicId: number, flowId: string, files: FlowCatalog): Promise<FlowDetail | null> {
  const file = files.flows.get(flowId);
  if (!file) return null;
  return db.transaction(async (tx) => {
    const rows = await history(tx, ref(clinicId, flowId));
    const authors = await tx.operator.findMany({ where: { id: { in: rows.flatMap((r) => (r.authorId === null ? [] : [r.authorId])) } }, select: { id: true, displayName: true } });
    const running = await runningByVersion(tx, clinicId, flowId, rows);
    const live = rows.find((r) => r.status === "published");
    const liveDef = live ? parseFlowVersion(live.body, files, flowId) : null;
    const current = live && liveDef && "def" in liveDef ? { version: live.version, definition: liveDef.def } : { version: 0, definition: file.def };
    const newest = rows[0];
    const newestDef = newest && newest.status === "draft" && newest.version > current.version ? parseFlowVersion(newest.body, files, flowId) : null;
    const editing = newest && newestDef && "def" in newestDef ? { version: newest.version, definition: newestDef.def } : current;
    const templateTexts: Record<string, { ru: string; en: string }> = {};
    for (const key of files.templates.keys("ru")) {
      templateTexts[key] = { ru: files.templates.template(key, "ru")?.source.trimEnd() ?? "", en: files.templates.template(key, "en")?.source.trimEnd() ?? "" };
    }
    return {
      id: flowId,
      current,
      editing,
      file: file.def,
      versions: rows.map((r) => ({
        version: r.version,
        status: r.status,
        author: authors.find((a) => a.id === r.authorId)?.displayName ?? null,
        note: r.note,
        createdAt: r.createdAt.toISOString(),
        publishedAt: r.publishedAt?.toISOString() ?? null,
        running: running.get(r.version) ?? 0,
      })),
      runningOnFile: running.get(0) ?? 0,
      templateTexts,
      states: Object.keys(current.definition.states),
      sampleTexts: sampleTextsOf(editing.definition, files),
    };
  });
}

export type SaveDraftResult = { status: "saved"; version: number } | { status: "invalid"; problems: DraftProblem[] };

/** Checks a whole definition like `carebot flows validate` and saves it as the next draft. */
export async function saveFlowDraft(
  db: Database,
  input: { clinicId: number; flowId: string; definition: unknown; operatorId: number; note?: string | null; now: Date; files: FlowCatalog },
): Promise<SaveDraftResult> {
  const checked = checkFlowDraft(input.definition, input.flowId, input.files);
  if (!checked.ok) return { status: "invalid", problems: checked.problems };
  return db.transaction(async (tx) => {
    const row = await saveDraft(tx, ref(input.clinicId, input.flowId), { body: checked.definition as unknown as Prisma.InputJsonValue, authorId: input.operatorId, note: input.note ?? null, at: input.now });
    await audit(tx, { clinicId: input.clinicId, operatorId: input.operatorId, action: "flow.draft", target: `flow:${input.flowId}`, details: { version: row.version }, at: input.now });
    return { status: "saved" as const, version: row.version };
  });
}

/** Moves the clinic row's updatedAt on: the per-clinic flow catalog is keyed by it. */
async function touchClinic(tx: Tx, clinicId: number, now: Date): Promise<void> {
  const row = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { updatedAt: true } });
  await tx.clinic.update({ where: { id: clinicId }, data: { updatedAt: new Date(Math.max(now.getTime(), row.updatedAt.getTime() + 1)) } });
}

export type VersionActionResult = { status: "done"; published: number } | { status: "missing" } | { status: "invalid"; problems: DraftProblem[] };

export async function publishFlowVersion(
  db: Database,
  input: { clinicId: number; flowId: string; version: number; operatorId: number; now: Date; files: FlowCatalog },
): Promise<VersionActionResult> {
  return db.transaction(async (tx) => {
    const row = await versionOf(tx, ref(input.clinicId, input.flowId), input.version);
    if (!row) return { status: "missing" as const };
    // Templates may have changed since it was saved: what is published must load now.
    const checked = checkFlowDraft(row.body, input.flowId, input.files);
    if (!checked.ok) return { status: "invalid" as const, problems: checked.problems };
    await publish(tx, ref(input.clinicId, input.flowId), input.version, input.now);
    await touchClinic(tx, input.clinicId, input.now);
    await audit(tx, { clinicId: input.clinicId, operatorId: input.operatorId, action: "flow.publish", target: `flow:${input.flowId}`, details: { version: input.version }, at: input.now });
    return { status: "done" as const, published: input.version };
  });
}

/** Publishes an older version again as a new one; version 0 goes back to the shipped file. */
export async function rollBackFlow(
  db: Database,
  input: { clinicId: number; flowId: string; version: number; operatorId: number; now: Date; files: FlowCatalog },
): Promise<VersionActionResult> {
  return db.transaction(async (tx) => {
    if (input.version !== 0) {
      const row = await versionOf(tx, ref(input.clinicId, input.flowId), input.version);
      if (!row) return { status: "missing" as const };
      const checked = checkFlowDraft(row.body, input.flowId, input.files);
      if (!checked.ok) return { status: "invalid" as const, problems: checked.problems };
    }
    const copy = await rollBack(tx, ref(input.clinicId, input.flowId), input.version, { authorId: input.operatorId, at: input.now });
    await touchClinic(tx, input.clinicId, input.now);
    await audit(tx, { clinicId: input.clinicId, operatorId: input.operatorId, action: "flow.rollback", target: `flow:${input.flowId}`, details: { to: input.version, published: copy?.version ?? 0 }, at: input.now });
    return { status: "done" as const, published: copy?.version ?? 0 };
  });
}

/** One version's definition (0 = the shipped file), for comparing and for the preview of a draft. */
export async function flowVersionDefinition(db: Database, clinicId: number, flowId: string, version: number, files: FlowCatalog): Promise<{ row: ContentVersionRow | null; def: FlowDefinition } | null> {
  const file = files.flows.get(flowId);
  if (!file) return null;
  if (version === 0) return { row: null, def: file.def };
  const row = await db.transaction((tx) => versionOf(tx, ref(clinicId, flowId), version));
  if (!row) return null;
  const read = parseFlowVersion(row.body, files, flowId);
  return "def" in read ? { row, def: read.def } : null;
}
