// Which chat reaches a ward who has none of their own: a guardian's. One small rule the outbox's
// dispatcher calls after the patient's own chats (src/outbox/dispatcher.ts).
import type { Db, Tx } from "../../db/client.ts";

/**
 * The chat of the ward's guardian to write to about the ward: among the guardians' reachable
 * chats (not the web preview) whose channel can send now, the one written from last. Null when no
 * guardian can be reached; a guardian who opted out is not written to about anyone.
 */
export async function guardianChatFor(db: Tx | Db, wardId: number, ready: (channel: string) => boolean) {
  const chats = await db.channelIdentity.findMany({
    where: {
      unreachableAt: null,
      channel: { not: "web" },
      patient: { optedOutAt: null, erasedAt: null, wards: { some: { wardId } } },
    },
    orderBy: [{ lastInboundAt: "desc" }, { id: "desc" }],
  });
  return chats.find((c) => ready(c.channel)) ?? null;
}
