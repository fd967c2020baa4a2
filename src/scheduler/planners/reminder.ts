import { DateTime } from "luxon";
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
            return planStartFlows({
              ctx,
              category: "care",
              // Driven by the slots of the next days (Slot's index on clinic and start), not by every appointment.
              from: (s) => `"Slot" s JOIN "Appointment" a ON a."slotId" = s."id" JOIN "Patient" p ON p."id" = a."patientId"
                WHERE s."clinicId" = ${s.value(ctx.clinicId)} AND s."startsAt" > ${s.time(ctx.now)} AND s."startsAt" < ${s.time(bands.at(-1)!.before)}
                  AND a."status" = 'booked' AND ${inZone(s)}`,
              key: (s) => {
                const which = bands.map((b) => `WHEN s."startsAt" < ${s.time(b.before)} THEN ${s.text(b.id)}`).join(" ");
                return `${s.text(VISIT_REMINDER_PREFIX)} || a."id" || ${s.text(":")} || (CASE ${which} END)`;
              },
              context: () => [["appointmentId", `a."id"`]],
              holds: [
                ["quietHours", (s) => (params.quiet ? `${s.int(1)} = ${s.int(1)}` : `${s.int(1)} = ${s.int(0)}`)],
                ["justBooked", (s) => `a."createdAt" > ${s.time(new Date(ctx.now.getTime() - JUST_BOOKED_MS))}`],
              ],
              orderBy: `s."startsAt", a."id"`,
            });
          },
        );
  const calls = await planUnconfirmedCalls(ctx);
  const base = reminders ?? { planned: 0, skipped: 0, alreadyQueued: 0, counts: { candidates: 0, optedOut: 0, noReachableChat: 0 }, samplePatientIds: [] };
  return addResults(base, { planned: 0, skipped: 0, alreadyQueued: 0, counts: { callsForStaff: calls }, samplePatientIds: [] });
}
