// Reading and saving the clinic's profile: name and time zone on the clinic row, the rest in the
// settings document, written together in one compare-and-set on the row's updatedAt (the same
// version the settings page uses, so neither page overwrites the other's newer save unseen).
import type { Database, Prisma } from "../../db/client.ts";
import { parseClinicSettings } from "../../domain/clinic/settings.ts";
import type { ClinicProfile } from "../../domain/clinic/profile.ts";
import { checkSettingsDocument } from "../../domain/clinic/settings-document.ts";
import { settingsChecks } from "../settings/checks.ts";
import { audit } from "../audit.ts";

export interface StoredProfile {
  version: string;
  profile: ClinicProfile;
}

export async function loadProfile(db: Database, clinicId: number): Promise<StoredProfile> {
  const row = await db.prisma.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { name: true, timezone: true, settings: true, updatedAt: true } });
  return { version: row.updatedAt.toISOString(), profile: profileOf(row) };
}

export type SaveProfileResult =
  | { status: "saved"; version: string; changed: string[] }
  | { status: "stale"; version: string }
  /** The settings document stored beside it does not validate: the settings page has to fix it first. */
  | { status: "settings-invalid" };

const FIELDS = ["name", "timezone", "address", "phone", "reviewLinks", "calendar"] as const;

export async function saveProfile(
  db: Database,
  input: { clinicId: number; version: string; profile: ClinicProfile; by: { operatorId: number }; now: Date },
): Promise<SaveProfileResult> {
  return db.transaction(async (tx): Promise<SaveProfileResult> => {
    const row = await tx.clinic.findUniqueOrThrow({ where: { id: input.clinicId }, select: { name: true, timezone: true, settings: true, updatedAt: true } });
    const current = row.updatedAt.toISOString();
    if (input.version !== current) return { status: "stale", version: current };
    const stored = (row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? row.settings : {}) as Record<string, unknown>;
    const { reviewUrl: _moved, ...rest } = stored;
    const p = input.profile;
    const checked = checkSettingsDocument({ ...rest, address: p.address, phone: p.phone, reviewLinks: p.reviewLinks, calendar: p.calendar }, settingsChecks);
    if (!checked.ok) return { status: "settings-invalid" };
    const before = profileOf(row);
    const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(p[f]));
    if (changed.length === 0) return { status: "saved", version: current, changed };
    const updatedAt = new Date(Math.max(input.now.getTime(), row.updatedAt.getTime() + 1));
    const written = await tx.clinic.updateMany({
      where: { id: input.clinicId, updatedAt: row.updatedAt },
      data: { name: p.name, timezone: p.timezone, settings: checked.settings as Prisma.InputJsonValue, updatedAt },
    });
    if (written.count === 0) {
      const now = await tx.clinic.findUniqueOrThrow({ where: { id: input.clinicId }, select: { updatedAt: true } });
      return { status: "stale", version: now.updatedAt.toISOString() };
    }
    await audit(tx, { clinicId: input.clinicId, operatorId: input.by.operatorId, action: "clinic.update", target: `clinic:${input.clinicId}`, details: { fields: changed }, at: input.now });
    return { status: "saved", version: updatedAt.toISOString(), changed };
  });
}

function profileOf(row: { name: string; timezone: string; settings: unknown }): ClinicProfile {
  const settings = parseClinicSettings(row.settings);
  // A document from before review links shows its single review address as the first link.
  const reviewLinks = settings.reviewLinks.length > 0 ? settings.reviewLinks : settings.reviewUrl ? [{ label: "Отзывы", url: settings.reviewUrl }] : [];
  return { name: row.name, timezone: row.timezone, address: settings.address, phone: settings.phone, reviewLinks, calendar: settings.calendar };
}
