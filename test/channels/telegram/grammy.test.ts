import { dedupeKeyOf } from "../../../src/channels/telegram/inbound.ts";
// The grammY channel, real grammY + @grammyjs/runner over loopback HTTP against the fake Bot API.
// The router is a recorder (sometimes an echo through sender.send): everything else is real.
import { describe, expect, it } from "vitest";
import { createGrammyChannel } from "../../../src/channels/telegram/grammy.ts";
import type { GrammyChannel, TelegramChannelOptions } from "../../../src/channels/telegram/grammy.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { fakeUser } from "../../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../../support/fake-bot-api/index.ts";
import { fakeApi, memoryLogger, recorder, sleep, useCleanup } from "./helpers.ts";

const onCleanup = useCleanup();
const ann = fakeUser(1001, { firstName: "Anna", lastName: "Petrova", username: "anna_p", languageCode: "ru" });
const bob = fakeUser(1002, { firstName: "Bob", languageCode: "en" });

function channelFor(api: FakeBotApi, options: Omit<TelegramChannelOptions, "token">): GrammyChannel {
  const channel = createGrammyChannel({ token: api.token, apiRoot: api.apiRoot, polling: { timeoutSeconds: 1 }, ...options });
  onCleanup(() => channel.stop());
  return channel;
}

async function pollingChannel(options: Omit<TelegramChannelOptions, "token" | "onInbound"> = {}, handle?: (m: InboundMessage) => Promise<void> | void) {
  const api = await fakeApi(onCleanup);
  const rec = recorder(handle);
  const channel = channelFor(api, { onInbound: rec.onInbound, ...options });
  await channel.start();
  return { api, rec, channel };
}

const events = (messages: InboundMessage[]) => messages.map((m) => m.event);

/** Patients write first (Telegram refuses "chat not found" otherwise); then the record starts empty. */
async function greet(api: FakeBotApi, rec: ReturnType<typeof recorder>, ...users: (typeof ann)[]): Promise<void> {
  for (const user of users) api.sendCommand(user, "/start");
  await rec.waitFor(users.length);
  rec.received.length = 0;
}

