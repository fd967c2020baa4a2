import { DateTime } from "luxon";
import { byPatientZone, planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";

export interface BirthdayDay {
  /** month * 100 + day, as Patient.birthMonthDay. */
  monthDay: number;
  /** The year of that birthday: the key's, so a birthday greeted late is still greeted once. */
  year: number;
}

/**
 * The birthdays a patient living in `zone` may be greeted for today: from `daysAfter` days ago
 * (the service was down on the day) to `daysBefore` days ahead (a clinic that greets early).
 * 29 February birthdays count on 28 February in years without one.
 */
export function birthdayDays(now: Date, zone: string, window: { daysBefore: number; daysAfter: number }): BirthdayDay[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const days: BirthdayDay[] = [];
  for (let offset = -window.daysAfter; offset <= window.daysBefore; offset++) {
    const date = today.plus({ days: offset });
    days.push({ monthDay: date.month * 100 + date.day, year: date.year });
    if (date.month === 2 && date.day === 28 && !date.isInLeapYear) days.push({ monthDay: 229, year: date.year });
  }
  return days;
}

/**
 * Birthday greetings (`birthday:<yyyy>:<patientId>`): on the day, on the patient's own calendar
 * (their time zone where set), or within `birthdayWindow.daysAfter` days if the day was missed.
 * One statement pair per group of zones that share today's date. Marketing.
 */
export function planBirthday(ctx: PlanContext): Promise<PlanResult> {
  return byPatientZone(
    ctx,
    (zone) => birthdayDays(ctx.now, zone, ctx.settings.birthdayWindow),
    (days, inZone) =>
      planStartFlows({
        ctx,
        category: "marketing",
        from: (s) => `"Patient" p
          WHERE p."clinicId" = ${s.value(ctx.clinicId)} AND p."birthMonthDay" IN (${s.list(days.map((d) => d.monthDay))}) AND ${inZone(s)}`,
        // The birthday's own year travels to the flow: a gift for 30 December greeted on
        // 2 January is still that year's gift, not next year's.
        context: (s) => [["birthdayYear", `(CASE p."birthMonthDay" ${days.map((d) => `WHEN ${s.value(d.monthDay)} THEN ${Math.trunc(d.year)}`).join(" ")} END)`]],
        key: (s) => {
          const year = days.map((d) => `WHEN ${s.value(d.monthDay)} THEN ${s.text(String(d.year))}`).join(" ");
          return `${s.text("birthday:")} || (CASE p."birthMonthDay" ${year} END) || ${s.text(":")} || p."id"`;
        },
      }),
  );
}
