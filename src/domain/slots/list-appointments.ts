import type { AppointmentStatus, Tx } from "../../db/client.ts";

export interface AppointmentForMis {
  id: number;
  patientExternalId: string;
  slotExternalId: string;
  doctor: string;
  service: string;
  startsAt: Date;
  status: AppointmentStatus;
  createdAt: Date;
}

/**
 * Appointments patients booked through CareBot since a moment, oldest first, for the MIS to put
 * in its own schedule. Polling with the last createdAt seen as `since` misses nothing (rows with
 * that same moment come again; the id tells them apart).
 */
export async function appointmentsSince(tx: Tx, clinicId: number, since: Date, status?: AppointmentStatus): Promise<AppointmentForMis[]> {
  const rows = await tx.appointment.findMany({
    where: { clinicId, createdAt: { gte: since }, ...(status ? { status } : {}) },
    select: {
      id: true,
      status: true,
      createdAt: true,
      patient: { select: { externalId: true } },
      slot: { select: { externalId: true, doctor: true, service: true, startsAt: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((a) => ({
    id: a.id,
    patientExternalId: a.patient.externalId,
    slotExternalId: a.slot.externalId,
    doctor: a.slot.doctor,
    service: a.slot.service,
    startsAt: a.slot.startsAt,
    status: a.status,
    createdAt: a.createdAt,
  }));
}
