// A visit as the clinic's MIS reports it, recorded with everything it sets off, in the caller's
// transaction: bonus points, the care check-in and the NPS survey (outbox rows), the recommended
// follow-up, rebooking after a missed visit, and the reversal of a refunded one. All of it runs
// on the visit's own clock (visit-time.ts); a history import records the facts and starts nothing.
import type { Tx, VisitStatus } from "../../db/client.ts";
import { syncVisitAppointment } from "../appointments/visit-appointment.ts";
import { accrueForVisit, redateVisitCredits, reverseVisit } from "../bonus/ledger.ts";
import { parseClinicSettings } from "../clinic/settings.ts";
import { recalculateLevel, rulesInForce } from "../loyalty/levels/index.ts";
import { rewardReferral } from "../referrals/reward.ts";
import { planVisitCare } from "./care-messages.ts";
import type { StaleKind } from "./care-messages.ts";
import { checkinKey, npsKey, placeStartFlow, REBOOK_FLOW, staleFollowUpKey, tooOldReason, withdrawPending } from "./care-outbox.ts";
import { intoDaytime, patientZone } from "./due-times.ts";
import { markFollowUpsMissed, recordFollowUp } from "./follow-ups.ts";
import { queueRebookNudge } from "./rebook-nudge.ts";
import type { VisitInput } from "./visit-input.ts";
import { visitChanges } from "./visit-changes.ts";
import { olderThanDays, visitEnd } from "./visit-time.ts";

export type { VisitInput } from "./visit-input.ts";

