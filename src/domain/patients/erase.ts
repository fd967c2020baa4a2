// A data subject's request to be erased (152-FZ art. 21): the person goes — name, phone, birth
// date, chats, the texts of their messages — while what the clinic must keep or counts stays
// anonymous: the bonus ledger's sums, visits' amounts and dates, campaign and NPS counts, and the
// consent records (dates, sources, text versions: the proof that writing to them was lawful).
import type { Tx } from "../../db/client.ts";

export interface ErasureSummary {
  identities: number;
  messages: number;
  conversations: number;
  outbox: number;
  escalations: number;
}

export const ERASED_NAME = "—";

/** Erases the patient in the caller's transaction; null when the clinic has no such patient. */
export async function erasePatient(tx: Tx, clinicId: number, patientId: number, now: Date): Promise<ErasureSummary | null> {
  const patient = await tx.patient.findFirst({ where: { id: patientId, clinicId }, select: { id: true, optedOutAt: true } });
  if (!patient) return null;
  const identityIds = (await tx.channelIdentity.findMany({ where: { patientId }, select: { id: true } })).map((i) => i.id);
  const mine = { OR: [{ patientId }, { identityId: { in: identityIds } }] };

  const messages = await tx.message.updateMany({ where: { identityId: { in: identityIds } }, data: { text: null, payload: {} } });
  const conversations = await tx.conversation.updateMany({ where: mine, data: { snapshot: {}, status: "closed", closedAt: now, timerDueAt: null, timerEvent: null } });
  // Nothing more is sent; what was sent keeps its category, status and time, not its words.
  await tx.outbox.updateMany({ where: { ...mine, status: { in: ["pending", "sending"] } }, data: { status: "skipped", lastError: "the patient was erased", leaseOwner: null, leaseUntil: null } });
  const outbox = await tx.outbox.updateMany({ where: mine, data: { payload: {} } });
  const escalations = await tx.escalation.updateMany({ where: mine, data: { summary: null, details: {} } });
  await tx.escalation.updateMany({ where: { ...mine, status: { not: "resolved" } }, data: { status: "resolved", resolvedAt: now } });
  await tx.npsResponse.updateMany({ where: { patientId }, data: { comment: null } });
  await tx.appointment.updateMany({ where: { patientId }, data: { cancelReason: null } });
  await tx.waitlistEntry.updateMany({ where: { patientId, status: "waiting" }, data: { status: "withdrawn" } });
  await tx.followUp.updateMany({ where: { patientId, status: "open" }, data: { status: "dismissed" } });
  // The MIS's ids would lead back to the person: replaced by CareBot's own.
  for (const visit of await tx.visit.findMany({ where: { patientId }, select: { id: true } })) {
    await tx.visit.update({ where: { id: visit.id }, data: { externalId: `erased-${visit.id}` } });
  }
  for (const id of identityIds) {
    await tx.channelIdentity.update({
      where: { id },
      data: { externalChatId: `erased-${id}`, externalUserId: null, username: null, phone: null, displayName: null, locale: null, patientId: null, unreachableAt: now, unreachableReason: "erased" },
    });
  }
  await tx.patient.update({
    where: { id: patientId },
    data: {
      externalId: `erased-${patientId}`,
      fullName: ERASED_NAME,
      firstName: null,
      phone: null,
      birthDate: null,
      birthMonthDay: null,
      timezone: null,
      locale: null,
      tags: [],
      source: null,
      consentSource: null,
      preferredChannel: null,
      optedOutAt: patient.optedOutAt ?? now,
      optOutSource: "erased",
      erasedAt: now,
    },
  });
  await tx.auditEntry.create({ data: { clinicId, action: "patient.erase", target: `patient:${patientId}`, details: { identities: identityIds.length, messages: messages.count }, createdAt: now } });
  return { identities: identityIds.length, messages: messages.count, conversations: conversations.count, outbox: outbox.count, escalations: escalations.count };
}
