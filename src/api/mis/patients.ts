import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import type { Tx } from "../../db/client.ts";
import { bonusSummary } from "../../domain/bonus/summary.ts";
import { familyWalletBalance } from "../../domain/families/family-wallet.ts";
import { clinicSettings } from "./loyalty-common.ts";
import { upsertPatient } from "../../domain/patients/upsert.ts";
import { notFound, parseOr422, ValidationFailed } from "./problems.ts";
import { GuardianNotFound } from "../../domain/families/guardian-input.ts";
import { patientBody, patientParams } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

export function registerPatientRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.post("/patients", async (request, reply) => {
    const input = parseOr422(patientBody, request.body);
    const result = await inTransaction(deps.db, (tx) => upsertPatient(tx, deps.clinic.id, input)).catch((error: unknown) => {
      // A guardian the clinic has no record of: the field is wrong, like a bad value.
      throw error instanceof GuardianNotFound ? new ValidationFailed({ [error.field]: error.problem }) : error;
    });
    return reply.code(result.created ? 201 : 200).send({ id: result.id, externalId: result.externalId, created: result.created });
  });

  scope.get("/patients/:externalId/bonus", async (request) => {
    const { externalId } = parseOr422(patientParams, request.params);
    const prisma = deps.db.prisma;
    const patient = await prisma.patient.findUnique({
      where: { clinicId_externalId: { clinicId: deps.clinic.id, externalId } },
      select: { id: true },
    });
    if (!patient) throw notFound(`no patient "${externalId}"`);
    const now = deps.clock.now();
    const summary = await bonusSummary(prisma, patient.id, now);
    const family = await familyAnswer(prisma, deps.clinic.id, patient.id, now);
    return {
      balance: summary.balance,
      expiringSoon: summary.expiringSoon.map((line) => ({ amount: line.amount, expiresAt: line.expiresAt.toISOString() })),
      // Only with the family wallet on: the answer stays as it was for a clinic without it.
      ...(family ? { family } : {}),
    };
  });
}

/** With the family wallet on, what the patient's visit can draw on: theirs and each member's points. */
async function familyAnswer(prisma: Tx, clinicId: number, patientId: number, now: Date) {
  if (!(await clinicSettings(prisma, clinicId)).bonus.familyWallet) return null;
  const wallet = await familyWalletBalance(prisma, patientId, now);
  const members = await prisma.patient.findMany({ where: { id: { in: wallet.members.map((m) => m.patientId) } }, select: { id: true, externalId: true } });
  const externalOf = new Map(members.map((p) => [p.id, p.externalId]));
  return { balance: wallet.balance, members: wallet.members.map((m) => ({ patientExternalId: externalOf.get(m.patientId) ?? null, balance: m.balance })) };
}
