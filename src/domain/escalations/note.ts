import type { Prisma, Tx } from "../../db/client.ts";
import { alertIfUrgent, calendarOfEscalation, escalationDueAt, isMoreUrgent, openEscalation } from "./open.ts";
import type { OpenEscalationInput } from "./open.ts";
import { clip } from "../../util/clip.ts";

type Escalation = Prisma.EscalationGetPayload<{}>;

/** A patient's message kept on an escalation for the person who will answer it. */
export interface PatientNote {
  at: string;
  text: string;
  /** What CareBot understood («complaint 0.9: болит»), so staff see why it was raised. */
  reading?: string;
}

const MAX_NOTES = 50;

/**
 * What a patient writes while their chat waits for a person goes to that person: it joins the
 * chat's open (or taken) escalation as a note, raising its priority when the new message is more
 * urgent (a red flag). With none waiting, it opens one.
 */
export async function noteForStaff(tx: Tx, input: OpenEscalationInput & { text: string; reading?: string }): Promise<{ escalation: Escalation; joined: boolean; answerBy: Date }> {
  const notes: PatientNote[] = input.text ? [{ at: input.now.toISOString(), text: clip(input.text, 2000), ...(input.reading ? { reading: input.reading } : {}) }] : [];
  // What the patient is told: the escalation's own due time, or, when that has passed (a chat
  // handed back long ago), the time a new message of this priority is due on its branch's calendar.
  const answerByOf = async (e: Escalation) => (e.slaDueAt > input.now ? e.slaDueAt : escalationDueAt({ ...input, calendar: await calendarOfEscalation(tx, e.branchId, input.calendar) }, e.priority));
  const waiting =
    input.identityId === null
      ? null
      : await tx.escalation.findFirst({ where: { clinicId: input.clinicId, identityId: input.identityId, status: { in: ["open", "taken"] } }, orderBy: { id: "desc" } });
  if (!waiting) {
    const details = { ...(isObject(input.details) ? input.details : {}), notes } as unknown as Prisma.InputJsonValue;
    const escalation = await openEscalation(tx, { ...input, details });
    return { escalation, joined: false, answerBy: await answerByOf(escalation) };
  }
  const details = isObject(waiting.details) ? waiting.details : {};
  const kept = Array.isArray(details.notes) ? (details.notes as unknown[]).slice(-(MAX_NOTES - 1)) : [];
  const raise = isMoreUrgent(input.priority, waiting.priority);
  const escalation = await tx.escalation.update({
    where: { id: waiting.id },
    data: {
      details: { ...details, notes: [...kept, ...notes] } as unknown as Prisma.InputJsonValue,
      ...(raise ? { priority: input.priority, reason: input.reason, slaDueAt: earlier(waiting.slaDueAt, { ...input, calendar: await calendarOfEscalation(tx, waiting.branchId, input.calendar) }) } : {}),
    },
  });
  if (raise) await alertIfUrgent(tx, input, escalation);
  return { escalation, joined: true, answerBy: await answerByOf(escalation) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function earlier(current: Date, input: OpenEscalationInput): Date {
  const due = escalationDueAt(input);
  return due < current ? due : current;
}
