import { timersBroughtForward } from "../../flows/runtime/inspect.ts";
import type { PreviewSandbox } from "./host.ts";

/**
 * "Skip waiting": brings the chat's open conversation's flow timers forward so that the earliest
 * is due now (the others keep their distance from it), then lets the router fire what is due,
 * exactly as the scheduler would. Staff see a next-day reminder without waiting a day.
 * Returns how many timers the router fired.
 */
export async function skipWaiting(sandbox: PreviewSandbox, identityId: number): Promise<number> {
  const moved = await sandbox.db.transaction(async (tx) => {
    const row = await tx.conversation.findFirst({ where: { identityId, status: "bot" }, orderBy: { id: "desc" } });
    if (!row) return false;
    const forward = timersBroughtForward(row.snapshot, sandbox.clock.now());
    if (forward === null) return false;
    if (forward === "due") return true;
    await tx.conversation.update({ where: { id: row.id }, data: forward });
    return true;
  });
  if (!moved) return 0;
  const fired = await sandbox.router.fireDueTimers();
  sandbox.router.events.emit("transcript", { identityId, conversationId: null });
  return fired;
}
