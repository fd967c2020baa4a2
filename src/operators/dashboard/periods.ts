// The windows the dashboard counts over, all fixed by the injected clock's "now": the last 12
// months on the clinic's calendar (for NPS) and the rolling 30 days before and after now.
import { DateTime } from "luxon";

export const RECENT_DAYS = 30;
export const NPS_MONTHS = 12;

export interface DashboardPeriods {
  now: Date;
  /** The start of each of the last 12 calendar months in the clinic's zone, oldest first. */
  monthStarts: Date[];
  /** "yyyy-MM" of each month, in the same order. */
  monthKeys: string[];
  /** Now minus 30 days: the start of "the last 30 days". */
  recentFrom: Date;
  /** Now plus 30 days: the end of "the next 30 days" (bonus expiry). */
  soonUntil: Date;
}

export function dashboardPeriods(now: Date, timezone: string): DashboardPeriods {
  const thisMonth = DateTime.fromJSDate(now, { zone: timezone }).startOf("month");
  const months = Array.from({ length: NPS_MONTHS }, (_, i) => thisMonth.minus({ months: NPS_MONTHS - 1 - i }));
  return {
    now,
    monthStarts: months.map((m) => m.toJSDate()),
    monthKeys: months.map((m) => m.toFormat("yyyy-MM")),
    recentFrom: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
    soonUntil: new Date(now.getTime() + RECENT_DAYS * 86_400_000),
  };
}
