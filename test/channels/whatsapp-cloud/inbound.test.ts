import { describe, expect, it } from "vitest";
import { inboundOfWebhook, webhookSchema } from "../../../src/channels/whatsapp-cloud/index.ts";

const NUMBER_ID = "109876543210";
const webhook = (value: Record<string, unknown>, phoneNumberId = NUMBER_ID) =>
  webhookSchema.parse({ object: "whatsapp_business_account", entry: [{ id: "W", changes: [{ field: "messages", value: { metadata: { phone_number_id: phoneNumberId }, ...value } }] }] });
const one = (message: Record<string, unknown>) => inboundOfWebhook(webhook({ contacts: [{ wa_id: "79161112233", profile: { name: "Вера" } }], messages: [{ from: "79161112233", id: "wamid.1", ...message }] }), NUMBER_ID).messages;

describe("the Cloud API's webhook body → CareBot's inbound messages", () => {
  it("a text: the chat is the number in WhatsApp Web's form, the phone is vouched for, the name comes from the profile", () => {
    expect(one({ type: "text", text: { body: "меню" } })).toEqual([
      { channel: "whatsapp", chatId: "79161112233@c.us", userId: "79161112233@c.us", dedupeKey: "wa:wamid.1", senderPhone: "+79161112233", displayName: "Вера", event: { type: "TEXT", text: "меню" } },
    ]);
  });

  it("a reply button and a list row bring the option's value back; a template's quick reply its text", () => {
    expect(one({ type: "interactive", interactive: { type: "button_reply", button_reply: { id: "s:confirm", title: "Подтверждаю" } } })[0]!.event).toEqual({ type: "CHOICE", value: "confirm" });
    expect(one({ type: "interactive", interactive: { type: "list_reply", list_reply: { id: "n:9", title: "9" } } })[0]!.event).toEqual({ type: "NUMBER", value: 9 });
    expect(one({ type: "button", button: { text: "Подтверждаю", payload: "Подтверждаю" } })[0]!.event).toEqual({ type: "TEXT", text: "Подтверждаю" });
  });

  it("a shared contact is the patient's own only when it carries the sender's number", () => {
    expect(one({ type: "contacts", contacts: [{ phones: [{ phone: "+7 916 111-22-33", wa_id: "79161112233" }] }] })[0]!.event).toEqual({ type: "CONTACT", phone: "+7 916 111-22-33", own: true });
    expect(one({ type: "contacts", contacts: [{ phones: [{ phone: "+7 916 000-00-00", wa_id: "79160000000" }] }] })[0]!.event).toMatchObject({ type: "CONTACT", own: false });
  });

  it("media is MEDIA; reactions and other numbers' updates are not patient input; statuses are kept apart", () => {
    expect(one({ type: "image", image: { id: "m" } })[0]!.event).toEqual({ type: "MEDIA", kind: "photo" });
    expect(one({ type: "reaction", reaction: { emoji: "👍" } })).toEqual([]);
    const other = inboundOfWebhook(webhook({ messages: [{ from: "79161112233", id: "wamid.2", type: "text", text: { body: "hi" } }] }, "999"), NUMBER_ID);
    expect(other.messages).toEqual([]);
    const statuses = inboundOfWebhook(webhook({ statuses: [{ id: "wamid.3", status: "failed", recipient_id: "79161112233", errors: [{ code: 131026 }] }] }), NUMBER_ID);
    expect(statuses).toEqual({ messages: [], statuses: [{ id: "wamid.3", status: "failed", recipient_id: "79161112233", errors: [{ code: 131026 }] }] });
  });
});
