// Gift certificates for the clinic's MIS: issue one (a sale or a gift of the clinic), look one
// up by its code, pay part of a bill with it.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { MisApiDeps } from "./deps.ts";
import { CertificateRefused, certificateView, issueCertificate, normalizeCertificateCode, spendCertificate } from "../../domain/loyalty/certificates/index.ts";
import type { CertificateView } from "../../domain/loyalty/certificates/index.ts";
import { ApiProblem, notFound, parseOr422 } from "./problems.ts";
import { clinicSettings, patientIdOf } from "./loyalty-common.ts";
import { inTransaction } from "./transaction.ts";

const kopecks = z.number().int("must be whole kopecks").min(1, "must be at least 1 kopeck");
const key = z.string().trim().min(1, "must not be empty").max(200);

const issueBody = z
  .object({
    /** Kopecks. */
    amount: kopecks,
    validDays: z.number().int("must be a whole number of days").min(1).max(3650).optional(),
    buyerPatientExternalId: z.string().trim().min(1).optional(),
    /** Who holds it; without it, the buyer (or nobody: a paper certificate). */
    ownerPatientExternalId: z.string().trim().min(1).optional(),
    key,
  })
  .strict();

const redeemBody = z
  .object({ code: z.string().trim().min(1, "must not be empty"), amount: kopecks, key, patientExternalId: z.string().trim().min(1).optional(), visitExternalId: z.string().trim().min(1).optional() })
  .strict();

const wire = (c: CertificateView) => ({ code: c.code, initialAmount: c.initialAmount, balance: c.balance, expiresAt: c.expiresAt.toISOString(), expired: c.expired });

export function registerGiftCertificateRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.post("/gift-certificates", async (request, reply) => {
    const body = parseOr422(issueBody, request.body);
    const result = await inTransaction(deps.db, async (tx) => {
      const buyer = body.buyerPatientExternalId ? await patientIdOf(tx, deps.clinic.id, body.buyerPatientExternalId, "buyerPatientExternalId") : null;
      const owner = body.ownerPatientExternalId ? await patientIdOf(tx, deps.clinic.id, body.ownerPatientExternalId, "ownerPatientExternalId") : buyer;
      const validDays = body.validDays ?? (await clinicSettings(tx, deps.clinic.id)).bonus.certificateValidDays;
      return issueCertificate(tx, { clinicId: deps.clinic.id, amount: body.amount, validDays, buyerPatientId: buyer, ownerPatientId: owner, key: body.key, now: deps.clock.now() });
    });
    return reply.code(result.created ? 201 : 200).send(wire(result.certificate));
  });

  scope.get("/gift-certificates/:code", async (request) => {
    const { code } = parseOr422(z.object({ code: z.string().min(1) }), request.params);
    const row = await deps.db.prisma.giftCertificate.findUnique({ where: { clinicId_code: { clinicId: deps.clinic.id, code: normalizeCertificateCode(code) } } });
    if (!row) throw notFound(`no gift certificate "${code}"`);
    return wire(certificateView(row, deps.clock.now()));
  });

  scope.post("/gift-certificates/redeem", async (request) => {
    const body = parseOr422(redeemBody, request.body);
    try {
      const result = await inTransaction(deps.db, async (tx) => {
        const patientId = body.patientExternalId ? await patientIdOf(tx, deps.clinic.id, body.patientExternalId, "patientExternalId") : null;
        return spendCertificate(tx, { clinicId: deps.clinic.id, code: body.code, amount: body.amount, key: body.key, patientId, visitExternalId: body.visitExternalId ?? null, now: deps.clock.now() });
      });
      return { ...wire(result.certificate), spent: result.spent, replayed: result.replayed };
    } catch (error) {
      if (error instanceof CertificateRefused) throw new ApiProblem(error.reason === "unknown" ? 404 : 409, error.message, undefined, { reason: error.reason });
      throw error;
    }
  });
}
