import type { ConsentKind } from "./kinds.ts";

/**
 * Whether each kind's consent in force was given (null: none in force). The medical-information
 * consent does not decide whether a message goes, only whether it may name a procedure
 * (medical.ts), so readers that only send may leave it out.
 */
export type ConsentsInForce = Record<Exclude<ConsentKind, "medical">, { granted: boolean } | null> & { medical?: { granted: boolean } | null };

/** The outbox's categories (prisma MessageCategory). */
export type MessageCategory = "reply" | "care" | "transactional" | "marketing";

/** Why a message is not sent, as the outbox row's lastError: results count the rows by it. */
export const SKIP_REASONS = {
  optedOut: "the patient opted out",
  personalDataWithdrawn: "the patient withdrew the personal-data consent",
  careDeclined: "the patient declined care messages",
  noAdvertisingConsent: "no advertising consent",
} as const;

/**
 * Whether a message of this category may go to the patient now, or why not (docs/consents.md):
 * - a reply to the patient's own message always goes;
 * - «стоп» (optedOut) or a withdrawn personal-data consent stop everything else;
 * - care and service messages (the patient's own visits, reminders, check-ins, bonus account) are
 *   not advertising and need no consent of their own, but a patient who declined them gets none;
 * - marketing needs an advertising consent in force (38-FZ art. 18: prior, separate, provable).
 */
export function whyNotSend(category: MessageCategory, consents: ConsentsInForce, optedOut: boolean): string | null {
  if (category === "reply") return null;
  const silenced = whyNotWriteAtAll(consents, optedOut);
  if (silenced) return silenced;
  if (category === "marketing") return consents.advertising?.granted === true ? null : SKIP_REASONS.noAdvertisingConsent;
  if (consents.care_messages?.granted === false) return SKIP_REASONS.careDeclined;
  return null;
}

/**
 * Why nothing of CareBot's own initiative may go to this person's chat at all: «стоп», or the
 * personal-data consent withdrawn. What a guardian's own rules decide about a message in their
 * chat about their ward; the ward's consents decide the rest (docs/consents.md, «Given by a guardian»).
 */
export function whyNotWriteAtAll(consents: Pick<ConsentsInForce, "personal_data">, optedOut: boolean): string | null {
  if (optedOut) return SKIP_REASONS.optedOut;
  if (consents.personal_data?.granted === false) return SKIP_REASONS.personalDataWithdrawn;
  return null;
}
