import { describe, expect, it } from "vitest";
import { chatIdOfPhone, dedupeKeyOf, isPrivateChat, phoneOfChat, toInboundMessage } from "../../../src/channels/whatsapp/inbound.ts";
import { phoneOfVCard } from "../../../src/channels/whatsapp/vcard.ts";
import { incoming, vcard } from "./fake-client.ts";

const event = (fields: Parameters<typeof incoming>[0]) => toInboundMessage(incoming(fields))?.event;

describe("toInboundMessage", () => {
  it("turns a private text into TEXT with the chat, the push name and a dedupe key", () => {
    const message = incoming({ body: "Здравствуйте!" });
    expect(toInboundMessage(message)).toEqual({
      channel: "whatsapp",
      chatId: "79161234567@c.us",
      userId: "79161234567@c.us",
      dedupeKey: `wa:${message.id._serialized}`,
      displayName: "Анна",
      event: { type: "TEXT", text: "Здравствуйте!" },
    });
    // The same message delivered again carries the same key; another message another one.
    expect(dedupeKeyOf(structuredClone(message))).toBe(dedupeKeyOf(message));
    expect(dedupeKeyOf(incoming())).not.toBe(dedupeKeyOf(message));
    expect(toInboundMessage(incoming({ rawData: {} }))).not.toHaveProperty("displayName");
  });

  it("keeps a typed number as TEXT: the runtime maps it to the option it stands for", () => {
    expect(event({ body: "2" })).toEqual({ type: "TEXT", text: "2" });
    expect(event({ body: "  " })).toBeUndefined();
  });

  it("ignores groups, statuses, broadcasts, channels and own messages", () => {
    expect(event({ from: "120363025246125486@g.us", author: "79161234567@c.us" })).toBeUndefined();
    expect(event({ from: "status@broadcast", isStatus: true })).toBeUndefined();
    expect(event({ isStatus: true })).toBeUndefined();
    expect(event({ from: "120363146952245010@newsletter" })).toBeUndefined();
    expect(event({ fromMe: true })).toBeUndefined();
    expect(event({ id: { _serialized: "true_79161234567@c.us_X", fromMe: true } })).toBeUndefined();
    // A hidden id with no phone resolved by the channel is not a chat the router can link.
    expect(event({ from: "179950657237125@lid" })).toBeUndefined();
  });

  it("uses the phone wid the channel resolved for a hidden (@lid) sender", () => {
    const message = incoming({ from: "179950657237125@lid" });
    expect(toInboundMessage(message, "79161234567@c.us")).toMatchObject({ chatId: "79161234567@c.us", event: { type: "TEXT" } });
  });

  it("turns a shared contact into CONTACT, own only when it is the sender's number", () => {
    const own = vcard("Анна", "79161234567", "+7 916 123-45-67");
    expect(event({ type: "vcard", body: own, vCards: [own] })).toEqual({ type: "CONTACT", phone: "+79161234567", own: true });
    const friend = vcard("Иван", "79035550011", "+7 903 555-00-11");
    expect(event({ type: "vcard", body: friend, vCards: [friend] })).toEqual({ type: "CONTACT", phone: "+79035550011", own: false });
    // Older payloads carry the card only in the body.
    expect(event({ type: "vcard", body: own, vCards: [] })).toEqual({ type: "CONTACT", phone: "+79161234567", own: true });
    // A card without any number is still an answer the flow can react to.
    const empty = "BEGIN:VCARD\nVERSION:3.0\nFN:Никто\nEND:VCARD";
    expect(event({ type: "vcard", body: empty, vCards: [empty] })).toEqual({ type: "MEDIA", kind: "other" });
  });

  it("maps media to MEDIA kinds and drops everything else", () => {
    const kinds = { image: "photo", sticker: "sticker", ptt: "voice", audio: "voice", video: "video", document: "document", location: "location" };
    for (const [type, kind] of Object.entries(kinds)) expect(event({ type, hasMedia: true, body: "" })).toEqual({ type: "MEDIA", kind });
    for (const type of ["revoked", "e2e_notification", "reaction", "poll_creation", "call_log", "ciphertext", "protocol", "multi_vcard", "unknown"]) {
      expect(event({ type })).toBeUndefined();
    }
  });
});

describe("phones and chats", () => {
  it("reads the patient's phone from a private chat id only", () => {
    expect(phoneOfChat("79161234567@c.us")).toBe("+79161234567");
    expect(phoneOfChat("120363025246125486@g.us")).toBeUndefined();
    expect(phoneOfChat("status@broadcast")).toBeUndefined();
    expect(phoneOfChat("179950657237125@lid")).toBeUndefined();
    expect(isPrivateChat("79161234567@c.us")).toBe(true);
    expect(isPrivateChat("+79161234567")).toBe(false);
  });

  it("builds a chat id from an international phone and refuses national ones", () => {
    expect(chatIdOfPhone("+7 (916) 123-45-67")).toBe("79161234567@c.us");
    expect(chatIdOfPhone("8 916 123-45-67")).toBeUndefined();
    expect(chatIdOfPhone("+12")).toBeUndefined();
  });

  it("reads vCards: waid first, folded lines, numbers without a country kept as written", () => {
    expect(phoneOfVCard(vcard("A", "4915112345678", "+49 151 12345678"))).toEqual({ phone: "+4915112345678", digits: "4915112345678" });
    expect(phoneOfVCard(vcard("B", undefined, "+7 916 123-45-67"))).toEqual({ phone: "+79161234567", digits: "79161234567" });
    expect(phoneOfVCard(vcard("C", undefined, "8 916 123-45-67"))).toEqual({ phone: "8 916 123-45-67", digits: "89161234567" });
    const folded = "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;type=CELL;wa\r\n id=79161234567:+7 916\r\n  123-45-67\r\nEND:VCARD";
    expect(phoneOfVCard(folded)).toEqual({ phone: "+79161234567", digits: "79161234567" });
    expect(phoneOfVCard("BEGIN:VCARD\nFN:X\nEND:VCARD")).toBeUndefined();
  });
});
