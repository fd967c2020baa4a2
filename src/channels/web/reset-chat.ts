import type { WebChatDeps } from "./deps.ts";

/**
 * Starts a staff chat afresh: its open conversations are closed, its escalations resolved and its
 * transcript deleted. Outbox rows stay (they are the record of what was queued). Only for the
 * terminal chat's own identities: callers check the chat id. (The preview's reset is a new
 * sandbox instead: ./sandbox/preview-sandboxes.ts.)
 */
export async function resetChat(carebot: WebChatDeps, identityId: number): Promise<void> {
  const now = carebot.clock.now();
  await carebot.db.transaction(async (tx) => {
    await tx.conversation.updateMany({
      where: { identityId, status: { in: ["bot", "operator"] } },
      data: { status: "closed", closedAt: now, timerDueAt: null, timerEvent: null },
    });
    await tx.escalation.updateMany({ where: { identityId, status: { in: ["open", "taken"] } }, data: { status: "resolved", resolvedAt: now } });
    await tx.message.deleteMany({ where: { identityId } });
  });
  carebot.router.events.emit("transcript", { identityId, conversationId: null });
}
