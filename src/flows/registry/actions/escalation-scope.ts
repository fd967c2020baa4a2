// What every escalation a flow raises is filed under: the chat, the clinic's SLA and calendar, the
// moment and the staff alerts. One place, so `escalate` and `noteToStaff` cannot drift apart.
import type { OpenEscalationInput } from "../../../domain/escalations/open.ts";
import { wardNoteForStaff } from "../../../domain/families/ward-note.ts";
import type { EffectContext } from "../types.ts";

export function escalationScope(ctx: EffectContext): Omit<OpenEscalationInput, "reason" | "priority" | "summary" | "details"> {
  return {
    clinicId: ctx.scope.clinicId,
    timezone: ctx.scope.clinic.timezone,
    sla: ctx.scope.clinic.settings.sla,
    calendar: ctx.scope.clinic.settings.calendar,
    patientId: ctx.scope.patientId,
    identityId: ctx.scope.identityId,
    conversationId: ctx.scope.conversationId,
    now: ctx.clock.now(),
    alerts: ctx.escalationAlerts,
    // What the conversation is about tells the branch whose operators see it.
    visitId: ctx.context.visitId,
    appointmentId: ctx.context.appointmentId,
  };
}

/**
 * The queue's line for the escalation: the flow's summary, and in a conversation about a ward in
 * their guardian's chat who it is about and who wrote (the guardian is the one to call back).
 */
export async function staffSummary(ctx: EffectContext, summary: string | undefined): Promise<string | undefined> {
  const { patientId, guardianId } = ctx.scope;
  if (!guardianId || patientId === null) return summary;
  const note = await wardNoteForStaff(ctx.tx, patientId, guardianId);
  if (!note) return summary;
  return summary ? `${summary} (${note})` : note;
}
