// Everything the clinic knows of one patient, for the patient card: visits and plans, points and
// their ledger, ratings, consents, chats, conversations, escalations and the latest messages.
import type { Db, Prisma } from "../../db/client.ts";
import { bonusSummary } from "../bonus/summary.ts";
import { currentConsents } from "../consents/current.ts";

/** How many of each list the card shows (newest first). */
export const CARD_LIST_LIMIT = 20;

/** A message an operator wrote, with what became of it in the outbox. */
export type DeliveryState =
  | { state: "waiting"; dueAt: Date }
  | { state: "sent"; at: Date | null }
  | { state: "skipped"; reason: string | null }
  | { state: "failed"; reason: string | null };

/** `scope`: the patients the asker may see (a branch's: patients-of.ts); another is as if not there (null). */
export async function loadPatientCard(db: Db, clinicId: number, patientId: number, now: Date, scope: Prisma.PatientWhereInput = {}) {
  const patient = await db.patient.findFirst({ where: { id: patientId, clinicId, AND: [scope] } });
  if (!patient) return null;
  const where = { patientId, clinicId };
  const take = CARD_LIST_LIMIT;
  const [identities, visits, followUps, appointments, bonus, ledger, nps, conversations, escalations] = await Promise.all([
    db.channelIdentity.findMany({ where, orderBy: { id: "asc" }, select: { id: true, channel: true, displayName: true, linkedAt: true, lastInboundAt: true, unreachableAt: true, unreachableReason: true } }),
    db.visit.findMany({ where, orderBy: { startsAt: "desc" }, take, select: { id: true, startsAt: true, doctor: true, service: true, status: true } }),
    db.followUp.findMany({ where, orderBy: { dueAt: "desc" }, take, select: { id: true, dueAt: true, service: true, doctor: true, status: true, missedAt: true } }),
    db.appointment.findMany({
      where,
      orderBy: { slot: { startsAt: "desc" } },
      take,
      select: { id: true, status: true, confirmedAt: true, slot: { select: { startsAt: true, doctor: true, service: true } } },
    }),
    bonusSummary(db, patientId, now),
    db.bonusEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select: { id: true, kind: true, amount: true, createdAt: true, expiresAt: true, note: true } }),
    db.npsResponse.findMany({ where, orderBy: { createdAt: "desc" }, take, select: { id: true, score: true, category: true, comment: true, doctor: true, createdAt: true } }),
    db.conversation.findMany({
      where: { clinicId, OR: [{ patientId }, { identity: { patientId } }] },
      orderBy: { id: "desc" },
      take,
      select: { id: true, flowId: true, status: true, startedAt: true, closedAt: true, identity: { select: { channel: true } }, operator: { select: { displayName: true } } },
    }),
    db.escalation.findMany({ where, orderBy: { id: "desc" }, take, select: { id: true, reason: true, priority: true, status: true, summary: true, createdAt: true, conversationId: true } }),
  ]);
  const identityIds = identities.map((i) => i.id);
  const [lastMessages, messages] = await Promise.all([
    Promise.all(
      conversations.map((c) =>
        db.message.findFirst({ where: { conversationId: c.id, direction: { not: "note" } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { text: true, createdAt: true, direction: true } }),
      ),
    ),
    identityIds.length
      ? db.message.findMany({
          where: { clinicId, identityId: { in: identityIds }, direction: { not: "note" } },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take,
          select: { id: true, direction: true, text: true, payload: true, createdAt: true, conversationId: true, identityId: true, operator: { select: { displayName: true } } },
        })
      : [],
  ]);
  const deliveries = await deliveryOf(
    db,
    messages.filter((m) => m.operator).map((m) => m.id),
  );
  return {
    patient: {
      id: patient.id,
      fullName: patient.fullName,
      birthDate: patient.birthDate,
      phone: patient.phone,
      consentAt: patient.consentAt,
      consentSource: patient.consentSource,
      optedOutAt: patient.optedOutAt,
      optOutSource: patient.optOutSource,
      // The consents in force, one per kind (src/domain/consents).
      consents: await currentConsents(db, patient.id),
      // Family ties (src/domain/families): whom they look after, who looks after them.
      family: await familyOf(db, patient.id),
      preferredChannel: patient.preferredChannel,
      // The MIS's labels for the patient (segments and campaigns select by them).
      tags: Array.isArray(patient.tags) ? patient.tags.filter((tag): tag is string => typeof tag === "string") : [],
      timezone: patient.timezone,
    },
    identities: identities.map((i) => ({ ...i, reachable: i.unreachableAt === null && i.channel !== "web" })),
    visits,
    followUps,
    appointments: appointments.map((a) => ({ id: a.id, status: a.status, confirmedAt: a.confirmedAt, startsAt: a.slot.startsAt, doctor: a.slot.doctor, service: a.slot.service })),
    bonus: { balance: bonus.balance, expiringTotal: bonus.expiringTotal, nextExpiry: bonus.nextExpiry },
    ledger,
    nps,
    conversations: conversations.map((c, n) => ({
      id: c.id,
      flowId: c.flowId,
      status: c.status,
      channel: c.identity.channel,
      startedAt: c.startedAt,
      closedAt: c.closedAt,
      holder: c.operator?.displayName ?? null,
      lastMessage: lastMessages[n] ?? null,
    })),
    escalations,
    messages: messages.reverse().map((m) => ({
      id: m.id,
      direction: m.direction,
      text: m.text,
      payload: m.payload,
      at: m.createdAt,
      conversationId: m.conversationId,
      channel: identities.find((i) => i.id === m.identityId)?.channel ?? null,
      operator: m.operator?.displayName ?? null,
      delivery: deliveries.get(m.id) ?? null,
    })),
  };
}

export type PatientCard = NonNullable<Awaited<ReturnType<typeof loadPatientCard>>>;

/** Each message's outbox row is keyed "msg:<message id>" (src/flows/runtime/step.ts queueMessage). */
async function deliveryOf(db: Db, messageIds: number[]): Promise<Map<number, DeliveryState>> {
  const states = new Map<number, DeliveryState>();
  if (messageIds.length === 0) return states;
  const rows = await db.outbox.findMany({
    where: { idempotencyKey: { in: messageIds.map((id) => `msg:${id}`) } },
    select: { idempotencyKey: true, status: true, dueAt: true, sentAt: true, lastError: true },
  });
  for (const row of rows) {
    const id = Number(row.idempotencyKey.slice("msg:".length));
    if (row.status === "pending" || row.status === "sending") states.set(id, { state: "waiting", dueAt: row.dueAt });
    else if (row.status === "sent") states.set(id, { state: "sent", at: row.sentAt });
    else if (row.status === "skipped") states.set(id, { state: "skipped", reason: row.lastError });
    else states.set(id, { state: "failed", reason: row.lastError });
  }
  return states;
}

/** The patient's family ties by name, for the card: the people they look after and their guardians. */
async function familyOf(db: Db, patientId: number) {
  const [wards, guardians] = await Promise.all([
    db.guardianship.findMany({ where: { guardianId: patientId }, orderBy: { wardId: "asc" }, select: { relation: true, ward: { select: { id: true, fullName: true } } } }),
    db.guardianship.findMany({ where: { wardId: patientId }, orderBy: { guardianId: "asc" }, select: { relation: true, guardian: { select: { id: true, fullName: true } } } }),
  ]);
  return { wards: wards.map((w) => ({ ...w.ward, relation: w.relation })), guardians: guardians.map((g) => ({ ...g.guardian, relation: g.relation })) };
}
