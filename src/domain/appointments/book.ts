import type { Tx } from "../../db/client.ts";

export interface FreeSlot {
  id: number;
  doctor: string;
  service: string;
  startsAt: Date;
}

/** Up to `limit` free slots for a service (and doctor, when the follow-up names one), soonest first. */
export async function freeSlots(tx: Tx, input: { clinicId: number; service: string; doctor?: string | null; after: Date; limit?: number }): Promise<FreeSlot[]> {
  return tx.slot.findMany({
    where: { clinicId: input.clinicId, status: "free", service: input.service, startsAt: { gt: input.after }, ...(input.doctor ? { doctor: input.doctor } : {}) },
    orderBy: { startsAt: "asc" },
    take: input.limit ?? 3,
    select: { id: true, doctor: true, service: true, startsAt: true },
  });
}

/**
 * Books a slot for a patient, atomically: the slot flips from free to booked in one conditional
 * update, and Appointment.slotId is unique, so two patients can never hold one slot.
 * Returns null when someone else was faster.
 */
export async function bookSlot(tx: Tx, input: { clinicId: number; patientId: number; slotId: number; followUpId?: number | null; now: Date }) {
  const taken = await tx.slot.updateMany({ where: { id: input.slotId, clinicId: input.clinicId, status: "free", startsAt: { gt: input.now } }, data: { status: "booked" } });
  if (taken.count !== 1) return null;
  const appointment = await tx.appointment.create({
    data: { clinicId: input.clinicId, patientId: input.patientId, slotId: input.slotId, followUpId: input.followUpId ?? null, createdAt: input.now },
    include: { slot: true },
  });
  if (input.followUpId) await tx.followUp.update({ where: { id: input.followUpId }, data: { status: "booked" } });
  return appointment;
}
