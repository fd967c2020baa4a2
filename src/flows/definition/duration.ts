import { Duration } from "luxon";

/**
 * A delay as clinics write it in a flow's `after`: an ISO-8601 duration ("PT30M", "PT2H", "P1D").
 * Returns milliseconds, or null when it is not one. (Flow format 1 also allowed milliseconds,
 * "60000"; reading such a file turns them into durations: src/flows/definition/format.ts.)
 */
export function parseDelay(text: string): number | null {
  const duration = Duration.fromISO(text);
  if (!duration.isValid) return null;
  const ms = duration.as("milliseconds");
  return ms > 0 ? ms : null;
}
