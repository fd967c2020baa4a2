import type { OperatorConsoleDeps } from "../deps.ts";
import { audit } from "../audit.ts";
import type { ConsoleEvents } from "./events.ts";

/**
 * Gives conversations back to the bot when their operator has done nothing for `idleMinutes`:
 * conversation → bot, its taken escalations → open again (back in the queue), audited.
 */
export async function releaseIdleConversations(deps: Pick<OperatorConsoleDeps, "clock" | "db" | "logger">, events: ConsoleEvents | null, idleMinutes: number): Promise<number[]> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - idleMinutes * 60_000);
  const db = deps.db.prisma;
  const idle = await db.conversation.findMany({
    where: { status: "operator", OR: [{ operatorActiveAt: { lt: cutoff } }, { operatorActiveAt: null, operatorTakenAt: { lt: cutoff } }, { operatorActiveAt: null, operatorTakenAt: null }] },
    select: { id: true, clinicId: true, identityId: true, operatorId: true, operatorActiveAt: true },
    take: 100,
  });
  const released: number[] = [];
  for (const c of idle) {
    const done = await deps.db.transaction(async (tx) => {
      // Only if nothing happened meanwhile (the operator wrote, or someone else took it).
      const moved = await tx.conversation.updateMany({
        where: { id: c.id, status: "operator", operatorId: c.operatorId, operatorActiveAt: c.operatorActiveAt },
        data: { status: "bot", operatorId: null },
      });
      if (moved.count === 0) return false;
      await tx.escalation.updateMany({ where: { conversationId: c.id, status: "taken" }, data: { status: "open", operatorId: null, takenAt: null } });
      await audit(tx, { clinicId: c.clinicId, operatorId: null, action: "conversation.idle-release", target: `conversation:${c.id}`, details: { operatorId: c.operatorId, idleMinutes }, at: now });
      return true;
    });
    if (!done) continue;
    released.push(c.id);
    deps.logger.info({ conversationId: c.id, operatorId: c.operatorId }, "idle conversation released to the bot");
    events?.publish(c.clinicId, { type: "transcript", conversationId: c.id, identityId: c.identityId });
    events?.publish(c.clinicId, { type: "queue" });
  }
  return released;
}
