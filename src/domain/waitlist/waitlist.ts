// The waitlist: a patient asks to hear of an earlier slot; a freed slot is offered to the waiting
// ones in small batches (src/scheduler/planners/waitlist.ts); the first to tap books it, the
// others are told it is gone. Booking goes through the one booking path (appointments/).
import type { Tx } from "../../db/client.ts";
import { bookSlot } from "../appointments/book.ts";
import { bookedAppointment, moveAppointment } from "../appointments/manage.ts";
import { queueMisChange } from "../appointments/mis-changes.ts";

export const WAITLIST_FLOW = "waitlist-offer";
export const WAITLIST_PREFIX = "waitlist:";
/** One offer per freed slot and waiting entry. */
export const waitlistOfferKey = (slotId: number, entryId: number): string => `${WAITLIST_PREFIX}${slotId}:${entryId}`;

/**
 * Puts the patient on the waitlist for an appointment's doctor and service (to move it earlier),
 * once: asking again keeps the entry already waiting.
 */
export async function joinWaitlist(tx: Tx, input: { clinicId: number; patientId: number; appointmentId: number; now: Date }): Promise<{ id: number } | null> {
  const appointment = await bookedAppointment(tx, input);
  if (!appointment) return null;
  const waiting = await tx.waitlistEntry.findFirst({ where: { patientId: input.patientId, appointmentId: appointment.id, status: "waiting" }, select: { id: true } });
  if (waiting) return waiting;
  return tx.waitlistEntry.create({
    data: { clinicId: input.clinicId, patientId: input.patientId, service: appointment.slot.service, doctor: appointment.slot.doctor, appointmentId: appointment.id, createdAt: input.now, updatedAt: input.now },
    select: { id: true },
  });
}

/** What a patient asking in the chat («сообщите, если освободится раньше») was put on the waitlist for. */
export type ChatWaitlist =
  | { for: "earlier"; entryId: number; visit: { startsAt: Date; doctor: string; service: string } }
  | { for: "service"; entryId: number; service: string; doctor: string | null }
  | { for: "nothing" };

/**
 * The waitlist asked for in words or from the menu, with no appointment named: the patient's next
 * booked visit is moved earlier when a time frees up; without one, the visit a doctor recommended
 * (their open follow-up) is booked at the first freed time of its service. Without either there is
 * nothing to wait for yet (the patient books first). Asking again keeps the entry already waiting.
 */
export async function joinWaitlistFromChat(tx: Tx, input: { clinicId: number; patientId: number; now: Date }): Promise<ChatWaitlist> {
  const scope = { clinicId: input.clinicId, patientId: input.patientId };
  const next = await tx.appointment.findFirst({
    where: { ...scope, status: "booked", slot: { startsAt: { gt: input.now } } },
    orderBy: { slot: { startsAt: "asc" } },
    include: { slot: true },
  });
  if (next) {
    const entry = await joinWaitlist(tx, { ...input, appointmentId: next.id });
    if (entry) return { for: "earlier", entryId: entry.id, visit: { startsAt: next.slot.startsAt, doctor: next.slot.doctor, service: next.slot.service } };
  }
  const followUp = await tx.followUp.findFirst({ where: { ...scope, status: "open" }, orderBy: { dueAt: "asc" } });
  if (!followUp) return { for: "nothing" };
  const wanted = { service: followUp.service, doctor: followUp.doctor };
  const waiting = await tx.waitlistEntry.findFirst({ where: { ...scope, ...wanted, appointmentId: null, status: "waiting" }, select: { id: true } });
  const entry = waiting ?? (await tx.waitlistEntry.create({ data: { ...scope, ...wanted, createdAt: input.now, updatedAt: input.now }, select: { id: true } }));
  return { for: "service", entryId: entry.id, ...wanted };
}

export type TakeResult = { booked: true; appointment: { startsAt: Date; doctor: string; service: string } } | { booked: false; why: "taken" | "gone" };

/**
 * The patient tapped an offer: the slot is booked for them (their appointment moved to it, when
 * the entry names one) if it is still free, atomically; the entry is done. Otherwise "taken".
 */
export async function takeOffer(tx: Tx, input: { clinicId: number; patientId: number; entryId: number; slotId: number; now: Date }): Promise<TakeResult> {
  const entry = await tx.waitlistEntry.findFirst({ where: { id: input.entryId, clinicId: input.clinicId, patientId: input.patientId, status: "waiting" } });
  if (!entry) return { booked: false, why: "gone" };
  let appointment;
  if (entry.appointmentId !== null) {
    const moved = await moveAppointment(tx, { clinicId: input.clinicId, patientId: input.patientId, appointmentId: entry.appointmentId, toSlotId: input.slotId, now: input.now });
    if (!moved.moved) return { booked: false, why: moved.why === "taken" ? "taken" : "gone" };
    appointment = moved.appointment;
  } else {
    appointment = await bookSlot(tx, { clinicId: input.clinicId, patientId: input.patientId, slotId: input.slotId, now: input.now });
    if (!appointment) return { booked: false, why: "taken" };
    await queueMisChange(tx, { clinicId: input.clinicId, appointmentId: appointment.id, change: "booked", now: input.now });
  }
  await tx.appointment.update({ where: { id: appointment.id }, data: { waitlistEntryId: entry.id } });
  await tx.waitlistEntry.update({ where: { id: entry.id }, data: { status: "booked", updatedAt: input.now } });
  return { booked: true, appointment: { startsAt: appointment.slot.startsAt, doctor: appointment.slot.doctor, service: appointment.slot.service } };
}
