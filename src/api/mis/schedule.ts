import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { appointmentsSince } from "../../domain/slots/list-appointments.ts";
import { upsertSlots } from "../../domain/slots/upsert-slots.ts";
import { ApiProblem, parseOr422 } from "./problems.ts";
import { assignSlotBranches } from "../../domain/branches/assign.ts";
import { branchIdOfCode, UnknownBranch } from "../../domain/branches/lookup.ts";
import { appointmentsQuery, slotsBody } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

/** The MIS publishes free slots; patients book them through CareBot; the MIS picks the bookings up. */
export function registerScheduleRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "db">): void {
  scope.post("/slots", async (request) => {
    const { slots } = parseOr422(slotsBody, request.body);
    return inTransaction(deps.db, async (tx) => {
      // Every code is checked before anything changes: an unknown one is a 400 naming it.
      const branchIds = new Map<string, number | null>();
      for (const s of slots) if (s.branch !== null && !branchIds.has(s.branch)) branchIds.set(s.branch, await branchIdOfCode(tx, deps.clinic.id, s.branch));
      const result = await upsertSlots(tx, deps.clinic.id, slots.map(({ branch: _branch, ...slot }) => slot));
      await assignSlotBranches(tx, deps.clinic.id, slots.map((s) => ({ externalId: s.externalId, branchId: s.branch === null ? null : branchIds.get(s.branch)! })));
      return result;
    }).catch((error: unknown) => {
      if (error instanceof UnknownBranch) throw new ApiProblem(400, error.message, { branch: error.message });
      throw error;
    });
  });

  scope.get("/appointments", async (request) => {
    const { since, status } = parseOr422(appointmentsQuery, request.query);
    const rows = await appointmentsSince(deps.db.prisma, deps.clinic.id, since, status);
    // Dates leave as ISO text (JSON.stringify's own).
    return rows;
  });
}
