import type { Prisma, Tx } from "../../db/client.ts";
import type { ClinicSettings } from "../clinic/settings.ts";
import { calendarOfBranch } from "../branches/calendar.ts";
import { branchById, branchIdOfContext } from "../branches/lookup.ts";
import { queueEscalationAlert } from "./alert.ts";
import type { EscalationAlerts } from "./alert.ts";
import { slaDueAt } from "./sla.ts";
import type { Priority } from "./sla.ts";

export const ESCALATION_REASONS = [
  "nps_detractor",
  "health_complaint",
  "operator_request",
  "unknown_phone",
  "rebook_other_time",
  "unrecognized_input",
  "flow_error",
  "new_patient",
  "patient_message",
  "booking_request",
  "visit_unconfirmed",
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** Reasons that are a patient waiting to be booked: answered within `sla.bookingHours`. */
const BOOKING_REASONS: readonly EscalationReason[] = ["booking_request", "rebook_other_time"];

const RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export interface OpenEscalationInput {
  clinicId: number;
  timezone: string;
  sla: ClinicSettings["sla"];
  calendar: ClinicSettings["calendar"];
  patientId: number | null;
  identityId: number | null;
  conversationId: number | null;
  reason: EscalationReason;
  priority: Priority;
  summary?: string;
  details?: Prisma.InputJsonValue;
  now: Date;
  /** Set when the operators' chat is configured (OPERATORS_TELEGRAM_CHAT_ID): urgent ones are announced there. */
  alerts?: EscalationAlerts;
  /**
   * The branch whose operators see it. Left out: the branch of `visitId`, else of `appointmentId`
   * (what the conversation is about), else the patient's (their last visit's).
   */
  branchId?: number | null;
  visitId?: unknown;
  appointmentId?: unknown;
}

/** Ranks priorities: lower is more urgent. */
export function isMoreUrgent(a: Priority, b: Priority): boolean {
  return RANK[a] < RANK[b];
}

/** When a person must have answered an escalation of this input raised now (at `priority`, by default the input's). */
export function escalationDueAt(input: Pick<OpenEscalationInput, "priority" | "reason" | "now" | "sla" | "calendar" | "timezone">, priority: Priority = input.priority): Date {
  const rules = { sla: input.sla, calendar: input.calendar, timezone: input.timezone };
  return slaDueAt(priority, input.now, rules, BOOKING_REASONS.includes(input.reason) ? "booking" : "other");
}

/** The calendar an escalation filed under `branchId` counts its answer time on. */
export async function calendarOfEscalation(tx: Tx, branchId: number | null, clinic: ClinicSettings["calendar"]): Promise<ClinicSettings["calendar"]> {
  return calendarOfBranch(clinic, (await branchById(tx, branchId))?.calendar ?? null);
}

/**
 * Opens an escalation, or joins the one already open for the same conversation (raising its
 * priority if needed): a patient who asks twice should not be queued twice.
 */
export async function openEscalation(tx: Tx, input: OpenEscalationInput) {
  const branchId = input.branchId !== undefined ? input.branchId : await branchIdOfContext(tx, { patientId: input.patientId, visitId: input.visitId, appointmentId: input.appointmentId });
  // A branch's answer time counts on its calendar (its own hours and days off).
  const calendar = await calendarOfEscalation(tx, branchId, input.calendar);
  const dueAt = escalationDueAt({ ...input, calendar });
  const existing =
    input.conversationId === null
      ? null
      : await tx.escalation.findFirst({ where: { conversationId: input.conversationId, status: { in: ["open", "taken"] } } });
  if (existing) {
    if (RANK[input.priority] >= RANK[existing.priority]) return existing;
    const raised = await tx.escalation.update({
      where: { id: existing.id },
      data: { priority: input.priority, reason: input.reason, slaDueAt: dueAt < existing.slaDueAt ? dueAt : existing.slaDueAt },
    });
    // Became urgent (a complaint in a chat already waiting for a person): that is news for the staff.
    await alertIfUrgent(tx, input, raised);
    return raised;
  }
  const created = await tx.escalation.create({
    data: {
      clinicId: input.clinicId,
      patientId: input.patientId,
      identityId: input.identityId,
      conversationId: input.conversationId,
      branchId,
      reason: input.reason,
      priority: input.priority,
      summary: input.summary ?? null,
      details: input.details ?? undefined,
      slaDueAt: dueAt,
      createdAt: input.now,
    },
  });
  await alertIfUrgent(tx, input, created);
  return created;
}

export async function alertIfUrgent(
  tx: Tx,
  input: OpenEscalationInput,
  escalation: { id: number; clinicId: number; patientId: number | null; conversationId: number | null; priority: Priority; reason: string; slaDueAt: Date },
): Promise<void> {
  if (!input.alerts || escalation.priority !== "urgent") return;
  const patient = escalation.patientId === null ? null : await tx.patient.findUnique({ where: { id: escalation.patientId }, select: { fullName: true, firstName: true } });
  await queueEscalationAlert(tx, input.alerts, {
    clinicId: escalation.clinicId,
    now: input.now,
    facts: {
      escalationId: escalation.id,
      conversationId: escalation.conversationId,
      priority: escalation.priority,
      reason: escalation.reason,
      patientFullName: patient?.fullName ?? null,
      patientFirstName: patient?.firstName ?? null,
      slaDueAt: escalation.slaDueAt,
      timezone: input.timezone,
    },
  });
}
