// Which chat reaches a ward who has none of their own: a guardian's. One small rule the outbox's
// dispatcher calls after the patient's own chats (src/outbox/dispatcher.ts).
import type { Channel, Db, Tx } from "../../db/client.ts";
import { VISIT_REMINDER_FLOW } from "../appointments/keys.ts";
import { BIRTHDAY_FLOW } from "../bonus/grants.ts";
import { CHECKIN_FLOW, NPS_FLOW, REBOOK_FLOW } from "../visits/care-outbox.ts";
import { WAITLIST_FLOW } from "../waitlist/waitlist.ts";

/**
 * The flows whose texts address a guardian about their ward («Напоминаем о приёме Миши», «Как
 * Миша себя чувствует…», «Оцените, пожалуйста, визит Миши…», «Поздравляем Мишу…») and whose steps
 * act for the ward (their visit, appointment, follow-up, gift): only these reach a ward through a
 * guardian's chat (docs/loyalty.md, «Семьи»). The others (the balance, the reactivation offer, the
 * level news) speak to the patient themself and wait for a chat of their own; the guardian's
 * «баллы» already shows each ward's points.
 */
export const FLOWS_FOR_GUARDIANS: readonly string[] = [VISIT_REMINDER_FLOW, CHECKIN_FLOW, NPS_FLOW, REBOOK_FLOW, WAITLIST_FLOW, BIRTHDAY_FLOW];

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
