import { slaDueAt } from "../../domain/escalations/sla.ts";
import { VISIT_REMINDER_PREFIX } from "../../domain/appointments/keys.ts";
import { concat, earlierOf, enumValue, jsonObject, nullOf, text, time, toNumber } from "../../db/kysely/index.ts";
import type { PlanContext } from "../plan.ts";

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
  const normalDue = slaDueAt("normal", ctx.now, { sla: ctx.settings.sla, calendar: ctx.settings.calendar, timezone: ctx.clinicZone });
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
      earlierOf(q.provider, eb.ref("s.startsAt"), time(q.provider, normalDue)).as("slaDueAt"),
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
