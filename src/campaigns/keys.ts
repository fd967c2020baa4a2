/** The outbox key of a campaign's message to one patient: a campaign writes to a patient once. */
export const campaignKey = (campaignId: string, patientId: number) => `campaign:${campaignId}:${patientId}`;

/** The `triggers.scheduled` kind a flow declares to be started by campaigns. */
export const CAMPAIGN_TRIGGER = "campaign";

/** The context a campaign's flow starts with. */
export interface CampaignContext {
  campaignId: string;
  /** The offer's text, or null when the campaign makes none. */
  offerText: string | null;
  /** The offer's text in English (for patients who read English), or null: they get offerText. */
  offerTextEn: string | null;
  /** Points the campaign gives each patient it reaches (granted by the flow when it starts), or null. */
  offerPoints: number | null;
  /** How many days those points stay valid; null: as long as any credit. */
  offerValidDays: number | null;
}
