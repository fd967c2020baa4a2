// The fake Bot API exercised by the REAL grammY and Telegraf clients over loopback HTTP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import { Telegraf } from "telegraf";
import { afterEach, describe, expect, it } from "vitest";
import { fakeUser, startFakeBotApi } from "./fake-bot-api/index.ts";
import type { FakeBotApi } from "./fake-bot-api/index.ts";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function fakeApi(options?: Parameters<typeof startFakeBotApi>[0]): Promise<FakeBotApi> {
  const api = await startFakeBotApi(options);
  cleanups.push(() => api.close());
  return api;
}

function grammyBot(api: FakeBotApi, token = api.token): Bot {
  const bot = new Bot(token, { client: { apiRoot: api.apiRoot } });
  bot.catch((err) => {
    throw err.error;
  });
  return bot;
}

/** bot.start() with a 1 s long poll; resolves once polling runs, stop() is registered for cleanup. */
async function startPolling(bot: Bot): Promise<{ stopped: Promise<void> }> {
  let started!: () => void;
  const onStart = new Promise<void>((resolve) => (started = resolve));
  const stopped = bot.start({ timeout: 1, onStart: () => started() });
  cleanups.push(async () => {
    if (bot.isRunning()) await bot.stop();
    await stopped;
  });
  await Promise.race([onStart, stopped]);
  return { stopped };
}

