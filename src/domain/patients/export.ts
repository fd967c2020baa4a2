// A data subject's request to see their data (152-FZ art. 14): everything CareBot keeps about one
// patient, as one JSON-ready document.
import type { Tx } from "../../db/client.ts";

export async function exportPatient(db: Tx, clinicId: number, patientId: number) {
  const patient = await db.patient.findFirst({ where: { id: patientId, clinicId } });
  if (!patient) return null;
  const identities = await db.channelIdentity.findMany({ where: { patientId }, orderBy: { id: "asc" } });
  const identityIds = identities.map((i) => i.id);
  const mine = { OR: [{ patientId }, { identityId: { in: identityIds } }] };
  return {
    patient,
    identities,
    consents: await db.consent.findMany({ where: { patientId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    visits: await db.visit.findMany({ where: { patientId }, orderBy: { startsAt: "asc" } }),
    followUps: await db.followUp.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    appointments: await db.appointment.findMany({ where: { patientId }, include: { slot: { select: { doctor: true, service: true, startsAt: true } } }, orderBy: { id: "asc" } }),
    waitlist: await db.waitlistEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    bonusAccount: await db.bonusAccount.findUnique({ where: { patientId } }),
    ledger: await db.bonusEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    npsResponses: await db.npsResponse.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
    referrals: await db.referral.findMany({ where: { OR: [{ referrerId: patientId }, { refereeId: patientId }] }, orderBy: { id: "asc" } }),
    conversations: await db.conversation.findMany({
      where: mine,
      select: { id: true, identityId: true, flowId: true, flowVersion: true, status: true, startedAt: true, closedAt: true },
      orderBy: { id: "asc" },
    }),
    messages: await db.message.findMany({ where: { identityId: { in: identityIds } }, orderBy: { id: "asc" } }),
    escalations: await db.escalation.findMany({ where: mine, orderBy: { id: "asc" } }),
    outbox: await db.outbox.findMany({
      where: mine,
      select: { id: true, kind: true, category: true, campaignId: true, status: true, dueAt: true, sentAt: true, lastError: true, payload: true },
      orderBy: { id: "asc" },
    }),
  };
}
