// A visit as the clinic's MIS reports it, recorded with everything it sets off, in the caller's
// transaction: bonus points, the care check-in and the NPS survey (outbox rows), the recommended
// follow-up, rebooking after a missed visit, and the reversal of a refunded one.
import type { Tx, VisitStatus } from "../../db/client.ts";
import { accrueForVisit, reverseVisit } from "../bonus/ledger.ts";
import { parseClinicSettings } from "../clinic/settings.ts";
import { rewardReferral } from "../referrals/reward.ts";
import { CHECKIN_FLOW, checkinKey, NPS_FLOW, npsKey, queueStartFlow, withdrawPending } from "./care-outbox.ts";
import { intoDaytime, nextMorning, npsDueAt, patientZone } from "./due-times.ts";
import { markFollowUpsMissed, recordFollowUp } from "./follow-ups.ts";
import { queueRebookNudge } from "./rebook-nudge.ts";
import type { RecommendedFollowUp } from "./follow-ups.ts";

export interface VisitInput {
  externalId: string;
  patientExternalId: string;
  doctor: string;
  service: string;
  serviceCategory: string | null;
  isProcedure: boolean;
  /** Minor units (kopecks). */
  amount: number;
  status: VisitStatus;
  startsAt: Date;
  followUp?: RecommendedFollowUp;
}

