import { dedupeKeyOf } from "../../../src/channels/telegram/inbound.ts";
// A clinic's own Telegraf bot with CareBot mounted as middleware: real Telegraf long polling
// (bot.launch()) against the fake Bot API; the clinic's handlers are registered after CareBot's.
import { Telegraf } from "telegraf";
import { describe, expect, it } from "vitest";
import { ChatMemory } from "../../../src/channels/telegram/chat-memory.ts";
import { createTelegrafMiddleware, createTelegrafSender } from "../../../src/channels/telegram/telegraf.ts";
import type { TelegrafMiddlewareOptions } from "../../../src/channels/telegram/telegraf.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { fakeUser } from "../../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../../support/fake-bot-api/index.ts";
import { fakeApi, memoryLogger, recorder, sleep, useCleanup } from "./helpers.ts";

const onCleanup = useCleanup();
const ann = fakeUser(1001, { firstName: "Anna", languageCode: "ru" });

/** The clinic's bot: CareBot first, then the clinic's own handlers that record what reaches them. */
async function clinicBot(options: Omit<TelegrafMiddlewareOptions, "onInbound"> = {}, handle?: (m: InboundMessage) => Promise<void> | void) {
  const api = await fakeApi(onCleanup);
  const rec = recorder(handle);
  const bot = new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } });
  const memory = new ChatMemory();
  const sender = createTelegrafSender(bot.telegram, { memory });
  bot.use(createTelegrafMiddleware({ onInbound: rec.onInbound, memory, ...options }));
  const clinic: string[] = [];
  bot.start(async (ctx) => {
    clinic.push(`start:${ctx.payload}`);
  });
  bot.action("visit:yes", async (ctx) => {
    clinic.push("action:visit:yes");
    await ctx.answerCbQuery("Записали");
  });
  bot.on("text", async (ctx) => {
    clinic.push(`text:${ctx.message.text}`);
    await ctx.reply(`Клиника: ${ctx.message.text}`);
  });
  bot.on("message", async () => {
    clinic.push("message");
  });
  const launched = bot.launch();
  let stopped = false;
  onCleanup(async () => {
    if (!stopped) bot.stop("test");
    await launched;
  });
  await api.waitForCall("deleteWebhook"); // Telegraf's last call before it starts polling
  return { api, rec, bot, sender, clinic, stop: async () => { stopped = true; bot.stop("test"); await launched; } };
}

const clinicTexts = (m: InboundMessage) => !(m.event.type === "TEXT" && /^(clinic|\/hours)/.test(m.event.text));

