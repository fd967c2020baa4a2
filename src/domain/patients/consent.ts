import type { Tx } from "../../db/client.ts";
import { recordConsent } from "../consents/record.ts";

/**
 * «Стоп»: the patient asked to receive nothing more (only the confirmation of this is still
 * sent). Patient.optedOutAt keeps meaning "nothing of CareBot's own initiative"; the consent
 * records show it too, as care messages and advertising withdrawn.
 */
export async function optOut(tx: Tx, patientId: number, source: string, now: Date): Promise<void> {
  const patient = await tx.patient.update({ where: { id: patientId }, data: { optedOutAt: now, optOutSource: source }, select: { clinicId: true } });
  for (const kind of ["care_messages", "advertising"] as const) {
    await recordConsent(tx, { clinicId: patient.clinicId, patientId, kind, granted: false, at: now, source: "chat", textVersion: "chat:opt-out", note: `stop (${source})` });
  }
}

/** The patient wants messages about their care again; advertising stays as it is (it is asked for apart). */
export async function optIn(tx: Tx, patientId: number, source: string, now: Date): Promise<void> {
  const patient = await tx.patient.update({ where: { id: patientId }, data: { optedOutAt: null, optOutSource: null, consentAt: now, consentSource: source }, select: { clinicId: true } });
  await recordConsent(tx, { clinicId: patient.clinicId, patientId, kind: "care_messages", granted: true, at: now, source: "chat", textVersion: "chat:opt-in", note: source });
}
