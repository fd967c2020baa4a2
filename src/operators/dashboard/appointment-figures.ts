// The appointment loop over the last 30 days: what patients did with their reminders (confirmed,
// cancelled, moved), freed slots the waitlist filled, and whether reminded visits were missed
// less often than visits nobody reminded. Two aggregate statements.
import type { Database } from "../../db/client.ts";
import { SqlStatement, toNumber } from "../../db/sql-statement.ts";
import { VISIT_REMINDER_PREFIX } from "../../domain/appointments/keys.ts";
import { CANCELLED_BY_CLINIC, MOVED_BY_CLINIC } from "../../domain/appointments/manage.ts";
import type { DashboardPeriods } from "./periods.ts";

export interface NoShowFigures {
  /** Visits past in the window (completed or missed). */
  visits: number;
  missed: number;
}

export interface AppointmentFigures {
  remindersSent: number;
  confirmed: number;
  /** Cancelled by the patient in the chat (not by the clinic). */
  cancelled: number;
  /** Moved by the patient to another slot. */
  rescheduled: number;
  /** Bookings made from a waitlist offer: freed slots filled again. */
  refilled: number;
  reminded: NoShowFigures;
  notReminded: NoShowFigures;
}

export async function appointmentFigures(db: Database, clinicId: number, periods: DashboardPeriods): Promise<AppointmentFigures> {
  const s = new SqlStatement(db.provider);
  const from = s.time(periods.recentFrom);
  const now = s.time(periods.now);
  const within = (column: string) => `${column} >= ${from} AND ${column} <= ${now}`;
  const [row] = await s.run<Record<"confirmed" | "cancelled" | "rescheduled" | "refilled" | "sent", unknown>[]>(
    db,
    `SELECT
       (SELECT COUNT(*) FROM "Appointment" a WHERE a."clinicId" = ${s.value(clinicId)} AND ${within(`a."confirmedAt"`)}) AS "confirmed",
       (SELECT COUNT(*) FROM "Appointment" a WHERE a."clinicId" = ${s.value(clinicId)} AND a."status" = 'cancelled' AND a."movedToId" IS NULL
          AND (a."cancelReason" IS NULL OR a."cancelReason" NOT IN (${s.list([CANCELLED_BY_CLINIC, MOVED_BY_CLINIC])})) AND ${within(`a."cancelledAt"`)}) AS "cancelled",
       (SELECT COUNT(*) FROM "Appointment" a WHERE a."clinicId" = ${s.value(clinicId)} AND a."movedToId" IS NOT NULL AND ${within(`a."cancelledAt"`)}) AS "rescheduled",
       (SELECT COUNT(*) FROM "Appointment" a WHERE a."clinicId" = ${s.value(clinicId)} AND a."waitlistEntryId" IS NOT NULL AND ${within(`a."createdAt"`)}) AS "refilled",
       (SELECT COUNT(*) FROM "Outbox" o WHERE o."clinicId" = ${s.value(clinicId)} AND o."kind" = 'start-flow' AND o."status" = 'sent'
          AND o."idempotencyKey" LIKE ${s.text(`${VISIT_REMINDER_PREFIX}%`)} AND ${within(`o."sentAt"`)}) AS "sent"`,
  );
  const v = new SqlStatement(db.provider);
  const reminded = `EXISTS (SELECT 1 FROM "Appointment" a JOIN "Outbox" o ON o."patientId" = a."patientId" AND o."status" = 'sent'
      AND o."idempotencyKey" LIKE ${v.text(VISIT_REMINDER_PREFIX)} || a."id" || ${v.text(":%")}
    WHERE a."visitId" = vi."id")`;
  const shows = await v.run<{ reminded: unknown; missed: unknown; n: unknown }[]>(
    db,
    `SELECT CASE WHEN ${reminded} THEN 1 ELSE 0 END AS "reminded", CASE WHEN vi."status" = 'missed' THEN 1 ELSE 0 END AS "missed", COUNT(*) AS "n"
     FROM "Visit" vi
     WHERE vi."clinicId" = ${v.value(clinicId)} AND vi."status" IN ('completed', 'missed')
       AND vi."startsAt" >= ${v.time(periods.recentFrom)} AND vi."startsAt" <= ${v.time(periods.now)}
       AND EXISTS (SELECT 1 FROM "Appointment" va WHERE va."visitId" = vi."id")
     GROUP BY 1, 2`,
  );
  const figures: AppointmentFigures = {
    remindersSent: toNumber(row?.sent ?? 0),
    confirmed: toNumber(row?.confirmed ?? 0),
    cancelled: toNumber(row?.cancelled ?? 0),
    rescheduled: toNumber(row?.rescheduled ?? 0),
    refilled: toNumber(row?.refilled ?? 0),
    reminded: { visits: 0, missed: 0 },
    notReminded: { visits: 0, missed: 0 },
  };
  for (const r of shows) {
    const group = toNumber(r.reminded) === 1 ? figures.reminded : figures.notReminded;
    group.visits += toNumber(r.n);
    if (toNumber(r.missed) === 1) group.missed += toNumber(r.n);
  }
  return figures;
}
