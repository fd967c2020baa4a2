import { Duration } from "luxon";

/**
 * A delay as clinics write it in a flow's `after`: milliseconds ("60000") or an ISO-8601
 * duration ("PT2H", "P1D"). Returns milliseconds, or null when it is neither.
 */
export function parseDelay(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const duration = Duration.fromISO(text);
  if (!duration.isValid) return null;
  const ms = duration.as("milliseconds");
  return ms > 0 ? ms : null;
}
