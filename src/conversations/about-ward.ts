// A conversation in a guardian's chat may be about their ward (a child's visit reminder): its
// steps then act for the ward (their appointment, their consents) and speak to the guardian.
import type { Tx } from "../db/client.ts";
import type { ChatTarget } from "../flows/runtime/facts.ts";
import { isGuardianOf } from "../domain/families/guardians.ts";

/**
 * The target about `patientId` when that is a ward of the chat's patient; otherwise the chat's
 * own target unchanged (a conversation about anyone else is never continued as theirs).
 */
export async function aboutWard(tx: Tx, target: ChatTarget, patientId: number | null): Promise<ChatTarget> {
  const guardian = target.patient;
  if (patientId === null || !guardian || patientId === guardian.id) return target;
  if (!(await isGuardianOf(tx, guardian.id, patientId))) return target;
  const ward = await tx.patient.findUnique({ where: { id: patientId }, select: { id: true, fullName: true, firstName: true, locale: true, timezone: true, optedOutAt: true } });
  if (!ward) return target;
  // The guardian reads the messages: their language; the ward's own time zone if the MIS gave one.
  return { ...target, patient: { ...ward, locale: guardian.locale ?? ward.locale, timezone: ward.timezone ?? guardian.timezone }, guardian: { id: guardian.id, fullName: guardian.fullName, firstName: guardian.firstName ?? null } };
}
