import type { Tx } from "../../db/client.ts";

export interface FreeSlot {
  id: number;
  doctor: string;
  service: string;
  startsAt: Date;
}

/** Up to `limit` free slots for a service (and doctor, when one is named), soonest first. */
export async function freeSlots(tx: Tx, input: { clinicId: number; service: string; doctor?: string | null; after: Date; limit?: number; exceptSlotId?: number }): Promise<FreeSlot[]> {
  return tx.slot.findMany({
    where: {
      clinicId: input.clinicId,
      status: "free",
      service: input.service,
      startsAt: { gt: input.after },
      ...(input.doctor ? { doctor: input.doctor } : {}),
      ...(input.exceptSlotId ? { id: { not: input.exceptSlotId } } : {}),
    },
    orderBy: { startsAt: "asc" },
    take: input.limit ?? 3,
    select: { id: true, doctor: true, service: true, startsAt: true },
  });
}

export interface BookSlotInput {
  clinicId: number;
  patientId: number;
  slotId: number;
  followUpId?: number | null;
  /** The MIS visit the booking is (a move keeps it). */
  visitId?: number | null;
  now: Date;
}

/**
 * Books a slot for a patient, atomically: the slot flips from free to booked in one conditional
 * update, and the booking takes the slot's next booking number, unique with the slot, so two
 * patients can never hold one slot. Returns null when someone else was faster.
 */
export async function bookSlot(tx: Tx, input: BookSlotInput) {
  const taken = await tx.slot.updateMany({ where: { id: input.slotId, clinicId: input.clinicId, status: "free", startsAt: { gt: input.now } }, data: { status: "booked" } });
  if (taken.count !== 1) return null;
  // A slot freed by a cancellation is booked again: its earlier bookings stay as they were.
  const earlier = await tx.appointment.aggregate({ where: { slotId: input.slotId }, _max: { slotBooking: true } });
  // The booking is at the slot's branch (a network's branch, or the clinic itself).
  const { branchId } = await tx.slot.findUniqueOrThrow({ where: { id: input.slotId }, select: { branchId: true } });
  const appointment = await tx.appointment.create({
    data: {
      clinicId: input.clinicId,
      patientId: input.patientId,
      slotId: input.slotId,
      slotBooking: (earlier._max.slotBooking ?? 0) + 1,
      followUpId: input.followUpId ?? null,
      visitId: input.visitId ?? null,
      branchId,
      createdAt: input.now,
      updatedAt: input.now,
    },
    include: { slot: true },
  });
  if (input.followUpId) await tx.followUp.update({ where: { id: input.followUpId }, data: { status: "booked" } });
  return appointment;
}
