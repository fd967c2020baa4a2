// A conversation in a guardian's chat may be about their ward (a child's visit reminder): its
// steps then act for the ward (their appointment, their consents) and speak to the guardian.
import type { Tx } from "../db/client.ts";
import type { ChatTarget } from "../flows/runtime/facts.ts";
import { isGuardianOf } from "../domain/families/guardians.ts";
import { mayNameProcedure } from "../domain/consents/medical.ts";
import type { ActiveConversationRow } from "../db/queries/chat-target.ts";
import { tryReadSession } from "../flows/runtime/session.ts";

/** How long a ward's conversation replaced by another in the chat can still be answered by its buttons. */
const RESUMABLE_MS = 24 * 3600_000;

/**
 * The conversation a tap under a message about `wardId` answers: the running one when it is
 * about them; else their latest conversation in this chat closed by another's start within a day,
 * which is reopened (the running one is closed in its place, and its own buttons reopen it in
 * turn). Null when the ward has none: the tap then reaches no conversation, like any old button.
 */
export async function resumeWardConversation(tx: Tx, identityId: number, wardId: number, running: ActiveConversationRow | null, now: Date): Promise<ActiveConversationRow | null> {
  if (running?.patientId === wardId) return running;
  if (running?.status === "operator") return running;
  const replaced = await tx.conversation.findFirst({
    where: { identityId, patientId: wardId, status: "closed", closedAt: { gte: new Date(now.getTime() - RESUMABLE_MS) } },
    orderBy: { id: "desc" },
  });
  // Only one cut short while it waited on its buttons, not one that came to its end.
  const session = replaced ? tryReadSession(replaced.snapshot) : null;
  const waiting = session !== null && session.options !== null && (session.machine as { status?: unknown }).status === "active";
  if (!replaced || !waiting) return null;
  if (running) await tx.conversation.update({ where: { id: running.id }, data: { status: "closed", closedAt: now, timerDueAt: null } });
  const { flowDefinition: _definition, ...row } = await tx.conversation.update({ where: { id: replaced.id }, data: { status: "bot", closedAt: null } });
  return row;
}

/**
 * The target about `patientId` when that is a ward of the chat's patient; otherwise the chat's
 * own target unchanged (a conversation about anyone else is never continued as theirs).
 */
export async function aboutWard(tx: Tx, target: ChatTarget, patientId: number | null): Promise<ChatTarget> {
  const guardian = target.patient;
  if (patientId === null || !guardian || patientId === guardian.id) return target;
  if (!(await isGuardianOf(tx, guardian.id, patientId))) return target;
  const ward = await tx.patient.findUnique({ where: { id: patientId }, select: { id: true, fullName: true, firstName: true, locale: true, timezone: true, optedOutAt: true } });
  if (!ward) return target;
  // The guardian reads the messages: their language; the ward's own time zone if the MIS gave one.
  // A service or procedure of the ward is named to them only with the ward's medical consent.
  const medical = await mayNameProcedure(tx, ward.id, true);
  return {
    ...target,
    patient: { ...ward, locale: guardian.locale ?? ward.locale, timezone: ward.timezone ?? guardian.timezone },
    guardian: { id: guardian.id, fullName: guardian.fullName, firstName: guardian.firstName ?? null, mayNameProcedure: medical },
  };
}
