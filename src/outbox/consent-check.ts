import type { Database, MessageCategory } from "../db/client.ts";
import { currentConsents } from "../domain/consents/current.ts";
import { whyNotSend, whyNotWriteAtAll } from "../domain/consents/sending-rules.ts";
import type { ConsentsInForce } from "../domain/consents/sending-rules.ts";

/**
 * Why the dispatcher must not send this patient a message of this category, read at send time
 * (a consent withdrawn a moment ago counts for the next message), or null when it may go.
 */
export async function consentRefusal(db: Database, patientId: number, category: MessageCategory, optedOut: boolean): Promise<string | null> {
  if (category === "reply") return null;
  return whyNotSend(category, await currentConsents(db.prisma, patientId), optedOut);
}

/**
 * Why a message must not go into this chat now, or null. A message about the chat's own patient
 * follows their consents. One about their ward (a child's birthday greeting in the mother's chat)
 * follows the ward's consents, as the guardian gave them, and the guardian's «стоп» or withdrawn
 * personal-data consent still silences their chat.
 */
export async function chatRefusal(
  db: Database,
  row: { patientId: number | null; category: MessageCategory },
  chatPatient: { id: number; optedOutAt: Date | null; consents: ConsentsInForce },
): Promise<string | null> {
  if (row.category === "reply") return null;
  if (row.patientId === null || row.patientId === chatPatient.id) return whyNotSend(row.category, chatPatient.consents, chatPatient.optedOutAt !== null);
  const silenced = whyNotWriteAtAll(chatPatient.consents, chatPatient.optedOutAt !== null);
  if (silenced) return silenced;
  const ward = await db.prisma.patient.findUnique({ where: { id: row.patientId }, select: { optedOutAt: true } });
  return consentRefusal(db, row.patientId, row.category, ward?.optedOutAt != null);
}
