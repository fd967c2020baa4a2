// Promo codes for the clinic's MIS: define them, list them, use one for a patient (at a visit).
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { MisApiDeps } from "./deps.ts";
import { listPromoCodes, promoCodeInputSchema, PromoRefused, redeemPromo, savePromoCode } from "../../domain/loyalty/promo/index.ts";
import { ApiProblem, parseOr422 } from "./problems.ts";
import { clinicSettings, patientIdOf } from "./loyalty-common.ts";
import { inTransaction } from "./transaction.ts";

const redeemBody = z
  .object({
    code: z.string().trim().min(1, "must not be empty"),
    patientExternalId: z.string().trim().min(1, "must not be empty"),
    /** The MIS's own id of this use (a bill line): sending it again answers with the same use. */
    key: z.string().trim().min(1, "must not be empty").max(200),
    visitExternalId: z.string().trim().min(1).optional(),
    serviceCategory: z.string().trim().min(1).optional(),
  })
  .strict();

export function registerPromoCodeRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.get("/promo-codes", async () => listPromoCodes(deps.db.prisma, deps.clinic.id));

  scope.post("/promo-codes", async (request, reply) => {
    const input = parseOr422(promoCodeInputSchema, request.body);
    const result = await inTransaction(deps.db, (tx) => savePromoCode(tx, deps.clinic.id, input));
    return reply.code(result.created ? 201 : 200).send(result.view);
  });

  scope.post("/promo-codes/redeem", async (request) => {
    const body = parseOr422(redeemBody, request.body);
    try {
      return await inTransaction(deps.db, async (tx) => {
        const patientId = await patientIdOf(tx, deps.clinic.id, body.patientExternalId, "patientExternalId");
        const rules = (await clinicSettings(tx, deps.clinic.id)).bonus;
        return redeemPromo(tx, {
          clinicId: deps.clinic.id,
          patientId,
          code: body.code,
          key: body.key,
          via: "api",
          ...(body.visitExternalId ? { visitExternalId: body.visitExternalId } : {}),
          ...(body.serviceCategory ? { serviceCategory: body.serviceCategory } : {}),
          rules,
          now: deps.clock.now(),
        });
      });
    } catch (error) {
      // 409: the code is fine as a request, but cannot be used now; the message is for the desk as it is.
      if (error instanceof PromoRefused) throw new ApiProblem(409, error.message, undefined, { reason: error.reason, errorEn: error.messageEn });
      throw error;
    }
  });
}
