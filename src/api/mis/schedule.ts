import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { appointmentsSince } from "../../domain/slots/list-appointments.ts";
import { upsertSlots } from "../../domain/slots/upsert-slots.ts";
import { parseOr422 } from "./problems.ts";
import { appointmentsQuery, slotsBody } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

/** The MIS publishes free slots; patients book them through CareBot; the MIS picks the bookings up. */
export function registerScheduleRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "db">): void {
  scope.post("/slots", async (request) => {
    const { slots } = parseOr422(slotsBody, request.body);
    return inTransaction(deps.db, (tx) => upsertSlots(tx, deps.clinic.id, slots));
  });

  scope.get("/appointments", async (request) => {
    const { since, status } = parseOr422(appointmentsQuery, request.query);
    const rows = await appointmentsSince(deps.db.prisma, deps.clinic.id, since, status);
    // Dates leave as ISO text (JSON.stringify's own).
    return rows;
  });
}