describe("grammY channel: inbound over long polling", () => {
  it("translates texts, /start payloads, commands, contacts and media", async () => {
    const { api, rec, channel } = await pollingChannel();
    expect(channel.status()).toEqual({ ok: true, mode: "polling", botUsername: "carebot_test_bot" });

    const first = api.sendText(ann, "Здравствуйте");
    api.sendCommand(ann, "/start", "ref_ABC123");
    api.sendCommand(ann, "/balance@carebot_test_bot");
    api.sendContact(ann, { phone: "+7 999 000-11-22" });
    api.sendContact(ann, { phone: "+79995554433", userId: 4242, firstName: "Friend" });
    api.sendSticker(ann);
    api.sendPhoto(ann, { caption: "снимок" });
    api.sendVoice(ann);
    await rec.waitFor(8);

    expect(rec.received[0]).toEqual({
      channel: "telegram", chatId: "1001", userId: "1001", dedupeKey: dedupeKeyOf("123456", first),
      displayName: "Anna Petrova", username: "anna_p", languageCode: "ru", event: { type: "TEXT", text: "Здравствуйте" },
    });
    expect(events(rec.received)).toEqual([
      { type: "TEXT", text: "Здравствуйте" },
      { type: "START", payload: "ref_ABC123" },
      { type: "TEXT", text: "/balance" },
      { type: "CONTACT", phone: "+7 999 000-11-22", own: true },
      { type: "CONTACT", phone: "+79995554433", own: false },
      { type: "MEDIA", kind: "sticker" },
      { type: "MEDIA", kind: "photo" },
      { type: "MEDIA", kind: "voice" },
    ]);
    expect(new Set(rec.received.map((m) => m.dedupeKey)).size).toBe(8);
    // Only what CareBot reads is fetched at all.
    expect(api.calls.find((c) => c.method === "getUpdates")?.body.allowed_updates).toEqual(["message", "callback_query"]);
  });

  it("keeps a chat's updates in order while other chats go ahead", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { api, rec } = await pollingChannel({}, async (m) => {
      if (m.event.type === "TEXT" && m.event.text === "slow") await gate;
    });
    api.sendText(ann, "slow");
    api.sendText(ann, "after slow");
    api.sendText(bob, "b1");
    api.sendText(bob, "b2");

    // Bob is served while Ann's first update is still being handled...
    await expect.poll(() => rec.received.map((m) => `${m.chatId}:${(m.event as { text: string }).text}`), { timeout: 3000 }).toEqual(
      expect.arrayContaining(["1002:b1", "1002:b2"]),
    );
    await sleep(100);
    const texts = () => rec.received.map((m) => (m.event as { text: string }).text);
    // ...and Ann's second waits for her first.
    expect(texts()).toContain("slow");
    expect(texts()).not.toContain("after slow");
    release();
    await rec.waitFor(4);
    const annTexts = rec.received.filter((m) => m.chatId === "1001").map((m) => (m.event as { text: string }).text);
    expect(annTexts).toEqual(["slow", "after slow"]);
  });

  it("survives a handler that throws: logged, and polling goes on", async () => {
    const logger = memoryLogger();
    const { api, rec, channel } = await pollingChannel({ logger }, (m) => {
      if (m.event.type === "TEXT" && m.event.text === "boom") throw new Error("router exploded");
    });
    const boom = api.sendText(ann, "boom");
    api.sendText(ann, "still there?");
    await rec.waitFor(2);
    await sleep(50);
    api.sendText(bob, "and later");
    await rec.waitFor(3);
    expect(events(rec.received).map((e) => (e as { text: string }).text)).toEqual(["boom", "still there?", "and later"]);
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([
      { level: "error", obj: { updateId: boom.update_id, error: "Error: router exploded" }, msg: "telegram: handling an update failed" },
    ]);
    expect(channel.status().ok).toBe(true);
  });

  it("reports polling trouble in status() and recovers", async () => {
    const logger = memoryLogger();
    const { api, rec, channel } = await pollingChannel({ logger });
    api.failNext("getUpdates", { status: 502 });
    api.sendText(ann, "hi"); // wakes the pending poll; the next one fails once, the runner retries
    api.sendText(ann, "there");
    await rec.waitFor(2);
    expect(channel.status()).toMatchObject({ ok: true, lastError: "getUpdates: 502 Bad Gateway" });
    expect(logger.lines.some((l) => l.level === "warn" && l.msg === "telegram: polling failed, the runner retries")).toBe(true);
  });

  it("stops quickly, confirms what it handled, and can be started again", async () => {
    const { api, rec, channel } = await pollingChannel();
    api.sendText(ann, "one");
    await rec.waitFor(1);
    const t0 = Date.now();
    await channel.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(channel.status().ok).toBe(false);
    api.sendText(ann, "while stopped");
    await sleep(50);
    expect(rec.received).toHaveLength(1);
    await channel.start();
    await rec.waitFor(2);
    expect(events(rec.received)).toEqual([{ type: "TEXT", text: "one" }, { type: "TEXT", text: "while stopped" }]);
  });

  it("registers the command menu in Russian, English and Russian by default", async () => {
    const ru = [{ command: "balance", description: "Мои бонусы" }, { command: "stop", description: "Отписаться" }];
    const en = [{ command: "balance", description: "My bonuses" }, { command: "stop", description: "Unsubscribe" }];
    const { api } = await pollingChannel({ commands: { ru, en } });
    expect(api.commands).toEqual({ "default|ru": ru, "default|en": en, default: ru });
  });

  it("refuses a malformed token up front", () => {
    expect(() => createGrammyChannel({ token: "not-a-token", onInbound: async () => {} })).toThrow(/token is malformed/);
  });
});

