import type { Tx } from "../../db/client.ts";
import { normalizePhone } from "./phone.ts";

/**
 * Links a chat to the clinic's patient with this phone number. Returns the patient, or null when
 * the number is not valid or belongs to no patient (an administrator then links by hand).
 */
export async function linkByPhone(tx: Tx, clinicId: number, identityId: number, rawPhone: string, now: Date) {
  const phone = normalizePhone(rawPhone);
  if (!phone) return null;
  await tx.channelIdentity.update({ where: { id: identityId }, data: { phone } });
  const patient = await tx.patient.findFirst({ where: { clinicId, phone }, orderBy: { id: "asc" } });
  if (!patient) return null;
  await tx.channelIdentity.update({ where: { id: identityId }, data: { patientId: patient.id, linkedAt: now } });
  return patient;
}
