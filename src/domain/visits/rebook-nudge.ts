import type { Tx } from "../../db/client.ts";
import { followUpKey, queueStartFlow, REBOOK_FLOW } from "./care-outbox.ts";

/**
 * The nudge a missed visit sends at once: the follow-up's next attempt (`followup:<id>:<n>`).
 * It shares the attempt counter with the scheduler's follow-up planner, so the counter moves only
 * with a compare-and-set on the attempts read here: when the planner (or a replayed event) moved
 * it in between, its nudge already covers this one and nothing is counted twice. A nudge still
 * waiting in the outbox is not doubled either.
 */
export async function queueRebookNudge(tx: Tx, input: { clinicId: number; patientId: number; followUpId: number; dueAt: Date; now: Date }): Promise<"queued" | "already-waiting" | "taken-by-planner"> {
  const { followUpId, now } = input;
  const waiting = await tx.outbox.count({ where: { idempotencyKey: { startsWith: followUpKey(followUpId, 0).slice(0, -1) }, status: { in: ["pending", "sending"] } } });
  if (waiting > 0) return "already-waiting";
  const { attempts } = await tx.followUp.findUniqueOrThrow({ where: { id: followUpId }, select: { attempts: true } });
  const bumped = await tx.followUp.updateMany({ where: { id: followUpId, attempts }, data: { attempts: attempts + 1, lastAttemptAt: now } });
  if (bumped.count === 0) return "taken-by-planner";
  await queueStartFlow(tx, {
    clinicId: input.clinicId,
    patientId: input.patientId,
    key: followUpKey(followUpId, attempts + 1),
    flowId: REBOOK_FLOW,
    category: "transactional",
    context: { followUpId },
    dueAt: input.dueAt,
  });
  return "queued";
}
