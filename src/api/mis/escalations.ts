import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import type { EscalationPriority } from "../../db/client.ts";
import { parseOr422 } from "./problems.ts";
import { escalationsQuery } from "./schemas.ts";

// Enum order differs by database (PostgreSQL: declaration order, SQLite: text), so rank here.
const RANK: Record<EscalationPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
const RESOLVED_LIMIT = 500;

export function registerEscalationRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "db">): void {
  scope.get("/escalations", async (request) => {
    const { status } = parseOr422(escalationsQuery, request.query);
    const rows = await deps.db.prisma.escalation.findMany({
      where: { clinicId: deps.clinic.id, status },
      select: {
        id: true,
        reason: true,
        priority: true,
        status: true,
        slaDueAt: true,
        summary: true,
        createdAt: true,
        patient: { select: { externalId: true } },
      },
      // Open and taken escalations are few; resolved ones pile up: the latest only.
      ...(status === "resolved" ? { orderBy: { createdAt: "desc" as const }, take: RESOLVED_LIMIT } : {}),
    });
    return rows
      .sort((a, b) => RANK[a.priority] - RANK[b.priority] || a.slaDueAt.getTime() - b.slaDueAt.getTime() || a.id - b.id)
      .map((e) => ({
        id: e.id,
        patientExternalId: e.patient?.externalId ?? null,
        reason: e.reason,
        priority: e.priority,
        status: e.status,
        slaDueAt: e.slaDueAt.toISOString(),
        summary: e.summary,
        createdAt: e.createdAt.toISOString(),
      }));
  });
}
