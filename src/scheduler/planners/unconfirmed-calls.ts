import { slaDueAt } from "../../domain/escalations/sla.ts";
import { VISIT_REMINDER_PREFIX } from "../../domain/appointments/keys.ts";
import { SqlStatement as Statement, toNumber } from "../../db/sql-statement.ts";
import type { PlanContext } from "../plan.ts";

/**
 * Visits the patient was reminded of but has not confirmed by the cut-off
 * (`visitReminders.confirmByHours` before the start) become a task for the staff: an escalation
 * "visit_unconfirmed" of normal priority, due by the visit's start at the latest. Once per
 * appointment (callTaskAt, set by a conditional update only one run can win). Returns how many.
 */
export async function planUnconfirmedCalls(ctx: PlanContext): Promise<number> {
  const cutoff = new Date(ctx.now.getTime() + ctx.settings.visitReminders.confirmByHours * 3_600_000);
  const s = new Statement(ctx.sql.provider);
  const now = s.time(ctx.now);
  const marked = await s.run<{ id: unknown }[]>(
    ctx.sql,
    `UPDATE "Appointment" SET "callTaskAt" = ${now}
     WHERE "clinicId" = ${s.value(ctx.clinicId)} AND "status" = 'booked' AND "confirmedAt" IS NULL AND "callTaskAt" IS NULL
       AND "slotId" IN (SELECT sl."id" FROM "Slot" sl WHERE sl."clinicId" = ${s.value(ctx.clinicId)} AND sl."startsAt" > ${now} AND sl."startsAt" <= ${s.time(cutoff)})
       AND EXISTS (SELECT 1 FROM "Outbox" o WHERE o."patientId" = "Appointment"."patientId" AND o."status" = 'sent'
         AND o."idempotencyKey" LIKE ${s.text(VISIT_REMINDER_PREFIX)} || "Appointment"."id" || ${s.text(":%")})
     RETURNING "id"`,
  );
  if (marked.length === 0) return 0;
  const ids = marked.map((r) => toNumber(r.id));
  const normalDue = slaDueAt("normal", ctx.now, { sla: ctx.settings.sla, calendar: ctx.settings.calendar, timezone: ctx.clinicZone });
  const i = new Statement(ctx.sql.provider);
  const at = i.time(ctx.now);
  const due = i.time(normalDue);
  const earlier = i.pg ? `LEAST(s."startsAt", ${due})` : `MIN(s."startsAt", ${due})`;
  await i.execute(
    ctx.sql,
    `INSERT INTO "Escalation" ("clinicId", "patientId", "identityId", "conversationId", "reason", "priority", "summary", "details", "slaDueAt", "createdAt", "updatedAt")
     SELECT a."clinicId", a."patientId",
       (SELECT MIN(ci."id") FROM "ChannelIdentity" ci WHERE ci."patientId" = a."patientId" AND ci."channel" <> 'web'),
       ${i.nullOf("INTEGER")}, ${i.text("visit_unconfirmed")}, ${i.enumValue("EscalationPriority", "normal")},
       ${i.text("Пациент не подтвердил визит — позвоните ему")},
       ${i.jsonObject([["appointmentId", `a."id"`], ["doctor", `s."doctor"`], ["service", `s."service"`]])},
       ${earlier}, ${at}, ${at}
     FROM "Appointment" a JOIN "Slot" s ON s."id" = a."slotId"
     WHERE a."id" IN (${i.list(ids)})
     ORDER BY s."startsAt", a."id"`,
  );
  return ids.length;
}