/** Raw Bot API call, for what the client libraries would never send. */
async function raw(api: FakeBotApi, method: string, body?: unknown, init: { token?: string; type?: string } = {}) {
  const res = await fetch(`${api.apiRoot}/bot${init.token ?? api.token}/${method}`, {
    method: "POST",
    headers: { "content-type": init.type ?? "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body ?? {}),
  });
  return { status: res.status, json: (await res.json()) as { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: any } };
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

const ann = fakeUser(1001, { firstName: "Ann", username: "ann", languageCode: "ru" });
const bob = fakeUser(1002, { firstName: "Bob" });

describe("grammY long polling", () => {
  it("delivers text updates once, records the reply, and stops quickly", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    const seen: number[] = [];
    bot.on("message:text", async (ctx) => {
      seen.push(ctx.update.update_id);
      await ctx.reply(`echo: ${ctx.message.text}`);
    });
    const { stopped } = await startPolling(bot);

    expect(api.sendText(ann, "hello").update_id).toBe(1);
    const [first] = await api.waitForMessages(ann.id, 1);
    expect(first).toMatchObject({ chatId: ann.id, text: "echo: hello", method: "sendMessage" });
    expect(first?.message).toMatchObject({ from: { id: api.botInfo.id, is_bot: true }, chat: { id: ann.id, type: "private" } });

    api.sendText(ann, "again");
    api.sendText(bob, "hi");
    await api.waitForMessages(ann.id, 2);
    await api.waitForMessages(bob.id, 1);
    // message ids are per chat and shared with the user's own messages
    expect(api.messagesTo(ann.id).map((m) => m.messageId)).toEqual([2, 4]);

    const t0 = Date.now();
    await bot.stop();
    await stopped;
    expect(seen).toEqual([1, 2, 3]); // each update exactly once
    expect(api.pendingUpdates).toHaveLength(0); // stop() confirmed the last offset
    const offsets = api.calls.filter((c) => c.method === "getUpdates").map((c) => Number(c.body.offset ?? 0));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.at(-1)).toBe(4);
    await api.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("inline keyboard → pressButton → callback handler, answer and keyboard removal", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    const pressed: { data?: string; messageId?: number }[] = [];
    bot.command("menu", (ctx) => ctx.reply("Confirm visit?", { reply_markup: new InlineKeyboard().text("Yes", "visit:yes").text("No", "visit:no") }));
    bot.callbackQuery(/^visit:/, async (ctx) => {
      pressed.push({ data: ctx.callbackQuery.data, messageId: ctx.callbackQuery.message?.message_id });
      await ctx.answerCallbackQuery({ text: "Saved" });
      await ctx.editMessageReplyMarkup(); // no markup = remove the keyboard
    });
    await startPolling(bot);

    api.sendCommand(ann, "/menu");
    const [menu] = await api.waitForMessages(ann.id, 1);
    expect(menu?.replyMarkup).toEqual({ inline_keyboard: [[{ text: "Yes", callback_data: "visit:yes" }, { text: "No", callback_data: "visit:no" }]] });
    expect(() => api.pressButton(ann, menu!.messageId, "visit:maybe")).toThrow(/available: "visit:yes", "visit:no"/);

    const update = api.pressButton(ann, menu!.messageId, "visit:yes");
    expect(update.callback_query?.message?.message_id).toBe(menu!.messageId);
    await api.waitForCall("editMessageReplyMarkup");
    expect(pressed).toEqual([{ data: "visit:yes", messageId: menu!.messageId }]);
    expect(api.callbackAnswers).toMatchObject([{ text: "Saved", data: "visit:yes", chatId: ann.id, messageId: menu!.messageId }]);
    expect(menu?.replyMarkup).toBeUndefined();
    expect(menu?.message.reply_markup).toBeUndefined();
    expect(menu?.editedAt).toBeTypeOf("number");
    expect(() => api.pressButton(ann, menu!.messageId, "visit:yes")).toThrow(/no inline buttons/);

    // Telegram refuses no-op edits and double answers
    const notModified = await grammyError(bot.api.editMessageReplyMarkup(ann.id, menu!.messageId));
    expect(notModified.error_code).toBe(400);
    expect(notModified.description).toMatch(/^Bad Request: message is not modified/);
    const stale = await grammyError(bot.api.answerCallbackQuery(update.callback_query!.id));
    expect(stale.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
  });
});

describe("faults", () => {
  it("429 with retry_after, then the next call succeeds", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    api.sendText(ann, "hi"); // makes the chat known
    api.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const err = await grammyError(bot.api.sendMessage(ann.id, "first"));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 1");
    expect(err.parameters.retry_after).toBe(1);
    const ok = await bot.api.sendMessage(ann.id, "second");
    expect(ok.text).toBe("second");
    expect(api.sent.map((m) => m.text)).toEqual(["second"]);
    expect(api.calls.filter((c) => c.method === "sendMessage").map((c) => [c.status, c.faulted])).toEqual([[429, true], [200, false]]);
  });

  it("403 injected, and 403 for real once the user blocks the bot", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    api.sendText(ann, "hi");
    api.failNext("*", { status: 403 });
    const injected = await grammyError(bot.api.sendMessage(ann.id, "x"));
    expect(injected.error_code).toBe(403);
    expect(injected.description).toBe("Forbidden: bot was blocked by the user");
    await bot.api.sendMessage(ann.id, "fine again");

    expect(api.blockBot(ann).my_chat_member?.new_chat_member.status).toBe("kicked");
    expect((await grammyError(bot.api.sendMessage(ann.id, "x"))).error_code).toBe(403);
    api.unblockBot(ann);
    await bot.api.sendMessage(ann.id, "welcome back");
  });

  it("500 and connection resets surface as client errors; latency delays answers", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    api.failNext("getMe", { status: 500 });
    expect((await grammyError(bot.api.getMe())).error_code).toBe(500);
    api.failNext("getMe", { reset: true });
    await expect(bot.api.getMe()).rejects.toThrow();
    expect(api.calls.map((c) => c.status)).toEqual([500, 0]);
    api.setLatency(150);
    const t0 = Date.now();
    await bot.api.getMe();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});

describe("Telegraf polling", () => {
  it("/start payload and contact reach their handlers", async () => {
    const api = await fakeApi();
    const bot = new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } });
    const payloads: string[] = [];
    const contacts: { phone: string; userId?: number }[] = [];
    bot.start(async (ctx) => {
      payloads.push(ctx.payload);
      await ctx.reply("Share your phone", {
        reply_markup: { keyboard: [[{ text: "Send phone", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true },
      });
    });
    bot.on("contact", async (ctx) => {
      contacts.push({ phone: ctx.message.contact.phone_number, userId: ctx.message.contact.user_id });
      await ctx.reply("Thanks", { reply_markup: { remove_keyboard: true } });
    });
    const launched = bot.launch();
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) bot.stop();
      await launched;
    });

    api.sendCommand(ann, "/start", "ref_ABC");
    const [ask] = await api.waitForMessages(ann.id, 1);
    expect(payloads).toEqual(["ref_ABC"]);
    expect(ask?.replyMarkup).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    expect(ask?.message.reply_markup).toBeUndefined(); // Telegram only echoes inline keyboards

    api.sendContact(ann, { phone: "+79990001122" });
    const [, thanks] = await api.waitForMessages(ann.id, 2);
    expect(contacts).toEqual([{ phone: "+79990001122", userId: ann.id }]);
    expect(thanks?.replyMarkup).toEqual({ remove_keyboard: true });

    const t0 = Date.now();
    bot.stop("test");
    stopped = true;
    await launched;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(api.pendingUpdates).toHaveLength(0);
  });
});

