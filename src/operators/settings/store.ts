// Reading and saving the clinic's settings document as one unit, for the console and the CLI.
// The version is the clinic row's updatedAt: a save names the version it was edited from and is
// refused when the row moved on since (optimistic concurrency, no lock held while a person edits).
import type { Prisma } from "../../db/client.ts";
import type { Database } from "../../db/client.ts";
import { checkSettingsDocument } from "../../domain/clinic/settings-document.ts";
import { settingsChecks } from "./checks.ts";
import type { SettingsProblem } from "../../domain/clinic/settings-document.ts";
import type { ClinicSettings } from "../../domain/clinic/settings.ts";
import { DEFAULT_LANG } from "../../i18n/lang.ts";
import type { Lang } from "../../i18n/lang.ts";
import { audit } from "../audit.ts";
import { cannedReplyProblems } from "../console/canned-replies.ts";
import { changedSections } from "./changed-sections.ts";

export interface StoredSettings {
  version: string;
  /** The parsed document with defaults filled in; the stored one as it is when it does not validate. */
  settings: ClinicSettings | Record<string, unknown>;
  /** What is wrong with the stored document (empty when it validates), so the editor can show it. */
  problems: SettingsProblem[];
}

/** The stored document and, in `lang`, what is wrong with it. */
export async function loadSettings(db: Database, clinicId: number, lang: Lang = DEFAULT_LANG): Promise<StoredSettings> {
  const row = await db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { settings: true, updatedAt: true } });
  const checked = checkSettingsDocument(row.settings ?? {}, settingsChecks, lang);
  return checked.ok
    ? { version: row.updatedAt.toISOString(), settings: checked.settings, problems: [] }
    : { version: row.updatedAt.toISOString(), settings: asObject(row.settings), problems: checked.problems };
}

export interface SaveSettingsInput {
  clinicId: number;
  /** The version the document was edited from; null saves over whatever is stored (the CLI's import). */
  version: string | null;
  document: unknown;
  /** Who saves: an operator of the console, or the command line (operatorId null). */
  by: { operatorId: number | null; via: "console" | "cli" };
  now: Date;
  /** Check and compare, write nothing. */
  dryRun?: boolean;
  /** The language problems are explained in (the console's, the CLI's); Russian by default. */
  lang?: Lang;
}

export type SaveSettingsResult =
  /** written: false for a dry run and for a document equal to the stored one. */
  | { status: "saved"; version: string; settings: ClinicSettings; sections: string[]; written: boolean }
  | { status: "invalid"; problems: SettingsProblem[] }
  | { status: "stale"; version: string };

/**
 * Validates the whole document and saves it in one compare-and-set, auditing which top-level
 * sections changed. An unchanged document is not written (its version stays, no audit row).
 */
export async function saveSettings(db: Database, input: SaveSettingsInput): Promise<SaveSettingsResult> {
  const lang = input.lang ?? DEFAULT_LANG;
  const checked = checkSettingsDocument(input.document, settingsChecks, lang);
  if (!checked.ok) return { status: "invalid", problems: checked.problems };
  const settings = checked.settings;
  // Only when saving: a stored document keeps loading, whatever its replies render to.
  const canned = cannedReplyProblems(settings, lang);
  if (canned.length > 0) return { status: "invalid", problems: canned };
  return db.transaction(async (tx): Promise<SaveSettingsResult> => {
    const row = await tx.clinic.findUniqueOrThrow({ where: { id: input.clinicId }, select: { settings: true, updatedAt: true } });
    const current = row.updatedAt.toISOString();
    if (input.version !== null && input.version !== current) return { status: "stale", version: current };
    const sections = changedSections(asObject(row.settings), settings);
    if (sections.length === 0 || input.dryRun) return { status: "saved", version: current, settings, sections, written: false };
    // Strictly later than the version it replaces, even on a clock that stands still (tests, --at).
    const updatedAt = new Date(Math.max(input.now.getTime(), row.updatedAt.getTime() + 1));
    const written = await tx.clinic.updateMany({
      where: { id: input.clinicId, updatedAt: row.updatedAt },
      data: { settings: settings as Prisma.InputJsonValue, updatedAt },
    });
    // Another save landed between the read and this write.
    if (written.count === 0) {
      const now = await tx.clinic.findUniqueOrThrow({ where: { id: input.clinicId }, select: { updatedAt: true } });
      return { status: "stale", version: now.updatedAt.toISOString() };
    }
    await audit(tx, {
      clinicId: input.clinicId,
      operatorId: input.by.operatorId,
      action: "settings.update",
      target: `clinic:${input.clinicId}`,
      details: { via: input.by.via, sections },
      at: input.now,
    });
    return { status: "saved", version: updatedAt.toISOString(), settings, sections, written: true };
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