describe("Telegraf middleware", () => {
  it("consumes CareBot's updates and passes the clinic's own to the handlers after it", async () => {
    const { api, rec, clinic } = await clinicBot({ isCareBotUpdate: clinicTexts });
    const start = api.sendCommand(ann, "/start", "ref_ABC123");
    api.sendText(ann, "Хочу записаться");
    api.sendText(ann, "clinic hours please");
    api.sendCommand(ann, "/hours");
    api.sendContact(ann, { phone: "+79990001122" });
    api.sendSticker(ann);
    api.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: -5, type: "group", title: "Staff" }, from: { id: 7, is_bot: false, first_name: "Dr" }, text: "staff chat" } });
    await rec.waitFor(4);
    await expect.poll(() => clinic.length).toBe(3);

    expect(rec.received[0]).toEqual({
      channel: "telegram", chatId: "1001", userId: "1001", dedupeKey: dedupeKeyOf("123456", start),
      displayName: "Anna", languageCode: "ru", event: { type: "START", payload: "ref_ABC123" },
    });
    expect(rec.received.map((m) => m.event)).toEqual([
      { type: "START", payload: "ref_ABC123" },
      { type: "TEXT", text: "Хочу записаться" },
      { type: "CONTACT", phone: "+79990001122", own: true },
      { type: "MEDIA", kind: "sticker" },
    ]);
    expect(clinic.sort()).toEqual(["text:/hours", "text:clinic hours please", "text:staff chat"].sort());
    await api.waitForMessages(ann.id, 2); // the clinic's handler replied as usual
  });

  it("by default every private message is CareBot's; /start can be left to the clinic", async () => {
    const { api, rec, clinic } = await clinicBot({ handleStart: false });
    api.sendCommand(ann, "/start", "promo");
    api.sendText(ann, "clinic hours please");
    await rec.waitFor(1);
    await expect.poll(() => clinic).toEqual(["start:promo"]);
    expect(rec.received.map((m) => m.event)).toEqual([{ type: "TEXT", text: "clinic hours please" }]);
  });

  it("presses: CareBot's become CHOICE/NUMBER (answered, keyboard removed); others reach the clinic's bot.action", async () => {
    const { api, rec, clinic, bot, sender } = await clinicBot();
    api.sendText(ann, "hi");
    await rec.waitFor(1);
    const sent = await sender.send("1001", { text: "Оцените визит", options: [{ value: 5, label: "5" }, { value: "later", label: "Позже" }] });
    expect(sent).toMatchObject({ ok: true });
    const ask = api.messagesTo(ann.id).at(-1)!;
    expect(ask.replyMarkup).toEqual({ inline_keyboard: [[{ text: "5", callback_data: "n:5" }, { text: "Позже", callback_data: "c:later" }]] });

    api.pressButton(ann, ask.messageId, "n:5");
    await rec.waitFor(2);
    expect(rec.received[1]?.event).toEqual({ type: "NUMBER", value: 5 });
    await api.waitForCall("editMessageReplyMarkup");
    expect(ask.replyMarkup).toBeUndefined();
    expect(api.callbackAnswers.map((a) => [a.data, a.text])).toEqual([["n:5", undefined]]);

    const own = await bot.telegram.sendMessage(ann.id, "Придёте?", { reply_markup: { inline_keyboard: [[{ text: "Да", callback_data: "visit:yes" }]] } });
    api.pressButton(ann, own.message_id, "visit:yes");
    await expect.poll(() => clinic).toContain("action:visit:yes");
    // The clinic's handler answers the press after it has run: wait for that answer to arrive.
    await expect.poll(() => api.callbackAnswers.map((a) => [a.data, a.text])).toEqual([["n:5", undefined], ["visit:yes", "Записали"]]);
    expect(rec.received).toHaveLength(2);
  });

  it("a throwing router does not stop the clinic's polling", async () => {
    const logger = memoryLogger();
    const { api, rec } = await clinicBot({ logger }, (m) => {
      if (m.event.type === "TEXT" && m.event.text === "boom") throw new Error("router exploded");
    });
    api.sendText(ann, "boom");
    await rec.waitFor(1);
    await sleep(30);
    api.sendText(ann, "after");
    await rec.waitFor(2);
    expect(logger.lines.filter((l) => l.level === "error").map((l) => l.obj)).toEqual([{ updateId: 1, error: "Error: router exploded" }]);
  });

  it("a database that is away is waited out in place: the update is handled, not lost", async () => {
    const logger = memoryLogger();
    let away = 2;
    const { api, rec } = await clinicBot({ logger }, () => {
      if (away-- > 0) throw Object.assign(new Error("Can't reach database server"), { code: "P1001" });
    });
    api.sendText(ann, "Хочу записаться");
    await rec.waitFor(3);
    expect(rec.received.map((m) => m.event)).toEqual(Array(3).fill({ type: "TEXT", text: "Хочу записаться" }));
    expect(logger.lines.filter((l) => l.level === "warn")).toHaveLength(2);
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("Telegraf sender", () => {
  async function telegram(): Promise<{ api: FakeBotApi; bot: Telegraf }> {
    const api = await fakeApi(onCleanup);
    api.sendText(ann, "hi");
    return { api, bot: new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } }) };
  }

  it("sends plain text with an inline keyboard, and a contact request in the patient's language", async () => {
    const { api, bot } = await telegram();
    const memory = new ChatMemory();
    memory.rememberLanguage("1001", "en");
    const sender = createTelegrafSender(bot.telegram, { memory });
    expect(sender.channel).toBe("telegram");
    const result = await sender.send("1001", { text: "*Как* _вы_?", options: [{ value: "ok", label: "Хорошо" }] });
    expect(result).toEqual({ ok: true, externalMessageId: String(api.messagesTo(ann.id)[0]?.messageId) });
    expect(api.sent[0]).toMatchObject({ text: "*Как* _вы_?", parseMode: undefined, replyMarkup: { inline_keyboard: [[{ text: "Хорошо", callback_data: "c:ok" }]] } });
    await sender.send("1001", { text: "Your number?", requestContact: true });
    expect(api.sent[1]?.replyMarkup).toMatchObject({ keyboard: [[{ text: "Share my phone number", request_contact: true }]] });
  });

  it("classifies Telegraf's failures the same way, without retrying", async () => {
    const { api, bot } = await telegram();
    const sender = createTelegrafSender(bot.telegram);
    api.failNext("sendMessage", { status: 429, retryAfter: 1 });
    expect(await sender.send("1001", { text: "x" })).toEqual({
      ok: false, reason: "rate_limited", permanent: false, retryAfterMs: 1000, error: "429 Too Many Requests: retry after 1",
    });
    api.failNext("sendMessage", { status: 403 });
    expect(await sender.send("1001", { text: "x" })).toMatchObject({ reason: "blocked", permanent: true });
    api.failNext("sendMessage", { status: 500 });
    expect(await sender.send("1001", { text: "x" })).toMatchObject({ reason: "server", permanent: false });
    expect(await sender.send("4242", { text: "x" })).toMatchObject({ reason: "bad_request", permanent: true, error: "400 Bad Request: chat not found" });
    await api.close();
    const down = await sender.send("1001", { text: "x" });
    expect(down).toMatchObject({ reason: "network", permanent: false });
    expect((down as { error: string }).error).toMatch(/^network: FetchError: .*(ECONNREFUSED|socket hang up)/);
    expect((down as { error: string }).error).not.toContain(api.token);
    expect(api.calls.filter((c) => c.method === "sendMessage")).toHaveLength(4);
  });
});
