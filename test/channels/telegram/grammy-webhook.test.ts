import { dedupeKeyOf } from "../../../src/channels/telegram/inbound.ts";
// Webhook mode: setWebhook with the secret, updates POSTed to a real Fastify 5 server (and a plain
// node:http one) mounting the channel's handler, and the fake's own webhook delivery end to end.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { createGrammyChannel } from "../../../src/channels/telegram/grammy.ts";
import type { GrammyChannel } from "../../../src/channels/telegram/grammy.ts";
import { fakeUser } from "../../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../../support/fake-bot-api/index.ts";
import { fakeApi, recorder, sleep, useCleanup } from "./helpers.ts";

const onCleanup = useCleanup();
const ann = fakeUser(1001, { firstName: "Anna", languageCode: "ru" });
const SECRET = "s3cr3t_Webhook-token";

const textUpdate = (updateId: number, text: string): Update => ({
  update_id: updateId,
  message: {
    message_id: 50 + updateId, date: Math.floor(Date.now() / 1000), text,
    chat: { id: ann.id, type: "private", first_name: "Anna" },
    from: { id: ann.id, is_bot: false, first_name: "Anna", language_code: "ru" },
  },
});

/** A Fastify 5 server whose POST /telegram/webhook is the channel's handler (set once the URL is known). */
async function fastifyServer(): Promise<{ url: string; mount(channel: GrammyChannel): void }> {
  const app = Fastify();
  let handler: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | undefined;
  app.post("/telegram/webhook", async (request, reply) => {
    if (!handler) return reply.code(503).send();
    await handler(request, reply);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  onCleanup(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/telegram/webhook`, mount: (channel) => (handler = channel.fastifyWebhook()) };
}

async function webhookChannel(api: FakeBotApi, url: string, rec: ReturnType<typeof recorder>): Promise<GrammyChannel> {
  const channel = createGrammyChannel({ token: api.token, apiRoot: api.apiRoot, onInbound: rec.onInbound, webhook: { url, secret: SECRET } });
  onCleanup(() => channel.stop());
  return channel;
}

const post = (url: string, body: unknown, secret?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== undefined && { "x-telegram-bot-api-secret-token": secret }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("grammY channel: webhook mode with Fastify", () => {
  it("sets the webhook with its secret and never polls", async () => {
    const api = await fakeApi(onCleanup);
    const server = await fastifyServer();
    const channel = await webhookChannel(api, server.url, recorder());
    server.mount(channel);
    await channel.start();
    expect(api.webhook).toMatchObject({ url: server.url, secretToken: SECRET, allowedUpdates: ["message", "callback_query"] });
    expect(channel.status()).toEqual({ ok: true, mode: "webhook", botUsername: "carebot_test_bot" });
    await sleep(50);
    expect(api.calls.filter((c) => c.method === "getUpdates")).toEqual([]);
    await channel.stop();
    expect(api.webhook).not.toBeNull(); // left for the next instance of a rolling deploy
    expect(channel.status().ok).toBe(false);
  });

  it("handles a POSTed update with the right secret; 401 without it or with a wrong one", async () => {
    const api = await fakeApi(onCleanup);
    const server = await fastifyServer();
    const rec = recorder();
    const channel = await webhookChannel(api, server.url, rec);
    server.mount(channel);

    const missing = await post(server.url, textUpdate(1, "no secret"));
    expect(missing.status).toBe(401);
    const wrong = await post(server.url, textUpdate(2, "wrong secret"), "not-the-secret");
    expect(wrong.status).toBe(401);
    const almost = await post(server.url, textUpdate(3, "prefix"), SECRET.slice(0, -1));
    expect(almost.status).toBe(401);
    expect(rec.received).toEqual([]);

    const ok = await post(server.url, textUpdate(4, "Добрый день"), SECRET);
    expect(ok.status).toBe(200);
    expect(rec.received).toMatchObject([{ chatId: "1001", dedupeKey: dedupeKeyOf("123456", textUpdate(4, "Добрый день")), event: { type: "TEXT", text: "Добрый день" } }]);

    // Telegram redelivers an update it did not see acknowledged: same update_id, same dedupe key.
    expect((await post(server.url, textUpdate(4, "Добрый день"), SECRET)).status).toBe(200);
    expect(rec.received.map((m) => m.dedupeKey)).toEqual([dedupeKeyOf("123456", textUpdate(4, "Добрый день")), dedupeKeyOf("123456", textUpdate(4, "Добрый день"))]);

    // Updates that are not CareBot's are accepted (200, so Telegram stops resending) and ignored.
    const edited = { update_id: 5, edited_message: { ...textUpdate(5, "x").message, edit_date: 1 } };
    expect((await post(server.url, edited, SECRET)).status).toBe(200);
    expect(rec.received).toHaveLength(2);
  });

  it("end to end: the fake delivers to the webhook, a press is answered over HTTP", async () => {
    const api = await fakeApi(onCleanup, { webhookRetryDelayMs: 10 });
    const server = await fastifyServer();
    let channel!: GrammyChannel;
    const rec = recorder(async (m) => {
      if (m.event.type === "START") await channel.sender.send(m.chatId, { text: "Как вы?", options: [{ value: "good", label: "Хорошо" }, { value: "bad", label: "Плохо" }] });
    });
    channel = await webhookChannel(api, server.url, rec);
    server.mount(channel);
    await channel.start();

    api.sendCommand(ann, "/start", "checkin_42");
    const [ask] = await api.waitForMessages(ann.id, 1);
    expect(rec.received[0]?.event).toEqual({ type: "START", payload: "checkin_42" });
    api.pressButton(ann, ask!.messageId, "c:good");
    await rec.waitFor(2);
    expect(rec.received[1]?.event).toEqual({ type: "CHOICE", value: "good" });
    await api.waitForCall("editMessageReplyMarkup");
    expect(api.callbackAnswers).toHaveLength(1);
    // The press's delivery is answered after the handler's calls: wait for its status too.
    await expect.poll(() => api.webhookDeliveries.map((d) => d.status), { timeout: 3000, interval: 10 }).toEqual([200, 200]);
    expect(api.calls.every((c) => c.via === "http")).toBe(true); // no webhook replies: every call's outcome is known
  });
});

describe("grammY channel: webhook mode with node:http", () => {
  it("answers 401 on a wrong secret, 400 on a body that is not JSON, 200 otherwise", async () => {
    const api = await fakeApi(onCleanup);
    const rec = recorder();
    let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
    const server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const channel = await webhookChannel(api, url, rec);
    handler = channel.webhookHandler();
    expect(channel.webhookHandler()).toBe(handler); // one handler per channel

    expect((await post(url, textUpdate(1, "x"), "wrong")).status).toBe(401);
    expect((await post(url, "{not json", SECRET)).status).toBe(400);
    expect((await post(url, textUpdate(2, "hello"), SECRET)).status).toBe(200);
    expect(rec.received.map((m) => m.event)).toEqual([{ type: "TEXT", text: "hello" }]);

    await channel.start();
    api.sendText(ann, "via the fake");
    await rec.waitFor(2);
  });

  it("refuses to build webhook handlers without webhook options, and a secret Telegram would reject", () => {
    const polling = createGrammyChannel({ token: "1:abc", onInbound: async () => {} });
    expect(() => polling.webhookHandler()).toThrow(/need the `webhook` option/);
    expect(() => polling.fastifyWebhook()).toThrow(/need the `webhook` option/);
    expect(() => createGrammyChannel({ token: "1:abc", onInbound: async () => {}, webhook: { url: "https://x", secret: "has space" } })).toThrow(
      /secret must be 1-256 characters/,
    );
  });
});
