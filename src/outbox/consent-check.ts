import type { Database, MessageCategory } from "../db/client.ts";
import { currentConsents } from "../domain/consents/current.ts";
import { whyNotSend } from "../domain/consents/sending-rules.ts";

/**
 * Why the dispatcher must not send this patient a message of this category, read at send time
 * (a consent withdrawn a moment ago counts for the next message), or null when it may go.
 */
export async function consentRefusal(db: Database, patientId: number, category: MessageCategory, optedOut: boolean): Promise<string | null> {
  if (category === "reply") return null;
  return whyNotSend(category, await currentConsents(db.prisma, patientId), optedOut);
}
