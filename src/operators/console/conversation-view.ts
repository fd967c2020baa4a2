import type { Db } from "../../db/client.ts";
import { bonusSummary } from "../../domain/bonus/summary.ts";

export interface TranscriptLine {
  id: number;
  direction: "inbound" | "outbound" | "note";
  text: string | null;
  at: string;
  operator: string | null;
  conversationId: number | null;
}

/** A conversation as the console shows it: the chat's transcript with notes, and the patient's card. Null when not this clinic's. */
export async function conversationView(db: Db, clinicId: number, conversationId: number, now: Date) {
  const conversation = await db.conversation.findFirst({
    where: { id: conversationId, clinicId },
    include: { identity: true, operator: { select: { id: true, displayName: true } } },
  });
  if (!conversation) return null;
  const messages = await db.message.findMany({
    where: { clinicId, identityId: conversation.identityId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 300,
    include: { operator: { select: { displayName: true } } },
  });
  const transcript: TranscriptLine[] = messages.reverse().map((m) => ({
    id: m.id,
    direction: m.direction,
    text: m.text ?? describePayload(m.payload),
    at: m.createdAt.toISOString(),
    operator: m.operator?.displayName ?? null,
    conversationId: m.conversationId,
  }));
  const escalations = await db.escalation.findMany({
    where: { clinicId, conversationId, status: { in: ["open", "taken"] } },
    select: { id: true, reason: true, priority: true, status: true, summary: true, slaDueAt: true, operatorId: true },
    orderBy: { id: "asc" },
  });
  const patientId = conversation.patientId ?? conversation.identity.patientId;
  return {
    conversation: {
      id: conversation.id,
      identityId: conversation.identityId,
      status: conversation.status,
      flowId: conversation.flowId,
      channel: conversation.identity.channel,
      holder: conversation.operator ? { id: conversation.operator.id, name: conversation.operator.displayName } : null,
      operatorTakenAt: conversation.operatorTakenAt?.toISOString() ?? null,
      operatorActiveAt: conversation.operatorActiveAt?.toISOString() ?? null,
    },
    escalations: escalations.map((e) => ({ ...e, slaDueAt: e.slaDueAt.toISOString() })),
    transcript,
    patient: patientId ? await patientCard(db, clinicId, patientId, now) : null,
  };
}

/** A message without text as staff read it ("[контакт]", "[кнопка: 9]"). */
export function describePayload(payload: unknown): string | null {
  const p = payload as { type?: string; value?: unknown; phone?: string } | null;
  if (!p?.type) return null;
  if (p.type === "CHOICE" || p.type === "NUMBER") return `[кнопка: ${String(p.value)}]`;
  if (p.type === "CONTACT") return "[контакт]";
  if (p.type === "MEDIA") return "[вложение]";
  return `[${p.type}]`;
}

async function patientCard(db: Db, clinicId: number, patientId: number, now: Date) {
  const patient = await db.patient.findFirst({ where: { id: patientId, clinicId } });
  if (!patient) return null;
  const [visits, followUps, bonus, nps, chats] = await Promise.all([
    db.visit.findMany({ where: { patientId, clinicId }, orderBy: { startsAt: "desc" }, take: 10, select: { id: true, startsAt: true, doctor: true, service: true, status: true } }),
    db.followUp.findMany({ where: { patientId, clinicId, status: "open" }, orderBy: { dueAt: "asc" }, select: { id: true, dueAt: true, service: true, doctor: true, missedAt: true } }),
    bonusSummary(db, patientId, now),
    db.npsResponse.findMany({ where: { patientId, clinicId }, orderBy: { createdAt: "desc" }, take: 10, select: { score: true, comment: true, createdAt: true, doctor: true } }),
    db.channelIdentity.findMany({ where: { patientId, clinicId }, select: { id: true, channel: true, displayName: true, linkedAt: true, unreachableAt: true } }),
  ]);
  return {
    id: patient.id,
    fullName: patient.fullName,
    phone: patient.phone,
    birthDate: patient.birthDate,
    consentAt: patient.consentAt?.toISOString() ?? null,
    optedOutAt: patient.optedOutAt?.toISOString() ?? null,
    visits: visits.map((v) => ({ ...v, startsAt: v.startsAt.toISOString() })),
    followUps: followUps.map((f) => ({ ...f, dueAt: f.dueAt.toISOString(), missedAt: f.missedAt?.toISOString() ?? null })),
    bonus: { balance: bonus.balance, expiringTotal: bonus.expiringTotal, nextExpiry: bonus.nextExpiry?.toISOString() ?? null },
    nps: nps.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    chats: chats.map((c) => ({ ...c, linkedAt: c.linkedAt?.toISOString() ?? null, unreachableAt: c.unreachableAt?.toISOString() ?? null })),
  };
}
