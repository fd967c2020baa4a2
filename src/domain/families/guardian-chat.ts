// Which chat reaches a ward who has none of their own: a guardian's. One small rule the outbox's
// dispatcher calls after the patient's own chats (src/outbox/dispatcher.ts).
import type { Channel, Db, Tx } from "../../db/client.ts";
import { VISIT_REMINDER_FLOW } from "../appointments/keys.ts";

/**
 * The flows whose texts address a guardian about their ward («Напоминаем о приёме Миши») and whose
 * steps act for the ward: only these reach a ward through a guardian's chat. Others (a survey, a
 * check-in) speak to the patient themself and wait for a chat of their own.
 */
export const FLOWS_FOR_GUARDIANS: readonly string[] = [VISIT_REMINDER_FLOW];

/**
 * The chat of the ward's guardian to write to about the ward: among the guardians' reachable
 * chats (not the web preview) whose channel can send now, the one written from last. Null when no
 * guardian can be reached; a guardian who opted out is not written to about anyone.
 */
export async function guardianChatFor(db: Tx | Db, wardId: number, flowId: string, ready: (channel: Channel) => boolean) {
  if (!FLOWS_FOR_GUARDIANS.includes(flowId)) return null;
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
