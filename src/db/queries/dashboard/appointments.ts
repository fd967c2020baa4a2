// The appointment loop counted in two aggregate statements: what patients did with their
// appointments in the window (confirmed, cancelled, moved), bookings made from a waitlist offer,
// visit reminders sent, and the window's past visits by whether they were reminded and missed.
import type { Database } from "../../client.ts";
import { concat, enumValue, firstColumns, flag, text, toNumber, typedSql } from "../../kysely/index.ts";
import type { FigureWindow } from "./window.ts";

export interface AppointmentCounts {
  confirmed: number;
  /** Cancelled without a move, for none of `clinicReasons`. */
  cancelled: number;
  rescheduled: number;
  refilled: number;
  /** Start-flow rows sent whose key starts with `reminderPrefix`. */
  remindersSent: number;
  /** Completed or missed visits that had an appointment, by whether a reminder of it was sent and whether it was missed. */
  shows: { reminded: boolean; missed: boolean; n: number }[];
}

/**
 * `reminderPrefix`: how a visit reminder's key begins (followed by the appointment's id and `:`);
 * `clinicReasons`: the cancel reasons of the clinic's own cancellations and moves.
 */
export async function appointmentCounts(db: Database, window: FigureWindow & { reminderPrefix: string; clinicReasons: readonly string[] }): Promise<AppointmentCounts> {
  const q = typedSql(db);
  const p = q.provider;
  const { clinicId, from, until, reminderPrefix, branchId } = window;
  const appointments = () =>
    q
      .selectFrom("Appointment as a")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("a.clinicId", "=", clinicId)
      .$if(branchId !== undefined, (qb) => qb.where("a.branchId", "=", branchId!));
  const row = await q
    .selectNoFrom([
      appointments().where("a.confirmedAt", ">=", from).where("a.confirmedAt", "<=", until).as("confirmed"),
      appointments()
        .where("a.status", "=", enumValue(p, "AppointmentStatus", "cancelled"))
        .where("a.movedToId", "is", null)
        .where((eb) => eb.or([eb("a.cancelReason", "is", null), eb("a.cancelReason", "not in", [...window.clinicReasons])]))
        .where("a.cancelledAt", ">=", from)
        .where("a.cancelledAt", "<=", until)
        .as("cancelled"),
      appointments().where("a.movedToId", "is not", null).where("a.cancelledAt", ">=", from).where("a.cancelledAt", "<=", until).as("rescheduled"),
      appointments().where("a.waitlistEntryId", "is not", null).where("a.createdAt", ">=", from).where("a.createdAt", "<=", until).as("refilled"),
      q
        .selectFrom("Outbox as o")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("o.clinicId", "=", clinicId)
        .where("o.kind", "=", "start-flow")
        .where("o.status", "=", enumValue(p, "OutboxStatus", "sent"))
        .where("o.idempotencyKey", "like", text(`${reminderPrefix}%`))
        .where("o.sentAt", ">=", from)
        .where("o.sentAt", "<=", until)
        // A reminder is its appointment's branch's: its key names the appointment.
        .$if(branchId !== undefined, (qb) =>
          qb.where((eb) =>
            eb.exists(
              eb
                .selectFrom("Appointment as ra")
                .select(eb.lit(1).as("one"))
                .where("ra.branchId", "=", branchId!)
                .whereRef("ra.patientId", "=", "o.patientId")
                .where((r) => r("o.idempotencyKey", "like", concat(text(reminderPrefix), r.ref("ra.id"), text(":%")))),
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
              .on((eb) => eb("o.idempotencyKey", "like", concat(text(reminderPrefix), eb.ref("a.id"), text(":%")))),
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
    .where("vi.startsAt", "<=", until)
    .$if(branchId !== undefined, (qb) => qb.where("vi.branchId", "=", branchId!))
    .where((eb) => eb.exists(eb.selectFrom("Appointment as va").select(eb.lit(1).as("one")).whereRef("va.visitId", "=", "vi.id")))
    .groupBy(firstColumns(2))
    .execute();
  return {
    confirmed: toNumber(row?.confirmed ?? 0),
    cancelled: toNumber(row?.cancelled ?? 0),
    rescheduled: toNumber(row?.rescheduled ?? 0),
    refilled: toNumber(row?.refilled ?? 0),
    remindersSent: toNumber(row?.sent ?? 0),
    shows: shows.map((r) => ({ reminded: toNumber(r.reminded) === 1, missed: toNumber(r.missed) === 1, n: toNumber(r.n) })),
  };
}
