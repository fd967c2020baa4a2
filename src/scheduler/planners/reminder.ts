import { DateTime } from "luxon";
import { expressionBuilder } from "kysely";
import { concat, text, time } from "../../db/kysely/index.ts";
import type { ReminderOffset } from "../../domain/clinic/settings.ts";
import { VISIT_REMINDER_PREFIX } from "../../domain/appointments/keys.ts";
import { quietUntil } from "../../outbox/rules.ts";
import { addResults, byPatientZone, planStartFlows } from "../plan.ts";
import type { PlanContext, PlanResult } from "../plan.ts";
import { planUnconfirmedCalls } from "./unconfirmed-calls.ts";

/** "d1-1200" (a day before at 12:00), "h2" (two hours before): the offset's part of the key. */
export function offsetId(offset: ReminderOffset): string {
  return "hoursBefore" in offset ? `h${offset.hoursBefore}` : `d${offset.daysBefore}-${offset.at.replace(":", "")}`;
}

/** A booking made this recently was just confirmed in the chat: its reminder waits a little. */
const JUST_BOOKED_MS = 2 * 3_600_000;

/**
 * Which reminder is due for a visit starting before each bound, in one zone: an offset's reminder
 * is due once its moment has come (`hoursBefore`: the visit starts within that many hours;
 * `daysBefore` at `at`: that local time has passed on the day that many days before the visit's
 * day). A visit gets the reminder of the nearest offset whose moment has come, so one that was
 * missed (the visit was booked late, quiet hours, an outage) is not sent after a later one.
 * Sorted by bound: a visit starting before `bands[0].before` gets `bands[0]`'s reminder, and so on.
 */
export function reminderBands(now: Date, zone: string, offsets: ReminderOffset[]): { id: string; before: Date }[] {
  const local = DateTime.fromJSDate(now, { zone });
  const bands = offsets.map((offset) => {
    // Inclusive: a visit at 15:00 gets its two-hour reminder at 13:00 sharp (bounds compare with <).
    if ("hoursBefore" in offset) return { id: offsetId(offset), before: new Date(now.getTime() + offset.hoursBefore * 3_600_000 + 1) };
    const [h, m] = offset.at.split(":").map(Number);
    const todayAt = local.set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
    // The latest day whose reminder moment has passed; its visits are `daysBefore` days later.
    const lastDay = (todayAt <= local ? local : local.minus({ days: 1 })).startOf("day");
    return { id: offsetId(offset), before: lastDay.plus({ days: offset.daysBefore + 1 }).toJSDate() };
  });
  return bands.sort((a, b) => a.before.getTime() - b.before.getTime());
}

/**
 * Reminders before visits (`visit-reminder:<appointment>:<offset>`): booked appointments (from
 * the chat, or scheduled visits the MIS posted) still ahead, at the clinic's offsets in the
 * patient's time zone, never in their quiet hours. Each reminder once; none for an appointment
 * cancelled or moved (it is no longer booked). Care: respects opt-out. Then the staff's calls for
 * visits still unconfirmed at the cut-off.
 */
export async function planReminder(ctx: PlanContext): Promise<PlanResult> {
  const { offsets } = ctx.settings.visitReminders;
  const reminders =
    offsets.length === 0
      ? null
      : await byPatientZone(
          ctx,
          (zone) => ({
            bands: reminderBands(ctx.now, zone, offsets).map((b) => ({ id: b.id, before: b.before.toISOString() })),
            quiet: quietUntil(ctx.now, zone, ctx.settings.quietHours) !== null,
          }),
          (params, inZone) => {
            const bands = params.bands.map((b) => ({ id: b.id, before: new Date(b.before) }));
            // Driven by the slots of the next days (Slot's index on clinic and start), not by every appointment.
            const candidates = ctx.q
              .selectFrom("Slot as s")
              .innerJoin("Appointment as a", "a.slotId", "s.id")
              .innerJoin("Patient as p", "p.id", "a.patientId")
              .where("s.clinicId", "=", ctx.clinicId)
              .where("s.startsAt", ">", ctx.now)
              .where("s.startsAt", "<", bands.at(-1)!.before)
              .where("a.status", "=", "booked")
              .where(inZone);
            const eb = expressionBuilder(candidates);
            // The band of the visit's start: the nearest offset whose moment has come.
            const [first, ...rest] = bands;
            let band = eb.case().when("s.startsAt", "<", time(ctx.q.provider, first!.before)).then(text(first!.id));
            for (const b of rest) band = band.when("s.startsAt", "<", time(ctx.q.provider, b.before)).then(text(b.id));
            return planStartFlows({
              ctx,
              category: "care",
              candidates,
              key: concat(text(VISIT_REMINDER_PREFIX), eb.ref("a.id"), text(":"), band.end()),
              context: [["appointmentId", eb.ref("a.id")]],
              holds: [
                ["quietHours", eb.lit(params.quiet)],
                ["justBooked", eb("a.createdAt", ">", new Date(ctx.now.getTime() - JUST_BOOKED_MS))],
              ],
              orderBy: [eb.ref("s.startsAt"), eb.ref("a.id")],
              // A child's or an elderly parent's visit: the reminder goes to their guardian's chat.
              throughGuardians: true,
            });
          },
        );
  const calls = await planUnconfirmedCalls(ctx);
  const base = reminders ?? { planned: 0, skipped: 0, alreadyQueued: 0, counts: { candidates: 0, optedOut: 0, noReachableChat: 0 }, samplePatientIds: [] };
  return addResults(base, { planned: 0, skipped: 0, alreadyQueued: 0, counts: { callsForStaff: calls }, samplePatientIds: [] });
}
