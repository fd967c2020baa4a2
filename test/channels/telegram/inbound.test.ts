import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { botIdFromToken, toInboundMessage } from "../../../src/channels/telegram/inbound.ts";

const BOT = "123456";
const ann = { id: 1001, is_bot: false, first_name: "Anna", last_name: "Petrova", username: "anna_p", language_code: "ru" };
const chat = { id: 1001, type: "private" as const, first_name: "Anna" };
let nextId = 1;

function messageUpdate(content: Record<string, unknown>, extra: Partial<Message> = {}): Update {
  return { update_id: nextId++, message: { message_id: 1, date: 0, chat, from: ann, ...content, ...extra } as NonNullable<Update["message"]> };
}
const event = (update: Update) => toInboundMessage(update, BOT)?.event;

describe("toInboundMessage: messages", () => {
  it("fills sender fields and a per-bot dedupe key", () => {
    const update = messageUpdate({ text: "Здравствуйте" });
    expect(toInboundMessage(update, BOT)).toEqual({
      channel: "telegram", chatId: "1001", userId: "1001", dedupeKey: `tg:123456:m:1001:${update.message!.message_id}`,
      displayName: "Anna Petrova", username: "anna_p", languageCode: "ru", event: { type: "TEXT", text: "Здравствуйте" },
    });
    const bare = toInboundMessage(messageUpdate({ text: "hi", from: { id: 7, is_bot: false, first_name: "Bo" } }), BOT);
    expect(bare).toMatchObject({ userId: "7", displayName: "Bo" });
    expect(bare).not.toHaveProperty("username");
    expect(bare).not.toHaveProperty("languageCode");
    // Two bots receiving the same update id never collide; the same update always gives the same key.
    expect(toInboundMessage(update, "777")?.dedupeKey).toBe(`tg:777:m:1001:${update.message!.message_id}`);
    expect(toInboundMessage(update, BOT)?.dedupeKey).toBe(toInboundMessage(structuredClone(update), BOT)?.dedupeKey);
  });

  it("turns /start and deep links into START, trimming the payload", () => {
    expect(event(messageUpdate({ text: "/start ref_ABC123" }))).toEqual({ type: "START", payload: "ref_ABC123" });
    expect(event(messageUpdate({ text: "/start" }))).toEqual({ type: "START" });
    expect(event(messageUpdate({ text: "/start   " }))).toEqual({ type: "START" });
    expect(event(messageUpdate({ text: "/start@carebot_bot  ref_X \n" }))).toEqual({ type: "START", payload: "ref_X" });
    expect(event(messageUpdate({ text: "/START ref" }))).toEqual({ type: "START", payload: "ref" });
  });

  it("keeps other commands as TEXT without the bot mention", () => {
    expect(event(messageUpdate({ text: "/balance@carebot_bot" }))).toEqual({ type: "TEXT", text: "/balance" });
    expect(event(messageUpdate({ text: "/balance" }))).toEqual({ type: "TEXT", text: "/balance" });
    expect(event(messageUpdate({ text: "/Balance@carebot_bot now" }))).toEqual({ type: "TEXT", text: "/balance now" });
    expect(event(messageUpdate({ text: "/start_over" }))).toEqual({ type: "TEXT", text: "/start_over" });
    expect(event(messageUpdate({ text: "/ not a command" }))).toEqual({ type: "TEXT", text: "/ not a command" });
    expect(event(messageUpdate({ text: "10" }))).toEqual({ type: "TEXT", text: "10" }); // the runtime makes it a NUMBER
  });

  it("marks whose contact was shared, phone as sent", () => {
    const contact = (user_id?: number) => messageUpdate({ contact: { phone_number: "79990001122", first_name: "A", ...(user_id && { user_id }) } });
    expect(event(contact(1001))).toEqual({ type: "CONTACT", phone: "79990001122", own: true });
    expect(event(contact(2002))).toEqual({ type: "CONTACT", phone: "79990001122", own: false });
    expect(event(contact())).toEqual({ type: "CONTACT", phone: "79990001122", own: false });
  });

  it("reduces media to its kind", () => {
    const file = { file_id: "f", file_unique_id: "u" };
    const cases: [Record<string, unknown>, string][] = [
      [{ sticker: { ...file, type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }, "sticker"],
      [{ photo: [{ ...file, width: 1, height: 1 }], caption: "x-ray" }, "photo"],
      [{ voice: { ...file, duration: 1 } }, "voice"],
      [{ video: { ...file, width: 1, height: 1, duration: 1 } }, "video"],
      [{ video_note: { ...file, length: 1, duration: 1 } }, "video"],
      [{ document: file }, "document"],
      [{ animation: { ...file, width: 1, height: 1, duration: 1 }, document: file }, "other"], // GIFs carry a document too
      [{ location: { latitude: 55.7, longitude: 37.6 } }, "location"],
      [{ venue: { location: { latitude: 1, longitude: 2 }, title: "t", address: "a" }, location: { latitude: 1, longitude: 2 } }, "location"],
      [{ audio: { ...file, duration: 1 } }, "other"],
      [{ dice: { emoji: "🎲", value: 3 } }, "other"],
    ];
    for (const [content, kind] of cases) expect(event(messageUpdate(content)), kind).toEqual({ type: "MEDIA", kind });
  });

  it("returns null for what is not a patient writing to the bot", () => {
    const msg = { message_id: 1, date: 0, chat, from: ann, text: "hi" };
    const group = { id: -100, type: "group", title: "Clinic staff" };
    const nulls: object[] = [
      { update_id: 1, edited_message: { ...msg, edit_date: 1 } },
      { update_id: 2, channel_post: { ...msg, chat: { id: -1001, type: "channel", title: "News" } } },
      { update_id: 3, message: { ...msg, chat: group } },
      { update_id: 4, message: { ...msg, chat: { ...group, type: "supergroup" } } },
      { update_id: 5, my_chat_member: { chat, from: ann, date: 0, old_chat_member: {}, new_chat_member: {} } },
      { update_id: 6, message: { message_id: 2, date: 0, chat, from: ann, pinned_message: msg } },
      { update_id: 7, message: { ...msg, from: { id: 5, is_bot: true, first_name: "Other bot" } } },
      { update_id: 8, message: { message_id: 3, date: 0, chat, text: "no sender" } },
      { update_id: 9, business_message: msg },
      { update_id: 10, weird_kind: { foo: 1 } },
      { update_id: 11, message: { text: "no chat at all" } },
    ];
    for (const update of nulls) expect(toInboundMessage(update as Update, BOT), JSON.stringify(update)).toBeNull();
  });
});

describe("toInboundMessage: button presses", () => {
  const press = (data: string | undefined, over: Record<string, unknown> = {}): Update =>
    ({
      update_id: nextId++,
      callback_query: { id: "q1", from: ann, chat_instance: "ci", message: { message_id: 9, date: 1, chat }, ...(data !== undefined && { data }), ...over },
    }) as Update;

  it("decodes CareBot data into CHOICE or NUMBER", () => {
    expect(toInboundMessage(press("c:yes"), BOT)).toMatchObject({ chatId: "1001", userId: "1001", event: { type: "CHOICE", value: "yes" } });
    expect(event(press("n:9"))).toEqual({ type: "NUMBER", value: 9 });
  });

  it("returns null for foreign, forged or misplaced presses", () => {
    expect(event(press("visit:yes"))).toBeUndefined();
    expect(event(press("n:01"))).toBeUndefined();
    expect(event(press(undefined, { game_short_name: "g" }))).toBeUndefined();
    expect(event(press("c:yes", { message: undefined, inline_message_id: "im" }))).toBeUndefined();
    expect(event(press("c:yes", { message: { message_id: 9, date: 1, chat: { id: -100, type: "group", title: "g" } } }))).toBeUndefined();
  });
});

describe("botIdFromToken", () => {
  it("takes the digits before the colon and never echoes a bad token", () => {
    expect(botIdFromToken("123456:ABC-def_9")).toBe("123456");
    for (const bad of ["", "abc:def", "123456", "123456:", "123:abc:def", " 1:a"]) {
      let message = "";
      try {
        botIdFromToken(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toMatch(/token is malformed/);
      if (bad.trim()) expect(message).not.toContain(bad);
    }
  });
});
