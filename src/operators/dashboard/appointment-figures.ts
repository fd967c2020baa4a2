// The appointment loop over the last 30 days: what patients did with their reminders (confirmed,
// cancelled, moved), freed slots the waitlist filled, and whether reminded visits were missed
// less often than visits nobody reminded. Two aggregate statements.
import type { Database } from "../../db/client.ts";
import { concat, enumValue, firstColumns, flag, text, toNumber, typedSql } from "../../db/kysely/index.ts";
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
  const q = typedSql(db);
  const p = q.provider;
  const { recentFrom: from, now } = periods;
  const appointments = () =>
    q
      .selectFrom("Appointment as a")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("a.clinicId", "=", clinicId)
      .$if(branchId !== undefined, (qb) => qb.where("a.branchId", "=", branchId!));
  const row = await q
    .selectNoFrom([
      appointments().where("a.confirmedAt", ">=", from).where("a.confirmedAt", "<=", now).as("confirmed"),
      appointments()
        .where("a.status", "=", enumValue(p, "AppointmentStatus", "cancelled"))
        .where("a.movedToId", "is", null)
        .where((eb) => eb.or([eb("a.cancelReason", "is", null), eb("a.cancelReason", "not in", [CANCELLED_BY_CLINIC, MOVED_BY_CLINIC])]))
        .where("a.cancelledAt", ">=", from)
        .where("a.cancelledAt", "<=", now)
        .as("cancelled"),
      appointments().where("a.movedToId", "is not", null).where("a.cancelledAt", ">=", from).where("a.cancelledAt", "<=", now).as("rescheduled"),
      appointments().where("a.waitlistEntryId", "is not", null).where("a.createdAt", ">=", from).where("a.createdAt", "<=", now).as("refilled"),
      q
        .selectFrom("Outbox as o")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("o.clinicId", "=", clinicId)
        .where("o.kind", "=", "start-flow")
        .where("o.status", "=", enumValue(p, "OutboxStatus", "sent"))
        .where("o.idempotencyKey", "like", text(`${VISIT_REMINDER_PREFIX}%`))
        .where("o.sentAt", ">=", from)
        .where("o.sentAt", "<=", now)
        // A reminder is its appointment's branch's: its key names the appointment.
        .$if(branchId !== undefined, (qb) =>
          qb.where((eb) =>
            eb.exists(
              eb
                .selectFrom("Appointment as ra")
                .select(eb.lit(1).as("one"))
                .where("ra.branchId", "=", branchId!)
                .whereRef("ra.patientId", "=", "o.patientId")
                .where((r) => r("o.idempotencyKey", "like", concat(text(VISIT_REMINDER_PREFIX), r.ref("ra.id"), text(":%")))),
            ),
          ),
        )
        .as("sent"),
    ])
    .executeTakeFirst();
  const shows = await q
    .selectFrom("Visit as vi")
    .select((eb) => {
      const reminded = eb.exists(
        eb
          .selectFrom("Appointment as a")
          .innerJoin("Outbox as o", (join) =>
            join
              .onRef("o.patientId", "=", "a.patientId")
              .on("o.status", "=", enumValue(p, "OutboxStatus", "sent"))
              .on((eb) => eb("o.idempotencyKey", "like", concat(text(VISIT_REMINDER_PREFIX), eb.ref("a.id"), text(":%")))),
          )
          .select(eb.lit(1).as("one"))
          .whereRef("a.visitId", "=", "vi.id"),
      );
      return [
        flag(reminded).as("reminded"),
        flag(eb("vi.status", "=", enumValue(p, "VisitStatus", "missed"))).as("missed"),
        eb.fn.countAll().as("n"),
      ];
    })
    .where("vi.clinicId", "=", clinicId)
    .where("vi.status", "in", [enumValue(p, "VisitStatus", "completed"), enumValue(p, "VisitStatus", "missed")])
    .where("vi.startsAt", ">=", from)
    .where("vi.startsAt", "<=", now)
    .$if(branchId !== undefined, (qb) => qb.where("vi.branchId", "=", branchId!))
    .where((eb) => eb.exists(eb.selectFrom("Appointment as va").select(eb.lit(1).as("one")).whereRef("va.visitId", "=", "vi.id")))
    .groupBy(firstColumns(2))
    .execute();
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
