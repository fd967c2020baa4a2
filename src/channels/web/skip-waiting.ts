import type { CareBot } from "../../core.ts";
import type { Prisma } from "../../db/client.ts";
import { nextTimer, readSession } from "../../flows/runtime/session.ts";

/**
 * "Skip waiting": brings the chat's open conversation's flow timers forward so that the earliest
 * is due now (the others keep their distance from it), then lets the router fire what is due,
 * exactly as the scheduler would. Staff see a next-day reminder without waiting a day.
 * Returns how many timers the router fired.
 */
export async function skipWaiting(carebot: CareBot, identityId: number): Promise<number> {
  const moved = await carebot.db.transaction(async (tx) => {
    const row = await tx.conversation.findFirst({ where: { identityId, status: "bot" }, orderBy: { id: "desc" } });
    if (!row) return false;
    const session = readSession(row.snapshot);
    const first = nextTimer(session.timers);
    if (!first) return false;
    const now = carebot.clock.now();
    const shift = new Date(first.dueAt).getTime() - now.getTime();
    if (shift <= 0) return true; // already due
    const timers = session.timers.map((t) => ({ ...t, dueAt: new Date(new Date(t.dueAt).getTime() - shift).toISOString() }));
    const next = nextTimer(timers)!;
    await tx.conversation.update({
      where: { id: row.id },
      data: { snapshot: { ...session, timers } as unknown as Prisma.InputJsonValue, timerDueAt: new Date(next.dueAt), timerEvent: next.event },
    });
    return true;
  });
  if (!moved) return 0;
  const fired = await carebot.router.fireDueTimers();
  carebot.router.events.emit("transcript", { identityId, conversationId: null });
  return fired;
}
