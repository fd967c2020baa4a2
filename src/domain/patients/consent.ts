import type { Tx } from "../../db/client.ts";

/** The patient asked to receive nothing more; only the confirmation of this is still sent. */
export async function optOut(tx: Tx, patientId: number, source: string, now: Date): Promise<void> {
  await tx.patient.update({ where: { id: patientId }, data: { optedOutAt: now, optOutSource: source } });
}

export async function optIn(tx: Tx, patientId: number, source: string, now: Date): Promise<void> {
  await tx.patient.update({ where: { id: patientId }, data: { optedOutAt: null, optOutSource: null, consentAt: now, consentSource: source } });
}
