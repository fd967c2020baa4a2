import type { FastifyInstance } from "fastify";
import type { CareBot } from "../../core.ts";
import { syncVisitAppointment } from "../../domain/appointments/visit-appointment.ts";
import { recordVisit, VisitRefused } from "../../domain/visits/record-visit.ts";
import { parseOr422, ValidationFailed } from "./problems.ts";
import { visitBody } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

export function registerVisitRoutes(scope: FastifyInstance, carebot: CareBot): void {
  scope.post("/visits", async (request, reply) => {
    const input = parseOr422(visitBody, request.body);
    const now = carebot.clock.now();
    const result = await inTransaction(carebot.db, async (tx) => {
      const recorded = await recordVisit(tx, { clinicId: carebot.clinic.id, now }, input);
      // A scheduled visit is an appointment: reminders, confirm, cancel, move (src/domain/appointments).
      if (recorded.changed) await syncVisitAppointment(tx, { clinicId: carebot.clinic.id, visitId: recorded.id, now });
      return recorded;
    }).catch((error: unknown) => {
      if (error instanceof VisitRefused) throw new ValidationFailed({ [error.field]: error.message });
      throw error;
    });
    if (result.changed) {
      request.log.info({ visitId: result.id, status: result.status, accrued: result.accrued, created: result.created }, "visit recorded");
    }
    return reply.code(result.created ? 201 : 200).send({
      id: result.id,
      externalId: result.externalId,
      status: result.status,
      accrued: result.accrued,
      created: result.created,
    });
  });
}
