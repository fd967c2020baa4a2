import { afterEach, describe, expect, it } from "vitest";
import { createMaxChannel } from "../../../src/channels/max/channel.ts";
import { classifyMaxError } from "../../../src/channels/max/errors.ts";
import { maxInboundMessage } from "../../../src/channels/max/inbound.ts";
import { MAX_TEXT_LENGTH, renderMaxMessage, splitText } from "../../../src/channels/max/render.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { fakeMaxUser, startFakeMaxApi } from "../../support/fake-max-api/index.ts";
import type { FakeMaxApi } from "../../support/fake-max-api/index.ts";

const TOKEN = "max-unit-token-0123456789abcdef";
const user = { user_id: 42, first_name: "Ирина", last_name: "Лебедева", name: "Ирина Лебедева", username: null, is_bot: false, last_activity_time: 1 };
const dialog = { chat_id: 9042, chat_type: "dialog" as const, user_id: 1, post_id: null };
const message = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ update_type: "message_created", timestamp: 5, message: { sender: user, recipient: dialog, timestamp: 5, body: { mid: "m1", seq: 1, text: null, ...body } }, user_locale: "ru", ...extra }) as never;

describe("MAX inbound translation", () => {
  it("reads text, commands, a shared contact (own or not) and media", () => {
    expect(maxInboundMessage(message({ text: "меню" }))).toMatchObject({
      channel: "max", chatId: "9042", userId: "42", displayName: "Ирина Лебедева", languageCode: "ru", dedupeKey: "max:m:m1", event: { type: "TEXT", text: "меню" },
    });
    expect(maxInboundMessage(message({ text: "/Balance now" }))?.event).toEqual({ type: "TEXT", text: "/balance now" });
    expect(maxInboundMessage(message({ text: "/start ref_ABC234" }))?.event).toEqual({ type: "START", payload: "ref_ABC234" });
    const card = (owner: number) => [{ type: "contact", payload: { vcf_info: "BEGIN:VCARD\r\nTEL;TYPE=cell:+7 916 555-10-01\r\nEND:VCARD", max_info: { ...user, user_id: owner }, hash: "h" } }];
    expect(maxInboundMessage(message({ attachments: card(42) }))?.event).toEqual({ type: "CONTACT", phone: "+79165551001", own: true });
    expect(maxInboundMessage(message({ attachments: card(43) }))?.event).toEqual({ type: "CONTACT", phone: "+79165551001", own: false });
    expect(maxInboundMessage(message({ attachments: [{ type: "image", payload: { url: "u", token: "t", photo_id: 1 } }] }))?.event).toEqual({ type: "MEDIA", kind: "photo" });
  });

  it("turns button payloads into CHOICE or NUMBER, and bot_started into START with its payload", () => {
    const press = (payload: string) =>
      maxInboundMessage({ update_type: "message_callback", timestamp: 6, callback: { timestamp: 6, callback_id: "cb1", payload, user }, message: { sender: null, recipient: dialog, timestamp: 5, body: { mid: "m2", seq: 2, text: "?" } } } as never);
    expect(press("n:9")).toMatchObject({ dedupeKey: "max:cb:cb1", event: { type: "NUMBER", value: 9 } });
    expect(press("c:yes")?.event).toEqual({ type: "CHOICE", value: "yes" });
    expect(press("someone else's button")).toBeNull();
    expect(maxInboundMessage({ update_type: "bot_started", timestamp: 7, chat_id: 9042, user, payload: "ref_ABC234" } as never)).toMatchObject({
      chatId: "9042", dedupeKey: "max:s:9042:7", event: { type: "START", payload: "ref_ABC234" },
    });
    expect(maxInboundMessage({ update_type: "bot_started", timestamp: 8, chat_id: 9042, user } as never)?.event).toEqual({ type: "START" });
  });

  it("ignores group chats, bots, edits and malformed updates", () => {
    expect(maxInboundMessage(message({ text: "hi" }, { message: { sender: user, recipient: { ...dialog, chat_type: "chat" }, timestamp: 5, body: { mid: "m", seq: 1, text: "hi" } } }))).toBeNull();
    expect(maxInboundMessage(message({ text: "hi" }, { message: { sender: { ...user, is_bot: true }, recipient: dialog, timestamp: 5, body: { mid: "m", seq: 1, text: "hi" } } }))).toBeNull();
    expect(maxInboundMessage({ update_type: "message_edited", timestamp: 1 } as never)).toBeNull();
    expect(maxInboundMessage({ update_type: "message_created", timestamp: 1 } as never)).toBeNull();
  });
});

