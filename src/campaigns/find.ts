import type { Db } from "../db/client.ts";
import { parseClinicSettings } from "../domain/clinic/settings.ts";
import type { Campaign, ClinicSettings } from "../domain/clinic/settings.ts";
import type { Segment } from "../domain/segments/schema.ts";

/** A campaign id the clinic's settings do not declare. */
export class UnknownCampaign extends Error {
  override name = "UnknownCampaign";
  constructor(
    readonly campaignId: string,
    readonly known: string[],
  ) {
    super(`no campaign "${campaignId}" in the clinic's settings (campaigns: ${known.length > 0 ? known.join(", ") : "none declared"})`);
  }
}

/** The clinic's settings document does not validate: each problem as `field.path: what`. */
export class InvalidSettings extends Error {
  override name = "InvalidSettings";
  constructor(readonly problems: string[]) {
    super(`the clinic's settings are invalid: ${problems.join("; ")}`);
  }
}

export interface ClinicCampaign {
  clinic: { id: number; name: string; timezone: string };
  campaign: Campaign;
  segment: Segment;
}

/** "segments.0.ageMin: must be …" for each problem of a settings document. */
export function settingsProblems(raw: unknown): string[] {
  try {
    parseClinicSettings(raw);
    return [];
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (!issues) throw error;
    return issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "settings"}: ${i.message}`);
  }
}

export function clinicSettingsOf(raw: unknown): ClinicSettings {
  const problems = settingsProblems(raw);
  if (problems.length > 0) throw new InvalidSettings(problems);
  return parseClinicSettings(raw);
}

/** The campaign `campaignId` of the clinic, with its segment; throws UnknownCampaign or InvalidSettings. */
export async function findCampaign(db: Pick<Db, "clinic">, clinicId: number, campaignId: string): Promise<ClinicCampaign> {
  const clinic = await db.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { id: true, name: true, timezone: true, settings: true } });
  const settings = clinicSettingsOf(clinic.settings);
  const campaign = settings.campaigns.find((c) => c.id === campaignId);
  if (!campaign) throw new UnknownCampaign(campaignId, settings.campaigns.map((c) => c.id));
  // The settings schema refuses a campaign whose segment is not declared.
  const segment = settings.segments.find((s) => s.id === campaign.segment)!;
  return { clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone }, campaign, segment };
}
