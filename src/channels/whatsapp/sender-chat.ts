// The phone chat ("…@c.us") a message came from. WhatsApp is moving private chats to hidden ids
// ("…@lid") that carry no number; CareBot links patients by phone, so such a sender is looked up.
import type { WhatsAppClient, WhatsAppIncoming } from "./client.ts";

/** The sender's "…@c.us" chat, or undefined when there is none to find (groups, statuses, unknown lids). */
export async function senderChatOf(client: WhatsAppClient, message: WhatsAppIncoming): Promise<string | undefined> {
  if (message.from.endsWith("@c.us")) return message.from;
  if (!message.from.endsWith("@lid") || !client.getContactLidAndPhone) return undefined;
  const [found] = await client.getContactLidAndPhone([message.from]);
  return found?.pn?.endsWith("@c.us") ? found.pn : undefined;
}
