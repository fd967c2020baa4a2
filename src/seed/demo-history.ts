// The demo clinic's past: what a year of CareBot would have left behind — linked chats, NPS
// answers, reminders sent, escalations handled, a campaign that brought someone back — so the
// dashboard, the console and `carebot campaigns` have something true to show on first start.
import { DateTime } from "luxon";
import type { Prisma, Tx } from "../db/client.ts";
import type { ClinicSettings } from "../domain/clinic/settings.ts";
import { slaDueAt } from "../domain/escalations/sla.ts";
import { npsCategory } from "../domain/nps/category.ts";

export interface HistoryInput {
  clinicId: number;
  operatorId: number;
  settings: ClinicSettings;
  timezone: string;
  now: DateTime;
  random: () => number;
  /** The campaign the demo ran a month ago, and the patient it brought back. */
  campaignId: string;
  cameBackPatientIndex: number;
}

const DETRACTOR_COMMENTS = ["Долго ждал приёма, хотя был записан", "После процедуры до сих пор болит", "Администратор был невнимателен"];
const PASSIVE_COMMENTS = ["В целом хорошо, но дороговато", null, null];
const PROMOTER_COMMENTS = ["Спасибо доктору, всё объяснили!", null, null, null];

export async function seedHistory(tx: Tx, input: HistoryInput): Promise<void> {
  const { clinicId, now, random } = input;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const patients = await tx.patient.findMany({ where: { clinicId }, orderBy: { id: "asc" }, select: { id: true, externalId: true, consentAt: true, optedOutAt: true, lastCompletedVisitAt: true } });

  // Every patient has a linked web chat (`preview-<id>`, the preview's own), so what CareBot
  // sends the demo's patients is readable in /preview.
  const chat = new Map<number, number>();
  for (const p of patients) {
    const identity = await tx.channelIdentity.create({
      data: { clinicId, channel: "web", externalChatId: `preview-${p.id}`, patientId: p.id, linkedAt: p.consentAt, createdAt: p.consentAt ?? now.toJSDate() },
    });
    chat.set(p.id, identity.id);
  }
  const sent = (patientId: number, key: string, category: "care" | "marketing" | "transactional", startFlow: string, at: DateTime, extra: Partial<Prisma.OutboxUncheckedCreateInput> = {}) =>
    tx.outbox.create({
      data: {
        clinicId,
        idempotencyKey: key,
        patientId,
        kind: "start-flow",
        category,
        payload: { startFlow, context: {} },
        dueAt: at.toJSDate(),
        status: "sent",
        attempts: 1,
        sentAt: at.plus({ seconds: 2 }).toJSDate(),
        sentVia: chat.get(patientId) ?? null,
        leaseOwner: "demo-history",
        createdAt: at.minus({ minutes: 1 }).toJSDate(),
        ...extra,
      },
    });

  // NPS and care check-ins after completed visits (not the last few hours': their survey is still due).
  const visits = await tx.visit.findMany({ where: { clinicId, status: "completed", completedAt: { lt: now.minus({ hours: 6 }).toJSDate(), gt: now.minus({ months: 12 }).toJSDate() } }, orderBy: { id: "asc" } });
  const optedOut = new Set(patients.filter((p) => p.optedOutAt).map((p) => p.id));
  for (const visit of visits) {
    if (optedOut.has(visit.patientId)) continue;
    const done = DateTime.fromJSDate(visit.completedAt!, { zone: input.timezone });
    const surveyAt = done.plus({ hours: 2 });
    await sent(visit.patientId, `nps:${visit.id}`, "care", "nps", surveyAt);
    if (visit.isProcedure && done < now.startOf("day")) await sent(visit.patientId, `checkin:${visit.id}`, "care", "care-checkin", done.plus({ days: 1 }).set({ hour: 10, minute: 0 }));
    if (random() > 0.75) continue; // not everyone answers
    const roll = random();
    const score = roll < 0.6 ? 9 + Math.floor(random() * 2) : roll < 0.85 ? 7 + Math.floor(random() * 2) : Math.floor(random() * 7);
    const category = npsCategory(score);
    const answeredAt = surveyAt.plus({ minutes: 5 + Math.floor(random() * 90) });
    const comment = pick(category === "detractor" ? DETRACTOR_COMMENTS : category === "passive" ? PASSIVE_COMMENTS : PROMOTER_COMMENTS);
    await tx.npsResponse.create({
      data: { clinicId, patientId: visit.patientId, visitId: visit.id, score, category, comment, doctor: visit.doctor, service: visit.service, serviceCategory: visit.serviceCategory, createdAt: answeredAt.toJSDate() },
    });
    if (category !== "detractor") continue;
    // Every detractor reached a person; one in three a little later than the SLA allows.
    const priority = comment === "После процедуры до сих пор болит" ? "urgent" : "high";
    const due = slaDueAt(priority, answeredAt.toJSDate(), { sla: input.settings.sla, calendar: input.settings.calendar, timezone: input.timezone });
    const late = random() < 0.33;
    const resolvedAt = late ? DateTime.fromJSDate(due).plus({ minutes: 20 + Math.floor(random() * 120) }) : answeredAt.plus({ minutes: 10 + Math.floor(random() * 15) });
    await tx.escalation.create({
      data: {
        clinicId,
        patientId: visit.patientId,
        identityId: chat.get(visit.patientId) ?? null,
        reason: priority === "urgent" ? "health_complaint" : "nps_detractor",
        priority,
        status: "resolved",
        summary: `Оценка ${score}${comment ? `: «${comment}»` : ""}`,
        slaDueAt: due,
        operatorId: input.operatorId,
        takenAt: resolvedAt.minus({ minutes: 5 }).toJSDate(),
        resolvedAt: resolvedAt.toJSDate(),
        createdAt: answeredAt.toJSDate(),
      },
    });
  }

  // The monthly balance reminders of the two months before this one.
  for (const monthsAgo of [2, 1]) {
    const at = now.minus({ months: monthsAgo }).startOf("month").set({ hour: 11 });
    for (const p of patients) {
      if (optedOut.has(p.id) || random() < 0.3) continue;
      await sent(p.id, `balance:${at.toFormat("yyyy-MM")}:${p.id}`, "marketing", "bonus-balance", at);
    }
  }

  // A month ago the clinic wrote to those who had not come for over half a year: one asked a
  // question, one booked, one came back (and paid).
  const campaignAt = now.minus({ days: 30 }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  const sixMonthsBefore = campaignAt.minus({ months: 6 }).toJSDate();
  const cameBack = patients[input.cameBackPatientIndex]!;
  const sleeping = patients.filter((p) => !optedOut.has(p.id) && p.lastCompletedVisitAt && (p.lastCompletedVisitAt < sixMonthsBefore || p.id === cameBack.id));
  for (const p of sleeping) {
    await sent(p.id, `campaign:${input.campaignId}:${p.id}`, "marketing", "reactivation", campaignAt, { campaignId: input.campaignId, payload: { startFlow: "reactivation", context: { campaignId: input.campaignId } } });
  }
  const [asked, booked] = sleeping.filter((p) => p.id !== cameBack.id);
  if (asked) {
    await tx.message.create({ data: { clinicId, identityId: chat.get(asked.id)!, direction: "inbound", text: "Здравствуйте! А скидка на чистку действует для пенсионеров?", createdAt: campaignAt.plus({ hours: 3 }).toJSDate() } });
  }
  if (booked) {
    const slot = await tx.slot.findFirst({ where: { clinicId, status: "free" }, orderBy: { startsAt: "asc" } });
    if (slot) {
      await tx.slot.update({ where: { id: slot.id }, data: { status: "booked" } });
      await tx.appointment.create({ data: { clinicId, patientId: booked.id, slotId: slot.id, createdAt: campaignAt.plus({ days: 1 }).toJSDate() } });
    }
  }
}
