import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { addToSummary, emptyBatchSummary, recordVisitBatch } from "../../domain/visits/record-batch.ts";
import type { BatchRow } from "../../domain/visits/record-batch.ts";
import { recordVisit, VisitRefused } from "../../domain/visits/record-visit.ts";
import { ApiProblem, fieldsOf, parseOr422, ValidationFailed } from "./problems.ts";
import { assignVisitBranch } from "../../domain/branches/assign.ts";
import { branchIdOfCode, UnknownBranch } from "../../domain/branches/lookup.ts";
import { batchVisit, visitBatchBody, visitBody } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

/** A batch of up to 1000 visits may take a while on a busy database; one visit never should. */
const BATCH_TIMEOUT_MS = 120_000;

export function registerVisitRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.post("/visits", async (request, reply) => {
    const { history, branch, ...input } = parseOr422(visitBody, request.body);
    const now = deps.clock.now();
    const result = await inTransaction(deps.db, async (tx) => {
      const branchId = await branchIdOfCode(tx, deps.clinic.id, branch);
      const recorded = await recordVisit(tx, { clinicId: deps.clinic.id, now, history }, input);
      if (!recorded.outdated) await assignVisitBranch(tx, recorded.id, branchId);
      return recorded;
    }).catch((error: unknown) => {
      if (error instanceof VisitRefused) throw new ValidationFailed({ [error.field]: error.message });
      if (error instanceof UnknownBranch) throw new ApiProblem(400, error.message, { branch: error.message });
      throw error;
    });
    if (result.changed) {
      request.log.info({ visitId: result.id, status: result.status, accrued: result.accrued, created: result.created, history }, "visit recorded");
    }
    return reply.code(result.created ? 201 : 200).send({
      id: result.id,
      externalId: result.externalId,
      status: result.status,
      accrued: result.accrued,
      created: result.created,
      outdated: result.outdated,
      skippedTooOld: result.skippedTooOld,
    });
  });

  // Up to 1000 visits in one transaction, each row checked and answered on its own: a bad row is
  // reported by its index and changes nothing, the others are recorded.
  scope.post("/visits/batch", async (request) => {
    const { history, visits } = parseOr422(visitBatchBody, request.body);
    const rows: (BatchRow & { branch: string | null })[] = [];
    const refused: { index: number; externalId: string | null; outcome: "refused"; fields: Record<string, string> }[] = [];
    visits.forEach((raw, index) => {
      const parsed = batchVisit.safeParse(raw);
      if (parsed.success) {
        const { branch, ...input } = parsed.data;
        rows.push({ at: index, input, branch });
      }
      else refused.push({ index, externalId: externalIdOf(raw), outcome: "refused", fields: fieldsOf(parsed.error) });
    });
    const now = deps.clock.now();
    // A row naming a branch the clinic does not list is refused by itself, like any bad row.
    const branches = new Map((await deps.db.prisma.branch.findMany({ where: { clinicId: deps.clinic.id }, select: { id: true, code: true } })).map((b) => [b.code, b.id]));
    const known = rows.filter((row) => {
      if (row.branch === null || branches.has(row.branch)) return true;
      const message = new UnknownBranch(row.branch, [...branches.keys()]).message;
      refused.push({ index: row.at, externalId: row.input.externalId, outcome: "refused", fields: { branch: message } });
      return false;
    });
    const outcomes = await inTransaction(
      deps.db,
      async (tx) => {
        const recorded = await recordVisitBatch(tx, { clinicId: deps.clinic.id, now, history, provider: deps.db.provider }, known);
        for (const o of recorded) {
          if (o.outcome === "refused" || o.outcome === "outdated") continue;
          const code = known.find((row) => row.at === o.at)?.branch ?? null;
          await assignVisitBranch(tx, o.id, code === null ? null : branches.get(code)!);
        }
        return recorded;
      },
      3,
      BATCH_TIMEOUT_MS,
    );
    const summary = addToSummary(emptyBatchSummary(), outcomes);
    summary.refused += refused.length;
    const answered = outcomes.map(({ at, ...o }) =>
      o.outcome === "refused" ? { index: at, externalId: o.externalId, outcome: o.outcome, fields: { [o.field]: o.error } } : { index: at, ...o },
    );
    request.log.info({ history, rows: visits.length, ...summary }, "visit batch recorded");
    return { history, ...summary, rows: [...answered, ...refused].sort((a, b) => a.index - b.index) };
  });
}

function externalIdOf(raw: unknown): string | null {
  const id = typeof raw === "object" && raw !== null ? (raw as { externalId?: unknown }).externalId : undefined;
  return typeof id === "string" ? id : null;
}
