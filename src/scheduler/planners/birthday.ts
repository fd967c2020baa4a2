import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import type { Expression } from "kysely";
import { concat, text } from "../../db/kysely/index.ts";
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
    (days, inZone) => {
      const candidates = ctx.q
        .selectFrom("Patient as p")
        .where("p.clinicId", "=", ctx.clinicId)
        .where(
          "p.birthMonthDay",
          "in",
          days.map((d) => d.monthDay),
        )
        .where(inZone);
      const eb = expressionBuilder(candidates);
      // The birthday's year by the patient's month and day (`days` has one year per day).
      const yearOf = <T>(value: (d: BirthdayDay) => Expression<T>) => {
        const [first, ...rest] = days;
        let which = eb.case(eb.ref("p.birthMonthDay")).when(first!.monthDay).then(value(first!));
        for (const d of rest) which = which.when(d.monthDay).then(value(d));
        return which.end();
      };
      return planStartFlows({
        ctx,
        category: "marketing",
        candidates,
        // The birthday's own year travels to the flow: a gift for 30 December greeted on
        // 2 January is still that year's gift, not next year's.
        context: [["birthdayYear", yearOf((d) => eb.lit(Math.trunc(d.year)))]],
        key: concat(text("birthday:"), yearOf((d) => text(String(d.year))), text(":"), eb.ref("p.id")),
        // «Поздравляем Мишу с днём рождения!» in their guardian's chat; the ward's advertising
        // consent (given by the guardian) decides when it is sent, like anyone's.
        throughGuardians: true,
      });
    },
  );
}
