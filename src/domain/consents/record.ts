import type { Tx } from "../../db/client.ts";
import type { ConsentKind, ConsentSource } from "./kinds.ts";

export interface ConsentChange {
  clinicId: number;
  patientId: number;
  kind: ConsentKind;
  granted: boolean;
  /** When the patient gave or withdrew it (a paper form's date may be long ago). */
  at: Date;
  source: ConsentSource;
  textVersion: string;
  note?: string | null;
  /** The guardian who gave or withdrew it for the patient (a parent for a child). */
  guardianId?: number | null;
}

/**
 * Records a consent given or withdrawn as a new row (rows are never edited: they are the proof).
 * The latest by `at` is in force: a change older than the one in force (a paper form imported
 * late) joins the history without replacing it. A replaced row's supersededAt is the time of the
 * change in force after it. Recording a change already recorded (the MIS posting the patient
 * again) adds nothing.
 */
export async function recordConsent(tx: Tx, change: ConsentChange): Promise<{ inForce: boolean }> {
  // Takes the patient's row lock first (PostgreSQL): two changes of one patient never both stay in force.
  await tx.patient.update({ where: { id: change.patientId }, data: { clinicId: change.clinicId }, select: { id: true } });
  const same = await tx.consent.findFirst({
    where: { patientId: change.patientId, kind: change.kind, granted: change.granted, at: change.at, source: change.source, textVersion: change.textVersion },
    select: { supersededAt: true },
  });
  if (same) return { inForce: same.supersededAt === null };
  const current = await tx.consent.findFirst({
    where: { patientId: change.patientId, kind: change.kind, supersededAt: null },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true },
  });
  const inForce = !current || current.at.getTime() <= change.at.getTime();
  if (current && inForce) await tx.consent.updateMany({ where: { patientId: change.patientId, kind: change.kind, supersededAt: null }, data: { supersededAt: change.at } });
  await tx.consent.create({
    data: {
      clinicId: change.clinicId,
      patientId: change.patientId,
      kind: change.kind,
      granted: change.granted,
      at: change.at,
      source: change.source,
      textVersion: change.textVersion,
      note: change.note ?? null,
      guardianId: change.guardianId ?? null,
      supersededAt: inForce ? null : current!.at,
    },
  });
  return { inForce };
}
