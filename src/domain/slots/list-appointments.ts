import type { AppointmentStatus, Tx } from "../../db/client.ts";
import { appointmentForMis, appointmentForMisSelect } from "../appointments/mis-changes.ts";
import type { AppointmentForMis } from "../appointments/mis-changes.ts";

export type { AppointmentForMis } from "../appointments/mis-changes.ts";

/**
 * Appointments booked or changed (confirmed, cancelled, moved) since a moment, oldest change
 * first, for the MIS to keep its own schedule. Polling with the last updatedAt seen as `since`
 * misses nothing (rows with that same moment come again; the id tells them apart).
 */
export async function appointmentsSince(tx: Tx, clinicId: number, since: Date, status?: AppointmentStatus): Promise<AppointmentForMis[]> {
  const rows = await tx.appointment.findMany({
    where: { clinicId, updatedAt: { gte: since }, ...(status ? { status } : {}) },
    select: appointmentForMisSelect,
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
  });
  return rows.map(appointmentForMis);
}
