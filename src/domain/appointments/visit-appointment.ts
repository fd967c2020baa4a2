// A scheduled visit the MIS posts is an appointment like one booked in the chat: it gets its
// reminders, and the patient may confirm, cancel or move it. Its time is a slot of its own
// (booked; freed when the visit is cancelled or moved, so another patient may take it).
import type { Tx } from "../../db/client.ts";
import { CANCELLED_BY_CLINIC, cancelAppointment, MOVED_BY_CLINIC } from "./manage.ts";
import { visitRemindersOf } from "./keys.ts";

/** How long a visit the MIS posts without an end is taken to last. */
const VISIT_MINUTES = 30;

/** The synthetic slot of a visit's time: the MIS's visit id and the time, so a new time is a new slot. */
export const visitSlotExternalId = (visitExternalId: string, startsAt: Date): string => `visit:${visitExternalId}:${startsAt.toISOString()}`;

/**
 * Keeps the appointment of an MIS visit in step with it, in the visit's own transaction:
 * scheduled and ahead → one booked appointment at its time (a new time replaces the old one,
 * whose reminders are withdrawn); cancelled → the appointment is cancelled and its slot freed.
 * Completed or missed visits keep their appointment as history.
 */
export async function syncVisitAppointment(tx: Tx, input: { clinicId: number; visitId: number; now: Date }): Promise<void> {
  const visit = await tx.visit.findUniqueOrThrow({ where: { id: input.visitId } });
  const current = await tx.appointment.findFirst({ where: { visitId: visit.id, status: "booked" }, include: { slot: true }, orderBy: { id: "desc" } });
  const scope = { clinicId: input.clinicId, patientId: visit.patientId, now: input.now };

  if (visit.status === "cancelled") {
    if (current) await cancelAppointment(tx, { ...scope, appointmentId: current.id, reason: CANCELLED_BY_CLINIC, byClinic: true });
    return;
  }
  if (visit.status !== "scheduled" || visit.startsAt <= input.now) return;
  const same = current && current.slot.startsAt.getTime() === visit.startsAt.getTime() && current.slot.doctor === visit.doctor && current.slot.service === visit.service;
  if (same) return;
  if (current) {
    // The clinic moved the visit: the old time's appointment ends, the new time gets its own reminders.
    await tx.appointment.update({ where: { id: current.id }, data: { status: "cancelled", cancelledAt: input.now, cancelReason: MOVED_BY_CLINIC, updatedAt: input.now } });
    // Its old time is free for others (the waitlist may fill it).
    await tx.slot.updateMany({ where: { id: current.slotId, status: "booked", startsAt: { gt: input.now } }, data: { status: "free", updatedAt: input.now } });
    await tx.outbox.updateMany({ where: { idempotencyKey: { startsWith: visitRemindersOf(current.id) }, status: "pending" }, data: { status: "skipped", lastError: "visit moved by the clinic" } });
  }
  const externalId = visitSlotExternalId(visit.externalId, visit.startsAt);
  const slot = await tx.slot.upsert({
    where: { clinicId_externalId: { clinicId: input.clinicId, externalId } },
    create: {
      clinicId: input.clinicId,
      externalId,
      doctor: visit.doctor,
      service: visit.service,
      startsAt: visit.startsAt,
      endsAt: new Date(visit.startsAt.getTime() + VISIT_MINUTES * 60_000),
      status: "booked",
    },
    update: { status: "booked", doctor: visit.doctor, service: visit.service },
  });
  const earlier = await tx.appointment.aggregate({ where: { slotId: slot.id }, _max: { slotBooking: true } });
  await tx.appointment.create({
    data: { clinicId: input.clinicId, patientId: visit.patientId, slotId: slot.id, slotBooking: (earlier._max.slotBooking ?? 0) + 1, visitId: visit.id, createdAt: input.now, updatedAt: input.now },
  });
}
