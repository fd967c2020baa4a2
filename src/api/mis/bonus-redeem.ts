// Paying part of a bill with bonus points at the front desk. With the family wallet on
// (bonus.familyWallet) the points may come from the patient's family too (docs/loyalty.md).
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { MisApiDeps } from "./deps.ts";
import { maxRedeemable } from "../../domain/bonus/ledger.ts";
import { redeemFromFamily } from "../../domain/bonus/family-redeem.ts";
import { familyMembersOf } from "../../domain/families/members.ts";
import { rulesInForce } from "../../domain/loyalty/levels/index.ts";
import { ApiProblem, parseOr422 } from "./problems.ts";
import { clinicSettings, patientIdOf } from "./loyalty-common.ts";
import { patientParams } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

const redeemBody = z
  .object({
    /** The visit's bill in kopecks: the share points may pay is taken of it. */
    bill: z.number().int("must be whole kopecks").min(1, "must be at least 1 kopeck"),
    /** The most points to spend; without it, as many as the cap and the balance allow. */
    points: z.number().int("must be a whole number of points").min(1, "must be at least 1").optional(),
    key: z.string().trim().min(1, "must not be empty").max(200),
    note: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export function registerBonusRedeemRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.post("/patients/:externalId/bonus/redeem", async (request) => {
    const { externalId } = parseOr422(patientParams, request.params);
    const body = parseOr422(redeemBody, request.body);
    const now = deps.clock.now();
    const result = await inTransaction(deps.db, async (tx) => {
      const patientId = await patientIdOf(tx, deps.clinic.id, externalId, "externalId");
      const settings = await clinicSettings(tx, deps.clinic.id);
      const rules = await rulesInForce(tx, patientId, settings.bonus);
      const members = settings.bonus.familyWallet ? await familyMembersOf(tx, patientId) : [];
      const redemption = await redeemFromFamily(tx, {
        clinicId: deps.clinic.id,
        patientId,
        members,
        key: body.key,
        howMany: (spendable) => Math.min(body.points ?? Number.MAX_SAFE_INTEGER, maxRedeemable(spendable, body.bill, rules)),
        ...(body.note ? { note: body.note } : {}),
        now,
      });
      const ids = redemption.draws.map((d) => d.patientId);
      const external = await tx.patient.findMany({ where: { id: { in: ids } }, select: { id: true, externalId: true } });
      const externalOf = new Map(external.map((p) => [p.id, p.externalId]));
      return { ...redemption, draws: redemption.draws.map((d) => ({ patientExternalId: externalOf.get(d.patientId) ?? null, points: d.points })) };
    });
    if (result.redeemed === 0 && !result.replayed) throw new ApiProblem(409, "nothing to redeem: no points to spend, or the bill's share is under 1 point", undefined, { reason: "nothing" });
    return result;
  });
}
