// Every change of an appointment made in the chat reaches the clinic's MIS twice over: the change
// feed (GET /api/appointments?since=, by updatedAt) and, when MIS_WEBHOOK_URL is set, a signed
// POST sent through the outbox in the change's own transaction (retried, sent once).
import type { Prisma, Tx } from "../../db/client.ts";

/** The outbox kind the dispatcher POSTs to MIS_WEBHOOK_URL instead of a patient's chat. */
export const MIS_WEBHOOK_KIND = "mis-webhook";

export type AppointmentChange = "booked" | "confirmed" | "cancelled" | "moved";

/** An appointment as the MIS reads it, in the feed and in the webhook. */
export interface AppointmentForMis {
  id: number;
  patientExternalId: string;
  slotExternalId: string;
  /** The MIS's visit this appointment is (or was moved from), when it came from the MIS. */
  visitExternalId: string | null;
  /** The code of the branch it is at (a clinic with a network of branches), else null. */
  branch: string | null;
  doctor: string;
  service: string;
  startsAt: Date;
  status: "booked" | "cancelled";
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  /** Set on an appointment the patient moved: the one that took its place. */
  movedToId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const appointmentForMisSelect = {
  id: true,
  status: true,
  confirmedAt: true,
  cancelledAt: true,
  cancelReason: true,
  movedToId: true,
  createdAt: true,
  updatedAt: true,
  patient: { select: { externalId: true } },
  visit: { select: { externalId: true } },
  branch: { select: { code: true } },
  slot: { select: { externalId: true, doctor: true, service: true, startsAt: true } },
} as const;

type Selected = Prisma.AppointmentGetPayload<{ select: typeof appointmentForMisSelect }>;

export function appointmentForMis(a: Selected): AppointmentForMis {
  return {
    id: a.id,
    patientExternalId: a.patient.externalId,
    slotExternalId: a.slot.externalId,
    visitExternalId: a.visit?.externalId ?? null,
    branch: a.branch?.code ?? null,
    doctor: a.slot.doctor,
    service: a.slot.service,
    startsAt: a.slot.startsAt,
    status: a.status,
    confirmedAt: a.confirmedAt,
    cancelledAt: a.cancelledAt,
    cancelReason: a.cancelReason,
    movedToId: a.movedToId,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** The body the MIS receives: what happened, and the appointment(s) as they are now. */
export interface MisWebhookPayload {
  event: `appointment.${AppointmentChange}`;
  appointment: AppointmentForMis;
  /** On a move: the new appointment. */
  movedTo?: AppointmentForMis;
}

/** One webhook per appointment and change: replaying a step never tells the MIS twice. */
export const misWebhookKey = (appointmentId: number, change: AppointmentChange): string => `mis:appointment:${appointmentId}:${change}`;

/** Queues the webhook of a change, in the caller's transaction. */
export async function queueMisChange(tx: Tx, input: { clinicId: number; appointmentId: number; change: AppointmentChange; movedToId?: number; now: Date }): Promise<void> {
  const read = (id: number) => tx.appointment.findUniqueOrThrow({ where: { id }, select: appointmentForMisSelect }).then(appointmentForMis);
  const appointment = await read(input.appointmentId);
  const payload: MisWebhookPayload = { event: `appointment.${input.change}`, appointment, ...(input.movedToId ? { movedTo: await read(input.movedToId) } : {}) };
  await tx.outbox.upsert({
    where: { idempotencyKey: misWebhookKey(input.appointmentId, input.change) },
    create: {
      clinicId: input.clinicId,
      idempotencyKey: misWebhookKey(input.appointmentId, input.change),
      patientId: null,
      identityId: null,
      kind: MIS_WEBHOOK_KIND,
      category: "transactional",
      // Dates become ISO text here, as the MIS will read them.
      payload: JSON.parse(JSON.stringify(payload)) as Prisma.InputJsonValue,
      dueAt: input.now,
      createdAt: input.now,
      updatedAt: input.now,
    },
    update: {},
  });
}
