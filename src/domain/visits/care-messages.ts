// The conversations a completed visit starts, on the visit's own clock: the NPS survey
// `npsDelayMinutes` after it ended and the next-day check-in after a procedure, each moved into
// the patient's daytime, or skipped as too old when the visit reached CareBot too late.
import type { Tx } from "../../db/client.ts";
import type { ClinicSettings } from "../clinic/settings.ts";
import { CHECKIN_FLOW, checkinKey, NPS_FLOW, npsKey, placeStartFlow, tooOldReason } from "./care-outbox.ts";
import { intoDaytime, nextMorning, npsDueAt } from "./due-times.ts";
import { olderThanDays } from "./visit-time.ts";

/** What a visit's posting may skip as too old, as the API and the dashboard name it. */
export type StaleKind = "nps" | "checkin" | "followup";

export interface CompletedVisit {
  id: number;
  doctor: string;
  service: string;
  serviceCategory: string | null;
  isProcedure: boolean;
  completedAt: Date;
}

/**
 * Queues (or re-dates, after a corrected time) the survey and the check-in of a completed visit.
 * A due time already past goes out at once, within the patient's daytime. Returns the kinds
 * skipped as too old.
 */
export async function planVisitCare(
  tx: Tx,
  input: { clinicId: number; patientId: number; zone: string; visit: CompletedVisit; settings: ClinicSettings; now: Date },
): Promise<StaleKind[]> {
  const { visit, zone, settings, now } = input;
  const context = { visitId: visit.id, doctor: visit.doctor, service: visit.service, serviceCategory: visit.serviceCategory };
  const messages: { kind: StaleKind; key: string; flowId: string; dueAt: Date; maxDays: number }[] = [];
  if (visit.isProcedure) {
    messages.push({ kind: "checkin", key: checkinKey(visit.id), flowId: CHECKIN_FLOW, dueAt: nextMorning(visit.completedAt, zone), maxDays: settings.staleAfterDays.checkin });
  }
  messages.push({ kind: "nps", key: npsKey(visit.id), flowId: NPS_FLOW, dueAt: npsDueAt(visit.completedAt, settings.npsDelayMinutes, zone), maxDays: settings.staleAfterDays.nps });

  const skipped: StaleKind[] = [];
  for (const m of messages) {
    const stale = olderThanDays(visit.completedAt, m.maxDays, now);
    if (stale) skipped.push(m.kind);
    const dueAt = m.dueAt < now ? intoDaytime(now, zone) : m.dueAt;
    const reason = stale ? tooOldReason(`the visit ended ${visit.completedAt.toISOString()}, more than ${m.maxDays} days before it was posted`) : null;
    await placeStartFlow(tx, { clinicId: input.clinicId, patientId: input.patientId, key: m.key, flowId: m.flowId, category: "care", context, dueAt }, reason, now);
  }
  return skipped;
}
