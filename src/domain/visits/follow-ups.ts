import type { Tx } from "../../db/client.ts";

export interface RecommendedFollowUp {
  dueAt: Date;
  service: string;
  doctor?: string | null;
}

/**
 * Records the next visit a doctor recommended at a visit: one row per (visit, service). A row
 * already booked, done or dismissed is left as it is; an open one takes the new date and doctor.
 */
export async function recordFollowUp(tx: Tx, visit: { id: number; clinicId: number; patientId: number }, followUp: RecommendedFollowUp): Promise<{ id: number; created: boolean }> {
  const existing = await tx.followUp.findUnique({ where: { visitId_service: { visitId: visit.id, service: followUp.service } } });
  const doctor = followUp.doctor ?? null;
  if (!existing) {
    const row = await tx.followUp.create({
      data: { clinicId: visit.clinicId, patientId: visit.patientId, visitId: visit.id, service: followUp.service, doctor, dueAt: followUp.dueAt },
      select: { id: true },
    });
    return { id: row.id, created: true };
  }
  const changed = existing.dueAt.getTime() !== followUp.dueAt.getTime() || existing.doctor !== doctor;
  if (existing.status === "open" && changed) {
    await tx.followUp.update({ where: { id: existing.id }, data: { dueAt: followUp.dueAt, doctor } });
  }
  return { id: existing.id, created: false };
}

/**
 * A missed visit: the patient's open follow-ups for that service, and the visit's own, are marked
 * missed so the rebooking flow starts. When there is none open, the missed visit becomes one itself
 * (due when it was to start), so the patient is still offered a new time.
 */
export async function markFollowUpsMissed(
  tx: Tx,
  visit: { id: number; clinicId: number; patientId: number; service: string; doctor: string; startsAt: Date },
  now: Date,
): Promise<number[]> {
  const open = await tx.followUp.findMany({
    where: { clinicId: visit.clinicId, patientId: visit.patientId, status: "open", OR: [{ service: visit.service }, { visitId: visit.id }] },
    select: { id: true, missedAt: true },
  });
  const toMark = open.filter((f) => f.missedAt === null).map((f) => f.id);
  if (toMark.length > 0) await tx.followUp.updateMany({ where: { id: { in: toMark } }, data: { missedAt: now } });
  // One open follow-up per service is enough: one already being rebooked is not doubled.
  if (open.length > 0) return toMark;
  const own = await tx.followUp.findUnique({ where: { visitId_service: { visitId: visit.id, service: visit.service } } });
  if (own) return []; // already missed once, or booked, done or dismissed since
  const created = await tx.followUp.create({
    data: { clinicId: visit.clinicId, patientId: visit.patientId, visitId: visit.id, service: visit.service, doctor: visit.doctor, dueAt: visit.startsAt, missedAt: now },
  });
  return [created.id];
}
