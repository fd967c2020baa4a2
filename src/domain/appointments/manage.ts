// What a patient does with an appointment in the chat: confirm it, cancel it (the slot is freed
// for others), or move it to another free slot of the same doctor and service (booked
// atomically; the old slot is freed). Each change reaches the MIS (mis-changes.ts).
import type { Tx } from "../../db/client.ts";
import { bookSlot } from "./book.ts";
import { visitRemindersOf } from "./keys.ts";
import { queueMisChange } from "./mis-changes.ts";
import { clip } from "../../util/clip.ts";

/** Why an appointment ended when the MIS, not the patient, changed it (the dashboard tells them apart). */
export const CANCELLED_BY_CLINIC = "cancelled by the clinic";
export const MOVED_BY_CLINIC = "moved by the clinic";

export interface AppointmentScope {
  clinicId: number;
  /** The patient the chat belongs to: nobody changes someone else's appointment. */
  patientId: number;
  appointmentId: number;
  now: Date;
}

/** The patient's appointment while it is booked and still ahead, with its slot; otherwise null. */
export function bookedAppointment(tx: Tx, scope: AppointmentScope) {
  return tx.appointment.findFirst({
    where: { id: scope.appointmentId, clinicId: scope.clinicId, patientId: scope.patientId, status: "booked", slot: { startsAt: { gt: scope.now } } },
    include: { slot: true },
  });
}

/** Records the patient's confirmation (once); false when the appointment is gone. */
export async function confirmAppointment(tx: Tx, scope: AppointmentScope): Promise<boolean> {
  const appointment = await bookedAppointment(tx, scope);
  if (!appointment) return false;
  if (appointment.confirmedAt) return true;
  await tx.appointment.update({ where: { id: appointment.id }, data: { confirmedAt: scope.now, updatedAt: scope.now } });
  await queueMisChange(tx, { clinicId: scope.clinicId, appointmentId: appointment.id, change: "confirmed", now: scope.now });
  return true;
}

/** A booked slot goes back to the free ones (while it is ahead), and its unsent reminders are withdrawn. */
async function release(tx: Tx, appointment: { id: number; slotId: number }, now: Date, reason: string): Promise<void> {
  await tx.slot.updateMany({ where: { id: appointment.slotId, status: "booked", startsAt: { gt: now } }, data: { status: "free", updatedAt: now } });
  await tx.outbox.updateMany({
    where: { idempotencyKey: { startsWith: visitRemindersOf(appointment.id) }, status: "pending" },
    data: { status: "skipped", lastError: reason, updatedAt: now },
  });
}

/**
 * Cancels the appointment with the patient's reason (optional): the slot is free again at once.
 * Conditional on it still being booked, so two taps cancel once. False when it was not booked.
 */
export async function cancelAppointment(tx: Tx, scope: AppointmentScope & { reason: string | null; byClinic?: boolean }): Promise<boolean> {
  const appointment = await bookedAppointment(tx, scope);
  if (!appointment) return false;
  const { count } = await tx.appointment.updateMany({
    where: { id: appointment.id, status: "booked" },
    data: { status: "cancelled", cancelledAt: scope.now, cancelReason: (scope.reason ? clip(scope.reason, 500) : null), updatedAt: scope.now },
  });
  if (count !== 1) return false;
  await release(tx, appointment, scope.now, "appointment cancelled");
  // The MIS cancelled it itself: no need to tell it back.
  if (!scope.byClinic) await queueMisChange(tx, { clinicId: scope.clinicId, appointmentId: appointment.id, change: "cancelled", now: scope.now });
  return true;
}

export type MoveResult = { moved: true; appointment: NonNullable<Awaited<ReturnType<typeof bookSlot>>> } | { moved: false; why: "gone" | "taken" };

/**
 * Moves the appointment to another free slot: the new slot is booked first (atomically; null when
 * someone was faster), then the old appointment is marked moved and its slot freed, all in the
 * caller's transaction. The new appointment keeps the old one's MIS visit and follow-up.
 */
export async function moveAppointment(tx: Tx, scope: AppointmentScope & { toSlotId: number }): Promise<MoveResult> {
  const old = await bookedAppointment(tx, scope);
  if (!old) return { moved: false, why: "gone" };
  const next = await bookSlot(tx, { clinicId: scope.clinicId, patientId: scope.patientId, slotId: scope.toSlotId, followUpId: old.followUpId, visitId: old.visitId, now: scope.now });
  if (!next) return { moved: false, why: "taken" };
  const { count } = await tx.appointment.updateMany({
    where: { id: old.id, status: "booked" },
    data: { status: "cancelled", cancelledAt: scope.now, cancelReason: "moved by the patient", movedToId: next.id, updatedAt: scope.now },
  });
  // Cancelled meanwhile (a second tap in another chat): undo by failing the transaction's intent.
  if (count !== 1) throw new Error(`appointment ${old.id} changed while it was being moved`);
  await release(tx, old, scope.now, "appointment moved");
  await queueMisChange(tx, { clinicId: scope.clinicId, appointmentId: old.id, change: "moved", movedToId: next.id, now: scope.now });
  return { moved: true, appointment: next };
}
