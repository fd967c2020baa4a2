import type { FastifyInstance } from "fastify";
import type { MisApiDeps } from "./deps.ts";
import { addToSummary, emptyBatchSummary, recordVisitBatch } from "../../domain/visits/record-batch.ts";
import type { BatchRow } from "../../domain/visits/record-batch.ts";
import { recordVisit, VisitRefused } from "../../domain/visits/record-visit.ts";
import { fieldsOf, parseOr422, ValidationFailed } from "./problems.ts";
import { batchVisit, visitBatchBody, visitBody } from "./schemas.ts";
import { inTransaction } from "./transaction.ts";

/** A batch of up to 1000 visits may take a while on a busy database; one visit never should. */
const BATCH_TIMEOUT_MS = 120_000;

export function registerVisitRoutes(scope: FastifyInstance, deps: Pick<MisApiDeps, "clinic" | "clock" | "db">): void {
  scope.post("/visits", async (request, reply) => {
    const { history, ...input } = parseOr422(visitBody, request.body);
    const now = deps.clock.now();
    const result = await inTransaction(deps.db, (tx) => recordVisit(tx, { clinicId: deps.clinic.id, now, history }, input)).catch((error: unknown) => {
      if (error instanceof VisitRefused) throw new ValidationFailed({ [error.field]: error.message });
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
    const rows: BatchRow[] = [];
    const refused: { index: number; externalId: string | null; outcome: "refused"; fields: Record<string, string> }[] = [];
    visits.forEach((raw, index) => {
      const parsed = batchVisit.safeParse(raw);
      if (parsed.success) rows.push({ at: index, input: parsed.data });
      else refused.push({ index, externalId: externalIdOf(raw), outcome: "refused", fields: fieldsOf(parsed.error) });
    });
    const now = deps.clock.now();
    const outcomes = await inTransaction(deps.db, (tx) => recordVisitBatch(tx, { clinicId: deps.clinic.id, now, history, provider: deps.db.provider }, rows), 3, BATCH_TIMEOUT_MS);
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
