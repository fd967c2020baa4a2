// The appointment loop over the last 30 days: what patients did with their reminders (confirmed,
// cancelled, moved), freed slots the waitlist filled, and whether reminded visits were missed
// less often than visits nobody reminded. Two aggregate statements
// (src/db/queries/dashboard/appointments.ts).
import type { Database } from "../../db/client.ts";
import { appointmentCounts } from "../../db/queries/dashboard/appointments.ts";
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

/** `branchId`: only that branch's appointments, their reminders and visits. */
export async function appointmentFigures(db: Database, clinicId: number, periods: DashboardPeriods, branchId?: number): Promise<AppointmentFigures> {
  const counts = await appointmentCounts(db, {
    clinicId,
    branchId,
    from: periods.recentFrom,
    until: periods.now,
    reminderPrefix: VISIT_REMINDER_PREFIX,
    clinicReasons: [CANCELLED_BY_CLINIC, MOVED_BY_CLINIC],
  });
  const figures: AppointmentFigures = {
    remindersSent: counts.remindersSent,
    confirmed: counts.confirmed,
    cancelled: counts.cancelled,
    rescheduled: counts.rescheduled,
    refilled: counts.refilled,
    reminded: { visits: 0, missed: 0 },
    notReminded: { visits: 0, missed: 0 },
  };
  for (const r of counts.shows) {
    const group = r.reminded ? figures.reminded : figures.notReminded;
    group.visits += r.n;
    if (r.missed) group.missed += r.n;
  }
  return figures;
}
