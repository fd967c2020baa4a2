// A visit's own clock. What a visit sets off (its survey, its check-in, its points, the patient's
// last visit) counts from when the visit happened, never from when CareBot heard of it: MIS
// systems often sync hours later, and a clinic loads last year's visits when it starts.

const DAY_MS = 86_400_000;

/**
 * When a completed visit ended: the MIS's completion time, else its end, else its start; never
 * later than `now` (a completion cannot lie in the future, whatever the MIS's clock says).
 */
export function visitEnd(times: { startsAt: Date; endsAt?: Date | null; completedAt?: Date | null }, now: Date): Date {
  const end = times.completedAt ?? times.endsAt ?? times.startsAt;
  return end.getTime() > now.getTime() ? now : end;
}

/** Whether something that happened `at` is more than `days` days before `now`. */
export function olderThanDays(at: Date, days: number, now: Date): boolean {
  return now.getTime() - at.getTime() > days * DAY_MS;
}

/** The instant `days` days before `now`. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
