// The Telegram adapter's side of "no update lost, no update retried forever", over real grammY and
// loopback HTTP, both ways updates arrive: a handler failing like a database that is away gets its
// update again (long polling: not confirmed; webhook: 500, so Telegram redelivers), a handler
// failing for any other reason (a poison update) is logged, answered politely once and dropped.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGrammyChannel } from "../../src/channels/telegram/grammy.ts";
import type { GrammyChannel } from "../../src/channels/telegram/grammy.ts";
import type { InboundMessage } from "../../src/channels/types.ts";
import { fakeUser, startFakeBotApi } from "../support/fake-bot-api/index.ts";
import type { FakeBotApi } from "../support/fake-bot-api/index.ts";
import { waitUntil } from "./support/wait.ts";

const ann = fakeUser(2001, { firstName: "Анна", languageCode: "ru" });
const bob = fakeUser(2002, { firstName: "Bob", languageCode: "en" });
const SECRET = "update-retry-secret";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

/** What Prisma throws when PostgreSQL cannot be reached. */
function unreachable(): Error {
  return Object.assign(new Error("Can't reach database server at `127.0.0.1:5432`"), { name: "PrismaClientKnownRequestError", code: "P1001" });
}

type Line = { level: string; obj: Record<string, unknown>; msg?: string };
function memoryLogger() {
  const lines: Line[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A router edge that fails as told, and records what it finally accepted. */
function flakyRouter(fail: (m: InboundMessage, attempt: number) => Error | undefined) {
  const attempts = new Map<string, number>();
  const accepted: string[] = [];
  return {
    accepted,
    attempts,
    onInbound: async (m: InboundMessage): Promise<void> => {
      const text = m.event.type === "TEXT" ? m.event.text : m.event.type;
      const n = (attempts.get(text) ?? 0) + 1;
      attempts.set(text, n);
      const error = fail(m, n);
      if (error) throw error;
      accepted.push(`${m.chatId}:${text}`);
    },
  };
}

async function channelIn(mode: "polling" | "webhook", api: FakeBotApi, router: ReturnType<typeof flakyRouter>, logger: ReturnType<typeof memoryLogger>): Promise<GrammyChannel> {
  let server: http.Server | undefined;
  let url = "";
  if (mode === "webhook") {
    // The webhook URL must exist before setWebhook; the handler is attached once the channel exists.
    let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    cleanups.push(() => new Promise((resolve) => server!.close(resolve)));
    const channel = createGrammyChannel({ token: api.token, apiRoot: api.apiRoot, onInbound: router.onInbound, logger, webhook: { url, secret: SECRET } });
    const node = channel.webhookHandler();
    handler = (req, res) => void node(req, res);
    await channel.start();
    return channel;
  }
  const channel = createGrammyChannel({
    token: api.token,
    apiRoot: api.apiRoot,
    onInbound: router.onInbound,
    logger,
    polling: { timeoutSeconds: 1, retryDelayMs: { first: 20, max: 100 } },
  });
  cleanups.push(() => channel.stop());
  await channel.start();
  return channel;
}

describe.each(["polling", "webhook"] as const)("a failing update over %s", (mode) => {
  async function setup(fail: (m: InboundMessage, attempt: number) => Error | undefined) {
    const api = await startFakeBotApi({ token: "123456:UPDATE-RETRY-TOKEN-000", webhookMaxAttempts: 100, webhookRetryDelayMs: 20 });
    cleanups.push(() => api.close());
    const router = flakyRouter(fail);
    const logger = memoryLogger();
    const channel = await channelIn(mode, api, router, logger);
    return { api, router, logger, channel };
  }

  it("is tried again while the database is away, then handled once; the chat's later messages wait their turn", async () => {
    const { api, router, logger } = await setup((m, attempt) => (m.event.type === "TEXT" && m.event.text === "первое" && attempt <= 4 ? unreachable() : undefined));
    api.sendText(ann, "первое");
    api.sendText(ann, "второе");
    api.sendText(bob, "hello");
    await waitUntil(() => router.accepted.length === 3, 10_000, () => `3 accepted, got ${JSON.stringify(router.accepted)}`);
    expect(router.accepted.filter((a) => a.startsWith(`${ann.id}:`))).toEqual([`${ann.id}:первое`, `${ann.id}:второе`]);
    expect(router.attempts.get("первое")).toBe(5);
    expect(router.attempts.get("второе")).toBe(1);
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([]);
    expect(logger.lines.filter((l) => l.level === "warn" && /could not be handled now/.test(l.msg ?? "")).length).toBe(4);
    expect(api.sent).toEqual([]); // nobody was told anything went wrong: nothing did, in the end
    await waitUntil(() => api.pendingUpdates.length === 0, 5000, "every update confirmed");
    if (mode === "webhook") {
      const first = api.webhookDeliveries.filter((d) => d.updateId === api.webhookDeliveries[0]!.updateId);
      expect(first.map((d) => d.status)).toEqual([500, 500, 500, 500, 200]);
    }
  });

  it("a poison update is logged, answered politely once and not retried; the chat goes on", async () => {
    const { api, router, logger } = await setup((m) => (m.event.type === "TEXT" && m.event.text === "яд" ? new TypeError("cannot read properties of undefined") : undefined));
    const poison = api.sendText(ann, "яд");
    api.sendText(ann, "дальше");
    api.sendText(bob, "/start");
    await waitUntil(() => router.accepted.length === 2, 10_000, () => `2 accepted, got ${JSON.stringify(router.accepted)}`);
    expect(router.attempts.get("яд")).toBe(1);
    expect(router.accepted).toContain(`${ann.id}:дальше`);
    const apology = await api.waitForMessages(ann.id, 1, 5000);
    expect(apology.map((m) => m.text)).toEqual(["Извините, нам не удалось обработать это сообщение. Пожалуйста, попробуйте написать иначе или позвоните в клинику."]);
    expect(api.messagesTo(bob.id)).toEqual([]);
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([
      { level: "error", obj: { updateId: poison.update_id, error: "TypeError: cannot read properties of undefined" }, msg: "telegram: handling an update failed" },
    ]);
    if (mode === "webhook") expect(api.webhookDeliveries.filter((d) => d.updateId === poison.update_id).map((d) => d.status)).toEqual([200]);
  });

  it("a database error that is not about the connection gets a few tries, then is given up", async () => {
    const constraint = (): Error => Object.assign(new Error("Unique constraint failed on the fields: (`phone`)"), { name: "PrismaClientKnownRequestError", code: "P2002" });
    const { api, router, logger } = await setup((m) => (m.event.type === "TEXT" && m.event.text === "always" ? constraint() : undefined));
    api.sendText(bob, "always");
    api.sendText(bob, "next");
    await waitUntil(() => router.accepted.length === 1, 10_000, "the next message");
    expect(router.attempts.get("always")).toBe(5);
    const apology = await api.waitForMessages(bob.id, 1, 5000);
    expect(apology[0]!.text).toBe("Sorry, we could not process this message. Please try writing it differently, or call the clinic.");
    expect(logger.lines.filter((l) => l.level === "error").map((l) => l.msg)).toEqual(["telegram: handling an update failed"]);
  });
});

describe("long polling confirms nothing before it is handled", () => {
  it("an update whose handler is still failing stays with Telegram, so a restart gets it again", async () => {
    const api = await startFakeBotApi({ token: "123456:UPDATE-RETRY-TOKEN-000" });
    cleanups.push(() => api.close());
    let databaseUp = false;
    const first = flakyRouter(() => (databaseUp ? undefined : unreachable()));
    const logger = memoryLogger();
    const channel = await channelIn("polling", api, first, logger);
    const update = api.sendText(ann, "пока база недоступна");
    await waitUntil(() => (first.attempts.get("пока база недоступна") ?? 0) >= 3, 10_000, "three attempts");
    await channel.stop(); // as a deploy would, while the database is still away
    expect(api.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);
    expect(first.accepted).toEqual([]);

    databaseUp = true;
    const second = flakyRouter(() => undefined);
    await channelIn("polling", api, second, logger);
    await waitUntil(() => second.accepted.length === 1, 10_000, "the update after the restart");
    expect(second.accepted).toEqual([`${ann.id}:пока база недоступна`]);
  });
});