export interface RecordScope {
  clinicId: number;
  /** When CareBot hears of the visit: only what is too old is measured against it. */
  now: Date;
  /** A history import: the visit, its points and the patient's facts, and no conversation at all. */
  history?: boolean;
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
  /** The posting is older (by the MIS's `updatedAt`) than the state recorded: it changed nothing. */
  outdated: boolean;
  /** What this posting would have started but skipped as too old (the clinic's `staleAfterDays`). */
  skippedTooOld: StaleKind[];
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
 * changes nothing and returns the same result (with `created: false`). A posting whose MIS
 * `updatedAt` is older than the recorded state's changes nothing (`outdated`). Throws
 * VisitRefused for an unknown patient or a status the visit cannot move to.
 */
export async function recordVisit(tx: Tx, scope: RecordScope, input: VisitInput): Promise<RecordVisitResult> {
  const { clinicId, now } = scope;
  const history = scope.history ?? false;
  const patient = await tx.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId: input.patientExternalId } } });
  if (!patient) throw new VisitRefused("patientExternalId", `no patient "${input.patientExternalId}": send it to POST /api/patients first`);

  const before = await tx.visit.findUnique({ where: { clinicId_externalId: { clinicId, externalId: input.externalId } } });
  if (before && before.patientId !== patient.id) {
    throw new VisitRefused("patientExternalId", `visit "${input.externalId}" is recorded for another patient`);
  }
  const result: RecordVisitResult = {
    id: before?.id ?? 0,
    externalId: input.externalId,
    status: before?.status ?? input.status,
    accrued: 0,
    created: !before,
    changed: false,
    welcome: 0,
    reversed: 0,
    referralQualified: false,
    followUpsMissed: 0,
    outdated: false,
    skippedTooOld: [],
  };
  // The MIS's own order wins over the order of arrival: a posting older than the recorded state
  // (a completion arriving after its cancellation) is acknowledged and changes nothing.
  if (before && input.updatedAt && before.misUpdatedAt && input.updatedAt < before.misUpdatedAt) {
    result.outdated = true;
    result.accrued = before.completedAt ? await pointsOf(tx, before.id) : 0;
    return result;
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

  const { fields, ended, completing, retimed, completedAt, differs } = visitChanges(before, input, now);
  const data = { ...fields, completedAt, ...(completing ? { history } : {}) };

  const visit = !before
    ? await tx.visit.create({ data: { clinicId, patientId: patient.id, externalId: input.externalId, ...data } })
    : differs
      ? await tx.visit.update({ where: { id: before.id }, data })
      : before;
  result.id = visit.id;
  result.status = visit.status;
  result.changed = differs;

  let loaded: { timezone: string; settings: ReturnType<typeof parseClinicSettings> } | null = null;
  const clinic = async () => {
    if (!loaded) {
      const row = await tx.clinic.findUniqueOrThrow({ where: { id: clinicId }, select: { timezone: true, settings: true } });
      loaded = { timezone: row.timezone, settings: parseClinicSettings(row.settings) };
    }
    return loaded;
  };
  const zone = async () => patientZone(patient.timezone, (await clinic()).timezone);
  const lastCompletedFromVisits = async () => {
    const last = await tx.visit.aggregate({ where: { patientId: patient.id, status: "completed" }, _max: { completedAt: true } });
    await tx.patient.update({ where: { id: patient.id }, data: { lastCompletedVisitAt: last._max.completedAt ?? null } });
  };
  const careOf = (at: Date) => ({ id: visit.id, doctor: visit.doctor, service: visit.service, serviceCategory: visit.serviceCategory, isProcedure: visit.isProcedure, completedAt: at });

  if (completing) {
    const { settings } = await clinic();
    const booked = await accrueForVisit(tx, {
      clinicId,
      patientId: patient.id,
      visit: { id: visit.id, externalId: visit.externalId, amount: visit.amount, serviceCategory: visit.serviceCategory, completedAt: ended },
      // The level in force when the visit is posted; the visit itself counts towards the next one.
      rules: await rulesInForce(tx, patient.id, settings.bonus),
      now,
    });
    result.welcome = booked.welcome;
    await recalculateLevel(tx, { clinicId, patientId: patient.id, rules: settings.bonus, at: ended, now, ...(history ? {} : { messageDueAt: intoDaytime(now, await zone()) }) });
    // The latest visit's time: an older visit posted later never moves it back.
    if (!patient.lastCompletedVisitAt || patient.lastCompletedVisitAt < ended) {
      await tx.patient.update({ where: { id: patient.id }, data: { lastCompletedVisitAt: ended } });
    }
    if (!history) result.skippedTooOld = await planVisitCare(tx, { clinicId, patientId: patient.id, zone: await zone(), visit: careOf(ended), settings, now });

    const referral = await tx.referral.findUnique({ where: { refereeId: patient.id }, select: { status: true, clinicId: true } });
    result.referralQualified = referral?.clinicId === clinicId && referral.status === "pending";
    // The referee's first completed visit rewards both sides, once (the ledger's keys see to it).
    if (result.referralQualified) await rewardReferral(tx, { clinicId, refereeId: patient.id, rules: settings.bonus, now: ended });
  }

  if (retimed) {
    const { settings } = await clinic();
    await redateVisitCredits(tx, { clinicId, patientId: patient.id, visitId: visit.id, at: ended, rules: settings.bonus, now });
    await lastCompletedFromVisits();
    // A visit the history brought in stays history: a corrected time starts nothing either.
    if (!history && !visit.history) result.skippedTooOld = await planVisitCare(tx, { clinicId, patientId: patient.id, zone: await zone(), visit: careOf(ended), settings, now });
  }
  if (input.status === "completed" && input.followUp) await recordFollowUp(tx, visit, input.followUp);

  // A missed visit in a history import is a fact only: nobody is offered new times for it.
  if (input.status === "missed" && before?.status !== "missed" && !history) {
    const missedAt = visitEnd({ startsAt: visit.startsAt }, now);
    const missed = await markFollowUpsMissed(tx, visit, missedAt);
    result.followUpsMissed = missed.length;
    // A missed visit is offered new times at once (in the patient's daytime); later nudges are the
    // scheduler's. One missed long ago is not: the nudge is skipped as too old, and counted.
    if (missed.length > 0) {
      const { settings } = await clinic();
      const dueAt = intoDaytime(now, await zone());
      const maxDays = settings.staleAfterDays.followUp;
      for (const followUpId of missed) {
        if (olderThanDays(missedAt, maxDays, now)) {
          const reason = tooOldReason(`the visit was missed ${missedAt.toISOString()}, more than ${maxDays} days before it was posted`);
          const row = { clinicId, patientId: patient.id, key: staleFollowUpKey(followUpId), flowId: REBOOK_FLOW, category: "transactional" as const, context: { followUpId }, dueAt };
          await placeStartFlow(tx, row, reason, now);
          if (!result.skippedTooOld.includes("followup")) result.skippedTooOld.push("followup");
        } else {
          await queueRebookNudge(tx, { clinicId, patientId: patient.id, followUpId, dueAt, now });
        }
      }
    }
  }

  if (input.status === "cancelled" && before?.status === "completed") {
    const reversal = await reverseVisit(tx, { clinicId, patientId: patient.id, visitExternalId: visit.externalId, now });
    result.reversed = reversal.reversed;
    await withdrawPending(tx, [checkinKey(visit.id), npsKey(visit.id)], "visit cancelled (refunded)");
    await lastCompletedFromVisits();
  }

  // A scheduled visit is an appointment (reminders, confirm, cancel, move); history starts none.
  if (differs && !history) await syncVisitAppointment(tx, { clinicId, visitId: visit.id, now });

  result.accrued = visit.completedAt ? await pointsOf(tx, visit.id) : 0;
  return result;
}
