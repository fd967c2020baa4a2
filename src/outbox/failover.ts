// Moving a message to the patient's next messenger when one refused it for good. What can move is
// what can be said again from the start: the first messages of a conversation a start-flow row
// began (reminders, surveys, check-ins), before anything of it reached the patient. The start-flow
// row goes back to the queue with the messenger it failed on recorded; the dispatcher then picks
// among the others (pickChannel), once per messenger. Replies stay in the chat the patient wrote in.
import type { Database } from "../db/client.ts";
import type { MessageCategory } from "../db/client.ts";
import type { ChannelName as Channel } from "./channel-sender.ts";

/** The messengers a start-flow row already failed on ("telegram,max" → ["telegram", "max"]). */
export function triedChannelsOf(stored: string | null): string[] {
  return stored ? stored.split(",").filter(Boolean) : [];
}

/**
 * The key prefix of the messages a start-flow row's flow queues: the row's own key the first
 * time, `<key>@<channel>` once it moved (each messenger is tried once, so the key stays unique).
 */
export function attemptPrefix(startKey: string, channel: string, tried: readonly string[]): string {
  return tried.length === 0 ? startKey : `${startKey}@${channel}`;
}

/** A flow message's key "<prefix>:<n>" → its attempt's prefix and the start-flow row's key, or null for other keys. */
export function startKeyOf(messageKey: string): { prefix: string; startKey: string } | null {
  const prefix = /^(.*):\d+$/.exec(messageKey)?.[1];
  if (!prefix) return null;
  return { prefix, startKey: prefix.replace(/@[a-z]+$/, "") };
}

export interface FailedMessage {
  id: number;
  idempotencyKey: string;
  identityId: number | null;
  patientId: number | null;
  conversationId: number | null;
  category: MessageCategory;
}

/**
 * Puts the conversation this message opened back in the queue for another messenger. Returns
 * false (and changes nothing) when the message cannot move: a reply, a message not opened by a
 * start-flow row, or one whose conversation already reached the patient.
 */
export async function moveToNextChannel(db: Database, message: FailedMessage, channel: string, reason: string, now: Date): Promise<boolean> {
  if (message.category === "reply" || message.identityId === null) return false;
  const keys = startKeyOf(message.idempotencyKey);
  if (!keys) return false;
  const start = await db.prisma.outbox.findUnique({ where: { idempotencyKey: keys.startKey }, select: { id: true, kind: true, status: true, sentVia: true, triedChannels: true } });
  if (!start || start.kind !== "start-flow" || start.status !== "sent" || start.sentVia !== message.identityId) return false;
  // Said again from the start only if none of it was said: a patient who already read part of it is not asked twice.
  const delivered = await db.prisma.outbox.count({ where: { idempotencyKey: { startsWith: `${keys.prefix}:` }, status: "sent" } });
  if (delivered > 0) return false;
  const tried = [...triedChannelsOf(start.triedChannels), channel];
  // Moving makes sense only if another messenger of the patient is left to try.
  const others = message.patientId === null ? 0 : await db.prisma.channelIdentity.count({ where: { patientId: message.patientId, unreachableAt: null, channel: { notIn: ["web", ...(tried as Channel[])] } } });
  if (others === 0) return false;
  const why = `${channel}: ${reason}`;
  return db.transaction(async (tx) => {
    // Only one process moves it: the start-flow row must still be the sent one it was a moment ago.
    const reopened = await tx.outbox.updateMany({
      where: { id: start.id, status: "sent", sentVia: message.identityId },
      data: { status: "pending", dueAt: now, sentAt: null, sentVia: null, attempts: 0, leaseOwner: null, leaseUntil: null, triedChannels: tried.join(","), lastError: `${why}; moved on to the patient's next messenger` },
    });
    if (reopened.count === 0) return false;
    await tx.outbox.update({
      where: { id: message.id },
      select: { id: true },
      data: { status: "skipped", movedAt: now, leaseOwner: null, leaseUntil: null, lastError: `${why}; the conversation starts again in the patient's next messenger` },
    });
    await tx.outbox.updateMany({
      where: { idempotencyKey: { startsWith: `${keys.prefix}:` }, status: "pending", id: { not: message.id } },
      data: { status: "skipped", lastError: "its conversation moved to the patient's next messenger" },
    });
    if (message.conversationId !== null) await tx.conversation.updateMany({ where: { id: message.conversationId, status: "bot" }, data: { status: "closed", closedAt: now, timerDueAt: null, timerEvent: null } });
    return true;
  });
}