describe("webhook mode", () => {
  async function receiver(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  it("POSTs updates in order with the secret header, retries non-2xx, blocks getUpdates", async () => {
    const api = await fakeApi({ webhookRetryDelayMs: 10 });
    const received: { secret: unknown; update: { update_id: number } }[] = [];
    let failFirst = true;
    const url = await receiver((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (failFirst) {
          failFirst = false;
          res.writeHead(500).end();
          return;
        }
        received.push({ secret: req.headers["x-telegram-bot-api-secret-token"], update: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    const bot = grammyBot(api);
    await bot.api.setWebhook(url, { secret_token: "s3cr3t_token" });
    expect(api.webhook).toMatchObject({ url, secretToken: "s3cr3t_token" });

    api.sendText(ann, "one");
    api.sendText(ann, "two");
    await expect.poll(() => received.length, { timeout: 2000 }).toBe(2);
    expect(received.map((r) => r.secret)).toEqual(["s3cr3t_token", "s3cr3t_token"]);
    expect(received.map((r) => r.update.update_id)).toEqual([1, 2]);
    expect(api.webhookDeliveries.map((d) => [d.updateId, d.attempt, d.status])).toEqual([[1, 1, 500], [1, 2, 200], [2, 1, 200]]);

    const conflict = await raw(api, "getUpdates", {});
    expect(conflict.json).toMatchObject({ ok: false, error_code: 409 });
    expect(conflict.json.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
    expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(0);
    await bot.api.deleteWebhook();
    expect(api.webhook).toBeNull();
  });

  it("works with grammY's own webhookCallback, including webhook replies", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    bot.on("message:text", (ctx) => ctx.reply(`got ${ctx.message.text}`));
    await bot.init();
    const url = await receiver(webhookCallback(bot, "http", { secretToken: "abc" }));
    await bot.api.setWebhook(url, { secret_token: "abc" });
    api.sendText(ann, "ping");
    const [reply] = await api.waitForMessages(ann.id, 1);
    expect(reply?.text).toBe("got ping");

    // Telegraf-style webhook reply: the POST's response body is itself a method call
    const url2 = await receiver((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ method: "sendMessage", chat_id: ann.id, text: "via webhook reply" }));
      });
    });
    await bot.api.setWebhook(url2);
    api.sendText(ann, "pong");
    const call = await api.waitForCall("sendMessage", (c) => c.via === "webhook-reply");
    expect(call).toMatchObject({ status: 200, body: { chat_id: ann.id, text: "via webhook reply" } });
    expect(api.messagesTo(ann.id).map((m) => m.text)).toEqual(["got ping", "via webhook reply"]);
  });
});

