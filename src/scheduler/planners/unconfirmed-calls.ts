import { calendarOfBranch, storedBranchCalendar } from "../../domain/branches/calendar.ts";
import type { WorkingCalendar } from "../../domain/clinic/calendar.ts";
import { slaDueAt } from "../../domain/escalations/sla.ts";
import { VISIT_REMINDER_PREFIX } from "../../domain/appointments/keys.ts";
import { concat, earlierOf, enumValue, jsonObject, nullOf, text, time, toNumber } from "../../db/kysely/index.ts";
import type { PlanContext } from "../plan.ts";
import type { ExpressionBuilder } from "kysely";
import type { Appointment, DB } from "../../db/kysely/index.ts";

/**
 * Visits the patient was reminded of but has not confirmed by the cut-off
 * (`visitReminders.confirmByHours` before the start) become a task for the staff: an escalation
 * "visit_unconfirmed" of normal priority, due by the visit's start at the latest. Once per
 * appointment (callTaskAt, set by a conditional update only one run can win). Returns how many.
 */
export async function planUnconfirmedCalls(ctx: PlanContext): Promise<number> {
  const cutoff = new Date(ctx.now.getTime() + ctx.settings.visitReminders.confirmByHours * 3_600_000);
  const { q } = ctx;
  const marked = await q
    .updateTable("Appointment")
    .set({ callTaskAt: ctx.now })
    .where("clinicId", "=", ctx.clinicId)
    .where("status", "=", "booked")
    .where("confirmedAt", "is", null)
    .where("callTaskAt", "is", null)
    .where("slotId", "in", (eb) =>
      eb.selectFrom("Slot as sl").select("sl.id").where("sl.clinicId", "=", ctx.clinicId).where("sl.startsAt", ">", ctx.now).where("sl.startsAt", "<=", cutoff),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("Outbox as o")
          .select(eb.lit(1).as("one"))
          .whereRef("o.patientId", "=", "Appointment.patientId")
          .where("o.status", "=", "sent")
          .where("o.idempotencyKey", "like", concat(text(VISIT_REMINDER_PREFIX), eb.ref("Appointment.id"), text(":%"))),
      ),
    )
    .returning("id")
    .execute();
  if (marked.length === 0) return 0;
  const ids = marked.map((r) => toNumber(r.id));
  const dueOn = (calendar: WorkingCalendar) => time(q.provider, slaDueAt("normal", ctx.now, { sla: ctx.settings.sla, calendar, timezone: ctx.clinicZone }));
  // A branch with its own calendar (hours, days off) has the call due on it; the others on the clinic's.
  const branchDues: [number, ReturnType<typeof dueOn>][] = [];
  for (const b of await q.selectFrom("Branch").select(["id", "calendar"]).where("clinicId", "=", ctx.clinicId).where("calendar", "is not", null).execute()) {
    const own = storedBranchCalendar.safeParse(typeof b.calendar === "string" ? JSON.parse(b.calendar) : b.calendar);
    if (own.success) branchDues.push([toNumber(b.id), dueOn(calendarOfBranch(ctx.settings.calendar, own.data))]);
  }
  const clinicDue = dueOn(ctx.settings.calendar);
  const branchDue = (eb: ExpressionBuilder<DB & { a: Appointment }, "a">) => {
    const [first, ...rest] = branchDues;
    if (!first) return clinicDue;
    let due = eb.case().when("a.branchId", "=", first[0]).then(first[1]);
    for (const [id, d] of rest) due = due.when("a.branchId", "=", id).then(d);
    return due.else(clinicDue).end();
  };
  const at = time(q.provider, ctx.now);
  const tasks = q
    .selectFrom("Appointment as a")
    .innerJoin("Slot as s", "s.id", "a.slotId")
    .where("a.id", "in", ids)
    .select((eb) => [
      "a.clinicId",
      "a.patientId",
      // The call is the appointment's branch's to make.
      "a.branchId",
      eb
        .selectFrom("ChannelIdentity as ci")
        .select((c) => c.fn.min("ci.id").as("id"))
        .whereRef("ci.patientId", "=", "a.patientId")
        .where("ci.channel", "<>", "web")
        .as("identityId"),
      nullOf<number>("INTEGER").as("conversationId"),
      text("visit_unconfirmed").as("reason"),
      enumValue(q.provider, "EscalationPriority", "normal").as("priority"),
      text("Пациент не подтвердил визит — позвоните ему").as("summary"),
      jsonObject(q.provider, [
        ["appointmentId", eb.ref("a.id")],
        ["doctor", eb.ref("s.doctor")],
        ["service", eb.ref("s.service")],
      ]).as("details"),
      // Due by the visit's start at the latest.
      earlierOf(
        q.provider,
        eb.ref("s.startsAt"),
        branchDue(eb),
      ).as("slaDueAt"),
      at.as("createdAt"),
      at.as("updatedAt"),
    ])
    .orderBy("s.startsAt")
    .orderBy("a.id");
  await q
    .insertInto("Escalation")
    .columns(["clinicId", "patientId", "branchId", "identityId", "conversationId", "reason", "priority", "summary", "details", "slaDueAt", "createdAt", "updatedAt"])
    .expression(tasks)
    .execute();
  return ids.length;
}