describe("MAX rendering", () => {
  it("lays options out as callback buttons, and puts the contact button above «message» buttons", () => {
    const nps = Array.from({ length: 11 }, (_, n) => ({ value: n, label: String(n) }));
    const [part] = renderMaxMessage({ text: "Оцените нас", options: nps }, "Поделиться номером");
    expect(part!.attachments![0]!.payload.buttons.map((row) => row.length)).toEqual([6, 5]);
    expect(part!.attachments![0]!.payload.buttons[0]![0]).toEqual({ type: "callback", text: "0", payload: "n:0" });
    const [ask] = renderMaxMessage({ text: "Ваш номер?", requestContact: true, options: [{ value: "later", label: "Позже" }] }, "Поделиться номером");
    expect(ask!.attachments![0]!.payload.buttons).toEqual([[{ type: "request_contact", text: "Поделиться номером" }], [{ type: "message", text: "Позже" }]]);
    expect(renderMaxMessage({ text: "Просто текст" }, "x")).toEqual([{ text: "Просто текст" }]);
  });

  it("splits a long text at a break, keyboard on the last part only", () => {
    const paragraph = "Слово ".repeat(500).trim();
    const parts = renderMaxMessage({ text: `${paragraph}\n\n${paragraph}`, options: [{ value: "ok", label: "Понятно" }] }, "x");
    expect(parts.length).toBe(2);
    expect(parts.every((p) => [...p.text].length <= MAX_TEXT_LENGTH)).toBe(true);
    expect(parts[0]!.attachments).toBeUndefined();
    expect(parts[1]!.attachments).toHaveLength(1);
    expect(parts.map((p) => p.text).join(" ").replace(/\s+/g, " ")).toBe(`${paragraph} ${paragraph}`);
    expect(splitText("a".repeat(10), 4)).toEqual(["aaaa", "aaaa", "aa"]);
  });
});

describe("MAX send errors", () => {
  const maxError = (status: number, code: string, message = "") => ({ status, response: { code, message } });
  it("classifies like Telegram: 429 waits, 5xx and network retry, blocked is permanent", () => {
    expect(classifyMaxError(maxError(429, "too.many.requests"))).toMatchObject({ reason: "rate_limited", permanent: false });
    expect(classifyMaxError(maxError(503, "internal.error"))).toMatchObject({ reason: "server", permanent: false });
    expect(classifyMaxError(maxError(403, "chat.denied", "user blocked the bot"))).toMatchObject({ reason: "blocked", permanent: true });
    expect(classifyMaxError(maxError(401, "verify.token"))).toMatchObject({ reason: "server", permanent: false });
    expect(classifyMaxError(maxError(404, "chat.not.found"))).toMatchObject({ reason: "bad_request", permanent: true });
    expect(classifyMaxError(new TypeError("fetch failed", { cause: new Error("ECONNREFUSED") }))).toMatchObject({ reason: "network", permanent: false, error: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("MAX channel against the fake MAX Bot API", () => {
  let api: FakeMaxApi | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await api?.close();
  });

  it("polls with a marker that moves only after a batch is handled, keeps a chat in order, and sends with message ids", async () => {
    api = await startFakeMaxApi({ token: TOKEN });
    const received: InboundMessage[] = [];
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const channel = createMaxChannel({
      token: TOKEN,
      apiUrl: api.url,
      polling: { timeoutSeconds: 1 },
      onInbound: async (m) => {
        received.push(m);
        await held; // the first batch is still being handled
      },
    });
    const patient = fakeMaxUser(5, { firstName: "Вера" });
    api.startBot(patient);
    api.sendText(patient, "первое");
    api.sendText(patient, "второе");
    await channel.start();
    stops.push(() => channel.stop());
    await expect.poll(() => received.length).toBe(1);
    // Nothing is confirmed while the batch is in hand: a crash now gets all three again.
    expect(api.confirmedMarker()).toBe(0);
    release();
    await expect.poll(() => received.length).toBe(3);
    expect(received.map((m) => m.event)).toEqual([{ type: "START" }, { type: "TEXT", text: "первое" }, { type: "TEXT", text: "второе" }]);
    await expect.poll(() => api!.confirmedMarker()).toBe(3);

    const result = await channel.sender.send(String(patient.chatId), { text: "Здравствуйте!", options: [{ value: "yes", label: "Да" }] });
    expect(result).toEqual({ ok: true, externalMessageId: api.sent[0]!.mid });
    expect(api.sent[0]).toMatchObject({ text: "Здравствуйте!", buttons: [[{ type: "callback", text: "Да", payload: "c:yes" }]] });
    expect(channel.status()).toMatchObject({ ok: true, mode: "polling", botUsername: "clinic_bot" });

    api.failNext("POST /messages", { status: 429 });
    expect(await channel.sender.send(String(patient.chatId), { text: "ещё" })).toMatchObject({ ok: false, reason: "rate_limited", permanent: false });
    api.block(patient);
    expect(await channel.sender.send(String(patient.chatId), { text: "ещё" })).toMatchObject({ ok: false, reason: "blocked", permanent: true });
  });

  it("answers a stale press with a notice in the patient's language and hands nothing over", async () => {
    api = await startFakeMaxApi({ token: TOKEN });
    const received: InboundMessage[] = [];
    const channel = createMaxChannel({ token: TOKEN, apiUrl: api.url, polling: { timeoutSeconds: 1 }, onInbound: async (m) => void received.push(m) });
    await channel.start();
    stops.push(() => channel.stop());
    const patient = fakeMaxUser(6, { locale: "en" });
    api.startBot(patient);
    await expect.poll(() => received.length).toBe(1);
    await channel.sender.send(String(patient.chatId), { text: "?", options: [{ value: "a", label: "A" }] });
    api.pressButton(patient, api.sent[0]!.mid, "forged");
    await expect.poll(() => api!.answers.length).toBe(1);
    expect(api.answers[0]).toMatchObject({ notification: "This button is no longer active" });
    expect(received).toHaveLength(1);
  });
});