/** The input cannot be recorded; `field` names the part of it that is wrong. */
export class VisitRefused extends Error {
  override name = "VisitRefused";
  constructor(
    readonly field: keyof VisitInput,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordVisitResult {
  id: number;
  externalId: string;
  status: VisitStatus;
  /** Points the visit earned (0 until it is completed; still shown after a refund reversed them). */
  accrued: number;
  created: boolean;
  /** False when the input changed nothing (a replay). */
  changed: boolean;
  /** Set on the request that completed the visit: the welcome bonus it booked, if any. */
  welcome: number;
  /** Set on the request that refunded the visit: the points taken back. */
  reversed: number;
  /** Set on the request that completed the visit when the patient's referral is pending: the referrals code may reward it. */
  referralQualified: boolean;
  /** Follow-ups marked missed by this request. */
  followUpsMissed: number;
}

/**
 * Which statuses a visit may move to. A completed visit can only be refunded (cancelled); a
 * refunded one is final. Everything else may be corrected by the MIS.
 */
function refusal(from: { status: VisitStatus; completedAt: Date | null }, to: VisitStatus): string | null {
  if (from.status === to) return null;
  if (from.status === "completed" && to !== "cancelled") {
    return `cannot go from completed to ${to}: a completed visit can only be cancelled (refunded)`;
  }
  if (from.status === "cancelled" && from.completedAt !== null) {
    return `cannot go from cancelled to ${to}: the visit was refunded; send the new visit with its own externalId`;
  }
  return null;
}

async function pointsOf(tx: Tx, visitId: number): Promise<number> {
  const sum = await tx.bonusEntry.aggregate({ where: { visitId, kind: "accrual" }, _sum: { amount: true } });
  return sum._sum.amount ?? 0;
}

/**
 * Creates or updates the clinic's visit with this MIS id. Idempotent: replaying the same input
 * changes nothing and returns the same result (with `created: false`). Throws VisitRefused for an
 * unknown patient or a status the visit cannot move to.
 */
export async function recordVisit(tx: Tx, scope: { clinicId: number; now: Date }, input: VisitInput): Promise<RecordVisitResult> {
  const { clinicId, now } = scope;
  const patient = await tx.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId: input.patientExternalId } } });
  if (!patient) throw new VisitRefused("patientExternalId", `no patient "${input.patientExternalId}": send it to POST /api/patients first`);

  const before = await tx.visit.findUnique({ where: { clinicId_externalId: { clinicId, externalId: input.externalId } } });
  if (before && before.patientId !== patient.id) {
    throw new VisitRefused("patientExternalId", `visit "${input.externalId}" is recorded for another patient`);
  }
  if (before) {
    const refused = refusal(before, input.status);
    if (refused) throw new VisitRefused("status", refused);
    // A refund may come with any amount (often 0): the reversal takes back what was booked anyway.
    const repricing = before.amount !== input.amount || before.serviceCategory !== input.serviceCategory;
    if (before.completedAt !== null && input.status === "completed" && repricing) {
      const field = before.amount !== input.amount ? "amount" : "serviceCategory";
      throw new VisitRefused(field, `cannot change: the visit's bonus is booked; cancel the visit (refund) and send a new one`);
    }
  }

  const fields = {
    doctor: input.doctor,
    service: input.service,
    serviceCategory: input.serviceCategory,
    isProcedure: input.isProcedure,
    amount: input.amount,
    status: input.status,
    startsAt: input.startsAt,
  };
  const completing = input.status === "completed" && (before?.completedAt ?? null) === null;
  const completedAt = completing ? now : (before?.completedAt ?? null);
  const differs =
    !before ||
    completing ||
    (Object.keys(fields) as (keyof typeof fields)[]).some((k) => {
      const a = before[k];
      const b = fields[k];
      return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
    });

  const visit = !before
    ? await tx.visit.create({ data: { clinicId, patientId: patient.id, externalId: input.externalId, ...fields, completedAt } })
    : differs
      ? await tx.visit.update({ where: { id: before.id }, data: { ...fields, completedAt } })
      : before;

  const result: RecordVisitResult = {
    id: visit.id,
    externalId: visit.externalId,
    status: visit.status,
    accrued: 0,
    created: !before,
    changed: differs,
    welcome: 0,
    reversed: 0,
    referralQualified: false,
    followUpsMissed: 0,
  };
  const settings = async () => {
    const clinic = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { timezone: true, settings: true } });
    return { timezone: clinic.timezone, settings: parseClinicSettings(clinic.settings) };
  };

  if (completing) {
    const clinic = await settings();
    const zone = patientZone(patient.timezone, clinic.timezone);
    const booked = await accrueForVisit(tx, {
      clinicId,
      patientId: patient.id,
      visit: { id: visit.id, externalId: visit.externalId, amount: visit.amount, serviceCategory: visit.serviceCategory, completedAt: now },
      rules: clinic.settings.bonus,
    });
    result.welcome = booked.welcome;
    if (!patient.lastCompletedVisitAt || patient.lastCompletedVisitAt < now) {
      await tx.patient.update({ where: { id: patient.id }, data: { lastCompletedVisitAt: now } });
    }
    const context = { visitId: visit.id, doctor: visit.doctor, service: visit.service, serviceCategory: visit.serviceCategory };
    const row = { clinicId, patientId: patient.id, category: "care" as const, context };
    if (visit.isProcedure) {
      await queueStartFlow(tx, { ...row, key: checkinKey(visit.id), flowId: CHECKIN_FLOW, dueAt: nextMorning(now, zone) });
    }
    await queueStartFlow(tx, { ...row, key: npsKey(visit.id), flowId: NPS_FLOW, dueAt: npsDueAt(now, clinic.settings.npsDelayMinutes, zone) });
  }

  if (completing) {
    const referral = await tx.referral.findUnique({ where: { refereeId: patient.id }, select: { status: true, clinicId: true } });
    result.referralQualified = referral?.clinicId === clinicId && referral.status === "pending";
    // The referee's first completed visit rewards both sides, once (the ledger's keys see to it).
    if (result.referralQualified) await rewardReferral(tx, { clinicId, refereeId: patient.id, rules: (await settings()).settings.bonus, now });
  }
  if (input.status === "completed" && input.followUp) await recordFollowUp(tx, visit, input.followUp);

  if (input.status === "missed" && before?.status !== "missed") {
    const missed = await markFollowUpsMissed(tx, visit, now);
    result.followUpsMissed = missed.length;
    // A missed visit is offered new times at once (in the patient's daytime); later nudges are the scheduler's.
    if (missed.length > 0) {
      const clinic = await settings();
      const dueAt = intoDaytime(now, patientZone(patient.timezone, clinic.timezone));
      for (const followUpId of missed) await queueRebookNudge(tx, { clinicId, patientId: patient.id, followUpId, dueAt, now });
    }
  }

  if (input.status === "cancelled" && before?.status === "completed") {
    const reversal = await reverseVisit(tx, { clinicId, patientId: patient.id, visitExternalId: visit.externalId, now });
    result.reversed = reversal.reversed;
    await withdrawPending(tx, [checkinKey(visit.id), npsKey(visit.id)], "visit cancelled (refunded)");
    const last = await tx.visit.aggregate({ where: { patientId: patient.id, status: "completed" }, _max: { completedAt: true } });
    await tx.patient.update({ where: { id: patient.id }, data: { lastCompletedVisitAt: last._max.completedAt ?? null } });
  }

  result.accrued = visit.completedAt ? await pointsOf(tx, visit.id) : 0;
  return result;
}
