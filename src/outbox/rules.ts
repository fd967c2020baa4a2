import { DateTime } from "luxon";

/** "HH:MM" → minutes after midnight. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/**
 * When marketing may be sent again if `now` falls in the quiet hours of the patient's time zone
 * (default 21:00–09:00, across midnight), or null when it may go now.
 */
export function quietUntil(now: Date, zone: string, quiet: { start: string; end: string }): Date | null {
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return null;
  const local = DateTime.fromJSDate(now, { zone });
  const at = local.hour * 60 + local.minute;
  const inQuiet = start < end ? at >= start && at < end : at >= start || at < end;
  if (!inQuiet) return null;
  let until = local.startOf("day").plus({ minutes: end });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}

/** When the next marketing message may go, given the last one sent to the patient, or null when it may go now. */
export function capUntil(now: Date, lastMarketingSentAt: Date | null, capDays: number): Date | null {
  if (!lastMarketingSentAt || capDays <= 0) return null;
  const until = new Date(lastMarketingSentAt.getTime() + capDays * 86_400_000);
  return until > now ? until : null;
}