describe("protocol", () => {
  it("401 for a wrong token, 404 for an unknown method", async () => {
    const api = await fakeApi();
    const wrong = await grammyError(grammyBot(api, "999:WRONG").api.getMe());
    expect([wrong.error_code, wrong.description]).toEqual([401, "Unauthorized"]);
    const unknown = await raw(api, "sendTelepathy", {});
    expect(unknown).toEqual({ status: 404, json: { ok: false, error_code: 404, description: "Not Found: method not found" } });
    expect((await raw(api, "GETME")).json.result.username).toBe("carebot_test_bot"); // method names are case-insensitive
  });

  it("409 for the older of two concurrent getUpdates; offsets confirm; close() ends a pending long poll", async () => {
    const api = await fakeApi();
    const older = raw(api, "getUpdates", { timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    const newer = raw(api, "getUpdates", { timeout: 10 });
    expect((await older).json).toEqual({
      ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    api.sendText(ann, "wake up");
    const woke = (await newer).json;
    expect(woke.result.map((u: { update_id: number }) => u.update_id)).toEqual([1]);
    expect((await raw(api, "getUpdates", {})).json.result).toHaveLength(1); // not confirmed yet
    expect((await raw(api, "getUpdates", { offset: 2 })).json.result).toEqual([]);
    expect(api.pendingUpdates).toHaveLength(0);

    const pending = raw(api, "getUpdates", { offset: 2, timeout: 30 }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await api.close();
    const outcome = await pending;
    expect(Date.now() - t0).toBeLessThan(500);
    if (!(outcome instanceof Error)) expect(outcome.json).toEqual({ ok: true, result: [] });
  });

  it("rejects malformed bodies clearly and keeps serving; accepts urlencoded with JSON-string fields", async () => {
    const api = await fakeApi();
    const broken = await raw(api, "sendMessage", "{not json");
    expect(broken.status).toBe(400);
    expect(broken.json.description).toMatch(/^Bad Request: can't parse JSON request body/);
    api.sendText(ann, "hi");
    const form = new URLSearchParams({
      chat_id: String(ann.id), text: "<b>Hello</b> &amp; welcome", parse_mode: "HTML",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
    });
    const ok = await raw(api, "sendMessage", form.toString(), { type: "application/x-www-form-urlencoded" });
    expect(ok.json.result).toMatchObject({ text: "Hello & welcome", reply_markup: { inline_keyboard: [[{ callback_data: "go" }]] } });
    expect(api.sent[0]).toMatchObject({ text: "Hello & welcome", rawText: "<b>Hello</b> &amp; welcome", parseMode: "HTML" });
  });

  it("validates messages like Telegram", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    const describeError = async (p: Promise<unknown>) => (await grammyError(p)).description;
    expect(await describeError(bot.api.sendMessage(4242, "who?"))).toBe("Bad Request: chat not found");
    api.sendText(ann, "hi");
    expect(await describeError(bot.api.sendMessage(ann.id, ""))).toBe("Bad Request: message text is empty");
    expect(await describeError(bot.api.sendMessage(ann.id, "x".repeat(4097)))).toBe("Bad Request: message is too long");
    expect(await describeError(bot.api.sendMessage(ann.id, "Visit at 10.00", { parse_mode: "MarkdownV2" }))).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(await describeError(bot.api.sendMessage(ann.id, "line<br>line", { parse_mode: "HTML" }))).toMatch(/Unsupported start tag "br"/);
    expect(await describeError(bot.api.sendMessage(ann.id, "<b>bold", { parse_mode: "HTML" }))).toMatch(/Can't find end tag corresponding to start tag "b"/);
    const long = "x".repeat(65);
    expect(await describeError(bot.api.sendMessage(ann.id, "k", { reply_markup: new InlineKeyboard().text("k", long) }))).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    const md = await bot.api.sendMessage(ann.id, "*Visit* at 10\\.00", { parse_mode: "MarkdownV2" });
    expect(md.text).toBe("Visit at 10.00");

    const edited = await bot.api.editMessageText(ann.id, md.message_id, "Moved to 11:00");
    expect(edited).toMatchObject({ text: "Moved to 11:00", edit_date: expect.any(Number) });
    expect(api.messagesTo(ann.id).at(-1)?.text).toBe("Moved to 11:00");
    expect(await describeError(bot.api.editMessageText(ann.id, md.message_id, "Moved to 11:00"))).toMatch(/^Bad Request: message is not modified/);
    expect(await describeError(bot.api.editMessageText(ann.id, 999, "x"))).toBe("Bad Request: message to edit not found");
    expect(await bot.api.deleteMessage(ann.id, md.message_id)).toBe(true);
    expect(api.messagesTo(ann.id).at(-1)?.deleted).toBe(true);
    expect(await describeError(bot.api.deleteMessage(ann.id, md.message_id))).toBe("Bad Request: message to delete not found");
    expect(await describeError(bot.api.answerCallbackQuery("nope"))).toMatch(/query ID is invalid/);
    expect(await bot.api.sendChatAction(ann.id, "typing")).toBe(true);

    const photo = await bot.api.sendPhoto(ann.id, new InputFile(Buffer.from("fake png"), "card.png"), { caption: "Your card" });
    expect(photo.photo?.[0]?.file_id).toMatch(/^fake-photo-/);
    expect(api.sent.at(-1)).toMatchObject({ method: "sendPhoto", text: "Your card" });
  });

  it("waitForMessages explains what arrived and which calls failed", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    api.sendText(ann, "hi");
    await bot.api.sendMessage(ann.id, "Step 1");
    await bot.api.sendMessage(ann.id, "Step 2 (done).", { parse_mode: "MarkdownV2" }).catch(() => undefined);
    const err = await api.waitForMessages(ann.id, 2, 100).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("expected at least 2 message(s) to chat 1001 within 100ms, got 1");
    expect((err as Error).message).toContain('#2 sendMessage: "Step 1"');
    expect((err as Error).message).toContain("sendMessage 400 Bad Request: can't parse entities: Character '(' is reserved");
  });

  it("stores commands per scope and language", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    await bot.api.setMyCommands([{ command: "start", description: "Start" }]);
    await bot.api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    await bot.api.setMyCommands([{ command: "queue", description: "Queue" }], { scope: { type: "chat", chat_id: 7 } });
    expect(Object.keys(api.commands).sort()).toEqual(["chat:7", "default", "default|ru"]);
    expect(await bot.api.getMyCommands({ language_code: "ru" })).toEqual([{ command: "start", description: "Начать" }]);
    expect((await grammyError(bot.api.setMyCommands([{ command: "Bad-Name", description: "x" }]))).description).toBe("Bad Request: BOT_COMMAND_INVALID");
    await bot.api.deleteMyCommands({ language_code: "ru" });
    expect(await bot.api.getMyCommands({ language_code: "ru" })).toEqual([]);
  });

  it("pushUpdate: raw and malformed updates, default allowed_updates filtering", async () => {
    const api = await fakeApi();
    const bot = grammyBot(api);
    const kinds: string[] = [];
    bot.use((ctx) => {
      kinds.push(Object.keys(ctx.update).filter((k) => k !== "update_id").join(","));
    });
    await startPolling(bot);
    api.pushUpdate({ weird_kind: { foo: 1 } });
    api.pushUpdate({ chat_member: { chat: { id: -5, type: "group", title: "g" } } }); // opt-in kind: Telegram wouldn't send it
    api.sendSticker(ann);
    api.sendPhoto(ann, { caption: "x-ray" });
    api.sendVoice(ann);
    await expect.poll(() => kinds.length, { timeout: 3000 }).toBe(4);
    expect(kinds).toEqual(["weird_kind", "message", "message", "message"]);
  });
});
