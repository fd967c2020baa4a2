// A patient's loyalty for the MIS: level, paid over the period, promo codes used, certificates.
import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { loyaltySummary } from "../../domain/loyalty/summary.ts";
import { notFound, parseOr422 } from "./problems.ts";
import { clinicSettings } from "./loyalty-common.ts";
import { patientParams } from "./schemas.ts";

export function registerLoyaltyRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.get("/patients/:externalId/loyalty", async (request) => {
    const { externalId } = parseOr422(patientParams, request.params);
    const prisma = deps.db.prisma;
    const patient = await prisma.patient.findUnique({ where: { clinicId_externalId: { clinicId: deps.clinic.id, externalId } }, select: { id: true } });
    if (!patient) throw notFound(`no patient "${externalId}"`);
    const summary = await loyaltySummary(prisma, patient.id, await clinicSettings(prisma, deps.clinic.id), deps.clock.now());
    return {
      level: summary.level && { ...summary.level, holdsUntil: summary.level.holdsUntil.toISOString(), lowerNoticeAt: summary.level.lowerNoticeAt?.toISOString() ?? null },
      paid: summary.paid,
      promoCodes: summary.promoCodes.map((p) => ({ ...p, at: p.at.toISOString() })),
      certificates: summary.certificates.map((c) => ({ code: c.code, balance: c.balance, initialAmount: c.initialAmount, expiresAt: c.expiresAt.toISOString(), expired: c.expired })),
    };
  });
}