describe("grammY channel: buttons", () => {
  it("renders options as an inline keyboard; a press becomes CHOICE, is answered and loses its keyboard", async () => {
    const logger = memoryLogger();
    const { api, rec, channel } = await pollingChannel({ logger });
    await greet(api, rec, ann);
    const result = await channel.sender.send("1001", {
      text: "Визит завтра в 10:00 в силе?",
      options: [{ value: "yes", label: "Да" }, { value: "reschedule", label: "Перенести" }],
    });
    expect(result).toEqual({ ok: true, externalMessageId: expect.any(String) });
    const [menu] = await api.waitForMessages(ann.id, 1);
    expect(String(menu?.messageId)).toBe((result as { externalMessageId: string }).externalMessageId);
    expect(menu?.parseMode).toBeUndefined();
    expect(menu?.replyMarkup).toEqual({
      inline_keyboard: [[{ text: "Да", callback_data: "c:yes" }, { text: "Перенести", callback_data: "c:reschedule" }]],
    });

    const press = api.pressButton(ann, menu!.messageId, "c:reschedule");
    await rec.waitFor(1);
    expect(rec.received[0]).toMatchObject({ chatId: "1001", userId: "1001", dedupeKey: dedupeKeyOf("123456", press), event: { type: "CHOICE", value: "reschedule" } });
    await api.waitForCall("editMessageReplyMarkup");
    expect(api.callbackAnswers).toMatchObject([{ data: "c:reschedule", text: undefined, chatId: ann.id, messageId: menu!.messageId }]);
    expect(menu?.replyMarkup).toBeUndefined(); // the old buttons are gone
    expect(() => api.pressButton(ann, menu!.messageId, "c:yes")).toThrow(/no inline buttons/);

    // A press that raced the removal: answered and forwarded; "message is not modified" is shrugged off.
    api.pressButton(ann, menu!.messageId, "c:yes", { force: true });
    await rec.waitFor(2);
    await expect.poll(() => api.callbackAnswers.length).toBe(2);
    await expect.poll(() => api.calls.filter((c) => c.method === "editMessageReplyMarkup").length).toBe(2);
    expect(api.calls.filter((c) => c.method === "editMessageReplyMarkup").map((c) => c.status)).toEqual([200, 400]);
    expect(logger.lines.filter((l) => l.level === "warn" || l.level === "error")).toEqual([]);
  });

  it("lays out an NPS scale and turns a press into NUMBER", async () => {
    const { api, rec, channel } = await pollingChannel();
    await greet(api, rec, ann);
    const nps = Array.from({ length: 11 }, (_, n) => ({ value: n, label: String(n) }));
    await channel.sender.send("1001", { text: "Насколько вероятно, что вы порекомендуете нас?", options: nps });
    const [ask] = await api.waitForMessages(ann.id, 1);
    const rows = (ask?.replyMarkup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard;
    expect(rows.map((r) => r.length)).toEqual([6, 5]);
    api.pressButton(ann, ask!.messageId, "n:9");
    await rec.waitFor(1);
    expect(rec.received[0]?.event).toEqual({ type: "NUMBER", value: 9 });
    await api.waitForCall("editMessageReplyMarkup");
    expect(api.callbackAnswers).toHaveLength(1);
  });

  it("answers a forged or foreign press in the patient's language and does not forward it", async () => {
    const { api, rec, channel } = await pollingChannel();
    await greet(api, rec, ann, bob);
    await channel.sender.send("1001", { text: "Выберите", options: [{ value: "a", label: "A" }] });
    await channel.sender.send("1002", { text: "Choose", options: [{ value: "a", label: "A" }] });
    const [annMenu] = await api.waitForMessages(ann.id, 1);
    const [bobMenu] = await api.waitForMessages(bob.id, 1);
    api.pressButton(ann, annMenu!.messageId, "visit:yes", { force: true });
    api.pressButton(bob, bobMenu!.messageId, "n:007", { force: true });
    await expect.poll(() => api.callbackAnswers.length).toBe(2);
    expect(api.callbackAnswers.map((a) => [a.data, a.text])).toEqual([
      ["visit:yes", "Эта кнопка уже неактуальна"],
      ["n:007", "This button is no longer active"],
    ]);
    api.sendText(ann, "next");
    await rec.waitFor(1);
    await sleep(50);
    expect(events(rec.received)).toEqual([{ type: "TEXT", text: "next" }]);
  });

  it("asks for the phone with a reply keyboard in the patient's language, then hides it", async () => {
    const { api, rec, channel } = await pollingChannel({
      contactButtonLabel: (lang) => (lang === "en" ? "Send my number" : "Отправить номер"),
    });
    await greet(api, rec, ann, bob); // the adapter learns each patient's language from their messages
    await channel.sender.send("1001", { text: "Поделитесь номером", requestContact: true });
    await channel.sender.send("1002", { text: "Share your number", requestContact: true });
    const [annAsk] = await api.waitForMessages(ann.id, 1);
    const [bobAsk] = await api.waitForMessages(bob.id, 1);
    expect(annAsk?.replyMarkup).toEqual({ keyboard: [[{ text: "Отправить номер", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true });
    expect(bobAsk?.replyMarkup).toMatchObject({ keyboard: [[{ text: "Send my number", request_contact: true }]] });

    api.sendContact(ann, { phone: "+79990001122" });
    await rec.waitFor(1);
    await channel.sender.send("1001", { text: "Спасибо!" });
    await channel.sender.send("1001", { text: "Чем помочь?" });
    const [, thanks, next] = await api.waitForMessages(ann.id, 3);
    expect(thanks?.replyMarkup).toEqual({ remove_keyboard: true });
    expect(next?.replyMarkup).toBeUndefined();
  });
});

describe("grammY channel: send failures", () => {
  async function idleChannel(): Promise<{ api: FakeBotApi; channel: GrammyChannel }> {
    const api = await fakeApi(onCleanup);
    const channel = channelFor(api, { onInbound: async () => {} }); // sending needs no polling
    api.sendText(ann, "hi"); // makes the chat known to the fake
    return { api, channel };
  }
  const sendCalls = (api: FakeBotApi) => api.calls.filter((c) => c.method === "sendMessage");

  it("429: rate_limited with retryAfterMs, and not retried by the adapter", async () => {
    const { api, channel } = await idleChannel();
    api.failNext("sendMessage", { status: 429, retryAfter: 1 });
    expect(await channel.sender.send("1001", { text: "Напоминание" })).toEqual({
      ok: false, reason: "rate_limited", permanent: false, retryAfterMs: 1000, error: "429 Too Many Requests: retry after 1",
    });
    await sleep(1100); // long enough for any hidden retry to show up
    expect(sendCalls(api)).toHaveLength(1);
    expect(api.sent).toHaveLength(0);
  });

  it("403 blocked is permanent; 500 is a server error; an unknown chat is a bad request", async () => {
    const { api, channel } = await idleChannel();
    api.blockBot(ann);
    expect(await channel.sender.send("1001", { text: "x" })).toEqual({
      ok: false, reason: "blocked", permanent: true, error: "403 Forbidden: bot was blocked by the user",
    });
    api.unblockBot(ann);
    api.failNext("sendMessage", { status: 500 });
    expect(await channel.sender.send("1001", { text: "x" })).toMatchObject({ ok: false, reason: "server", permanent: false });
    expect(await channel.sender.send("999999", { text: "x" })).toEqual({
      ok: false, reason: "bad_request", permanent: true, error: "400 Bad Request: chat not found",
    });
    expect(await channel.sender.send("1001", { text: "x", options: [{ value: "v".repeat(70), label: "V" }] })).toMatchObject({
      ok: false, reason: "bad_request", permanent: true, error: expect.stringContaining("too long for a Telegram button"),
    });
    expect(sendCalls(api)).toHaveLength(3); // the unrenderable message never reached Telegram
  });

  it("a connection reset or a closed server is a network failure, without the token in it", async () => {
    const { api, channel } = await idleChannel();
    api.failNext("sendMessage", { reset: true });
    expect(await channel.sender.send("1001", { text: "x" })).toMatchObject({ ok: false, reason: "network", permanent: false });
    await api.close();
    const result = await channel.sender.send("1001", { text: "x" });
    expect(result).toMatchObject({ ok: false, reason: "network", permanent: false });
    expect((result as { error: string }).error).toMatch(/^network: HttpError: Network request for 'sendMessage' failed!/);
    expect((result as { error: string }).error).not.toContain(api.token);
  });

  it("echo: a handler that answers through sender.send", async () => {
    const api = await fakeApi(onCleanup);
    let channel!: GrammyChannel;
    channel = channelFor(api, {
      onInbound: async (m) => {
        if (m.event.type === "TEXT") await channel.sender.send(m.chatId, { text: `Вы написали: ${m.event.text}` });
      },
    });
    await channel.start();
    api.sendText(ann, "*жирный* <b>тег</b>");
    const [echo] = await api.waitForMessages(ann.id, 1);
    expect(echo).toMatchObject({ text: "Вы написали: *жирный* <b>тег</b>", parseMode: undefined });
  });
});
