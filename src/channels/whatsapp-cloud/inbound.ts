// The Cloud API's webhook body → CareBot InboundMessages (and delivery statuses, for the log).
// Validated with zod; fields CareBot does not read are ignored, unknown message types skipped.
// The chat id is the sender's number in WhatsApp Web's form ("79161234567@c.us"), so a clinic
// that moves from the Web transport to the Cloud API keeps its chats and their patients.
import { z } from "zod";
import type { InboundEvent, InboundMessage, MediaKind } from "../types.ts";
import { chatIdOfPhone, phoneOfChat } from "../whatsapp/inbound.ts";
import { eventOfOptionId } from "./option-id.ts";

const messageSchema = z.object({
  from: z.string().regex(/^\d{5,20}$/),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template message.
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
  contacts: z.array(z.object({ phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional() })).optional(),
});

const statusSchema = z.object({
  id: z.string(),
  status: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

export const webhookSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).partial().optional() })).optional(),
            messages: z.array(messageSchema).optional(),
            statuses: z.array(statusSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type CloudWebhook = z.infer<typeof webhookSchema>;
export type CloudStatus = z.infer<typeof statusSchema>;

const MEDIA: Readonly<Record<string, MediaKind>> = { image: "photo", sticker: "sticker", audio: "voice", video: "video", document: "document", location: "location" };

/**
 * The patients' messages for this phone number, in the order sent. Others' numbers (one app can
 * serve several) are left alone; `phoneNumberId` is the clinic's.
 */
export function inboundOfWebhook(body: CloudWebhook, phoneNumberId: string): { messages: InboundMessage[]; statuses: CloudStatus[] } {
  const messages: InboundMessage[] = [];
  const statuses: CloudStatus[] = [];
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      if (change.field !== "messages" || (value.metadata && value.metadata.phone_number_id !== phoneNumberId)) continue;
      statuses.push(...(value.statuses ?? []));
      for (const message of value.messages ?? []) {
        const chatId = chatIdOfPhone(`+${message.from}`);
        const event = chatId ? eventOf(message, message.from) : null;
        if (!chatId || !event) continue;
        const name = value.contacts?.find((c) => c.wa_id === message.from)?.profile?.name?.trim();
        messages.push({
          channel: "whatsapp",
          chatId,
          userId: chatId,
          dedupeKey: `wa:${message.id}`,
          // WhatsApp itself vouches for the sender's number: the router links the chat by it.
          senderPhone: phoneOfChat(chatId),
          ...(name && { displayName: name }),
          event,
        });
      }
    }
  }
  return { messages, statuses };
}

function eventOf(message: z.infer<typeof messageSchema>, from: string): InboundEvent | null {
  switch (message.type) {
    case "text":
      return message.text?.body.trim() ? { type: "TEXT", text: message.text.body } : null;
    case "interactive": {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (!reply) return null;
      // An id CareBot did not make (an old message's) is read as the words on the button.
      return eventOfOptionId(reply.id) ?? { type: "TEXT", text: reply.title };
    }
    case "button": {
      if (!message.button) return null;
      const payload = message.button.payload ? eventOfOptionId(message.button.payload) : null;
      return payload ?? { type: "TEXT", text: message.button.text };
    }
    case "contacts": {
      const phone = message.contacts?.[0]?.phones?.find((p) => p.phone || p.wa_id);
      if (!phone) return { type: "MEDIA", kind: "other" };
      const number = phone.phone ?? `+${phone.wa_id}`;
      // "own": the card is the sender's own number, not somebody else's shared instead.
      const digits = (phone.wa_id ?? number).replace(/\D/g, "");
      return { type: "CONTACT", phone: number.trim().startsWith("+") || !phone.wa_id ? number : `+${phone.wa_id}`, own: digits === from };
    }
    default: {
      const kind = MEDIA[message.type];
      return kind ? { type: "MEDIA", kind } : null;
    }
  }
}
