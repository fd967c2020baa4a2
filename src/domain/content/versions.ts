// A clinic's own versions of what CareBot ships as files: flows (key = flow id) and texts
// (key = "<template key>:<locale>"). Every save is a new draft version with its author and time;
// publishing makes one version the clinic's live one (the previous goes to `retired`); a rollback
// publishes a copy of an older body as a new version, so the history only grows and says who did
// what. The shipped file is "version 0": a key with nothing published runs the file.
import type { Prisma, Tx } from "../../db/client.ts";
import type { ContentKind, ContentVersionStatus } from "../../db/client.ts";

export interface ContentVersionRow {
  id: number;
  clinicId: number;
  kind: ContentKind;
  key: string;
  version: number;
  body: unknown;
  status: ContentVersionStatus;
  authorId: number | null;
  note: string | null;
  createdAt: Date;
  publishedAt: Date | null;
}

export interface ContentRef {
  clinicId: number;
  kind: ContentKind;
  key: string;
}

export class ContentVersionError extends Error {
  override name = "ContentVersionError";
}

const refWhere = (ref: ContentRef) => ({ clinicId: ref.clinicId, kind: ref.kind, key: ref.key });

/** Saves `body` as the next version (a draft). Run inside db.transaction: the number is max + 1. */
export async function saveDraft(
  tx: Tx,
  ref: ContentRef,
  input: { body: Prisma.InputJsonValue; authorId: number | null; note?: string | null; at: Date },
): Promise<ContentVersionRow> {
  const last = await tx.contentVersion.findFirst({ where: refWhere(ref), orderBy: { version: "desc" }, select: { version: true } });
  return tx.contentVersion.create({
    data: { ...refWhere(ref), version: (last?.version ?? 0) + 1, body: input.body, status: "draft", authorId: input.authorId, note: input.note ?? null, createdAt: input.at },
  });
}

/** Makes `version` the published one; the one published before is retired. */
export async function publish(tx: Tx, ref: ContentRef, version: number, at: Date): Promise<ContentVersionRow> {
  const target = await tx.contentVersion.findFirst({ where: { ...refWhere(ref), version } });
  if (!target) throw new ContentVersionError(`version ${version} of ${ref.kind} "${ref.key}" does not exist`);
  await tx.contentVersion.updateMany({ where: { ...refWhere(ref), status: "published", NOT: { id: target.id } }, data: { status: "retired" } });
  return tx.contentVersion.update({ where: { id: target.id }, data: { status: "published", publishedAt: at } });
}

/**
 * Goes back to an older version: its body is saved as a new version and published. `version` 0
 * means the shipped file: the published version is retired and nothing replaces it.
 */
export async function rollBack(
  tx: Tx,
  ref: ContentRef,
  version: number,
  input: { authorId: number | null; at: Date },
): Promise<ContentVersionRow | null> {
  if (version === 0) {
    await tx.contentVersion.updateMany({ where: { ...refWhere(ref), status: "published" }, data: { status: "retired" } });
    return null;
  }
  const old = await tx.contentVersion.findFirst({ where: { ...refWhere(ref), version } });
  if (!old) throw new ContentVersionError(`version ${version} of ${ref.kind} "${ref.key}" does not exist`);
  const copy = await saveDraft(tx, ref, { body: old.body as Prisma.InputJsonValue, authorId: input.authorId, note: `rollback to ${version}`, at: input.at });
  return publish(tx, ref, copy.version, input.at);
}

/** The published version of one key, or null when the clinic runs the shipped file. */
export function published(tx: Tx, ref: ContentRef): Promise<ContentVersionRow | null> {
  return tx.contentVersion.findFirst({ where: { ...refWhere(ref), status: "published" } });
}

/** Every published version of one kind for a clinic (what wins over the files), by key. */
export async function publishedOfKind(tx: Tx, clinicId: number, kind: ContentKind): Promise<Map<string, ContentVersionRow>> {
  const rows = await tx.contentVersion.findMany({ where: { clinicId, kind, status: "published" } });
  return new Map(rows.map((row) => [row.key, row]));
}

/** The history of one key, newest first. */
export function history(tx: Tx, ref: ContentRef): Promise<ContentVersionRow[]> {
  return tx.contentVersion.findMany({ where: refWhere(ref), orderBy: { version: "desc" } });
}

/** One version of one key (to preview a draft or compare two). */
export function versionOf(tx: Tx, ref: ContentRef, version: number): Promise<ContentVersionRow | null> {
  return tx.contentVersion.findFirst({ where: { ...refWhere(ref), version } });
}
