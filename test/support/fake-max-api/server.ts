// A loopback fake of the MAX Bot API (platform-api2.max.ru) for tests: real HTTP, so CareBot's real
// @maxhub/max-bot-api client talks to it through its base URL. It keeps updates for long polling
// (GET /updates with a marker), takes webhook subscriptions and then POSTs updates to them with
// the secret header, and can refuse a send (429, 5xx) or play a user who blocked the bot.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Button } from "@maxhub/max-bot-api/types";
import type { FakeMaxUser, MaxApiCall, MaxCallbackAnswer, MaxFault, MaxSentMessage, MaxSubscription } from "./state.ts";

export interface FakeMaxApiOptions {
  token: string;
  botUsername?: string;
}

export interface FakeMaxApi {
  /** The base URL for the client's clientOptions.baseUrl (CareBot's MAX_API_URL). */
  readonly url: string;
  readonly sent: MaxSentMessage[];
  readonly calls: MaxApiCall[];
  readonly answers: MaxCallbackAnswer[];
  readonly subscriptions: MaxSubscription[];
  /** The marker of the last GET /updates, i.e. how far the bot has confirmed. */
  confirmedMarker(): number;
  sendText(user: FakeMaxUser, text: string): void;
  /** The patient's own card (from the request_contact button), or somebody else's when `own` is false. */
  sendContact(user: FakeMaxUser, phone: string, options?: { own?: boolean }): void;
  pressButton(user: FakeMaxUser, mid: string, payload: string): string;
  /** The patient opens the bot, by a deep link max.ru/<bot>?start=<payload> when a payload is given. */
  startBot(user: FakeMaxUser, payload?: string): void;
  block(user: FakeMaxUser): void;
  /** The next call of `method path` ("POST /messages") fails this way. */
  failNext(route: string, fault: MaxFault): void;
  messagesTo(user: FakeMaxUser): MaxSentMessage[];
  waitForMessages(user: FakeMaxUser, count: number, timeoutMs?: number): Promise<MaxSentMessage[]>;
  waitForCall(route: string, timeoutMs?: number): Promise<MaxApiCall>;
  close(): Promise<void>;
}

type Update = Record<string, unknown> & { update_type: string; timestamp: number };

export async function startFakeMaxApi(options: FakeMaxApiOptions): Promise<FakeMaxApi> {
  const botUser = { user_id: 1_000_001, first_name: "Клиника", name: "Клиника", username: options.botUsername ?? "clinic_bot", is_bot: true, last_activity_time: Date.now() };
  const sent: MaxSentMessage[] = [];
  const calls: MaxApiCall[] = [];
  const answers: MaxCallbackAnswer[] = [];
  const subscriptions: MaxSubscription[] = [];
  const queue: { seq: number; update: Update }[] = [];
  const blocked = new Set<number>();
  const knownChats = new Set<number>();
  const faults = new Map<string, MaxFault[]>();
  const waiters = new Set<() => void>();
  let seq = 0;
  let confirmed = 0;
  let mids = 0;
  let callbacks = 0;
  let clock = Date.now();
  const now = () => ++clock; // strictly increasing, so two updates never share a timestamp

  const wake = () => {
    for (const w of [...waiters]) w();
  };

  function push(update: Update): void {
    const active = subscriptions[0];
    if (active) {
      // Webhook mode: MAX posts each update on its own, the subscription's secret in the header.
      void fetch(active.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(active.secret && { "x-max-bot-api-secret": active.secret }) },
        body: JSON.stringify(update),
      }).catch(() => undefined);
      return;
    }
    queue.push({ seq: ++seq, update });
    wake();
  }

  const userOf = (user: FakeMaxUser) => ({
    user_id: user.user_id,
    first_name: user.first_name,
    ...(user.last_name !== undefined && { last_name: user.last_name }),
    name: [user.first_name, user.last_name].filter(Boolean).join(" "),
    username: user.username,
    is_bot: false,
    last_activity_time: clock,
  });
  const incoming = (user: FakeMaxUser, body: { text: string | null; attachments?: unknown[] }) => {
    knownChats.add(user.chatId);
    return {
      sender: userOf(user),
      recipient: { chat_id: user.chatId, chat_type: "dialog", user_id: botUser.user_id },
      timestamp: now(),
      body: { mid: `mid.in.${++mids}`, seq: mids, text: body.text, ...(body.attachments && { attachments: body.attachments }) },
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/+/, "");
    const route = `${req.method} /${path}`;
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return reply(res, 400, { code: "proto.payload", message: "Invalid JSON" });
    }
    if (req.headers.authorization !== options.token) return reply(res, 401, { code: "verify.token", message: "Invalid access_token" });
    calls.push({ method: req.method ?? "GET", path: `/${path}`, query, body });
    wake();
    const fault = faults.get(route)?.shift();
    if (fault) return reply(res, fault.status, { code: fault.code ?? (fault.status === 429 ? "too.many.requests" : "internal.error"), message: fault.message ?? "Fault injected by the test" });

    if (route === "GET /me") return reply(res, 200, botUser);
    if (route === "PATCH /me/commands") return reply(res, 200, { ...botUser, commands: (body as { commands?: unknown })?.commands ?? [] });
    if (route === "GET /subscriptions") return reply(res, 200, { subscriptions: subscriptions.map(({ secret: _secret, ...s }) => s) });
    if (route === "POST /subscriptions") {
      const b = body as { url?: unknown; secret?: unknown; update_types?: string[] };
      if (typeof b?.url !== "string") return reply(res, 400, { code: "proto.payload", message: "url is required" });
      subscriptions.splice(0, subscriptions.length, { url: b.url, ...(typeof b.secret === "string" && { secret: b.secret }), ...(b.update_types && { update_types: b.update_types }), time: now() });
      return reply(res, 200, { success: true });
    }
    if (route === "DELETE /subscriptions") {
      const at = subscriptions.findIndex((s) => s.url === query.url);
      if (at >= 0) subscriptions.splice(at, 1);
      return reply(res, 200, { success: true });
    }
    if (route === "GET /updates") return longPoll(req, res, query);
    if (route === "POST /messages") {
      const chatId = Number(query.chat_id);
      if (!knownChats.has(chatId)) return reply(res, 404, { code: "chat.not.found", message: `Chat ${query.chat_id} not found` });
      if ([...blocked].some((userId) => 7_000_000 + userId === chatId)) return reply(res, 403, { code: "chat.denied", message: "dialog.suspended: the user blocked the bot" });
      const b = body as { text?: unknown; attachments?: { type: string; payload?: { buttons?: Button[][] } }[] };
      if (typeof b?.text !== "string" || b.text === "" || [...b.text].length > 4000) return reply(res, 400, { code: "proto.payload", message: "text must be 1-4000 characters" });
      const keyboard = b.attachments?.find((a) => a.type === "inline_keyboard")?.payload?.buttons;
      const message: MaxSentMessage = { mid: `mid.out.${++mids}`, chatId, text: b.text, ...(keyboard && { buttons: keyboard }) };
      sent.push(message);
      wake();
      return reply(res, 200, {
        message: { sender: botUser, recipient: { chat_id: chatId, chat_type: "dialog", user_id: null }, timestamp: now(), body: { mid: message.mid, seq: mids, text: b.text, attachments: b.attachments ?? null } },
      });
    }
    if (route === "POST /answers") {
      const b = (body ?? {}) as { notification?: string; message?: { text?: string; attachments?: unknown[] } };
      if (!b.notification && !b.message) return reply(res, 400, { code: "proto.payload", message: "notification or message is required" });
      const answer: MaxCallbackAnswer = { callbackId: query.callback_id ?? "", ...(b.notification && { notification: b.notification }), ...(b.message && { message: b.message }) };
      answers.push(answer);
      const pressed = pressedMessages.get(answer.callbackId);
      if (pressed && b.message) {
        // Answering with a message edits the pressed one: an empty attachment list drops its keyboard.
        if (typeof b.message.text === "string") pressed.text = b.message.text;
        const keyboard = (b.message.attachments as { type: string; payload?: { buttons?: Button[][] } }[] | undefined)?.find((a) => a.type === "inline_keyboard");
        if (keyboard?.payload?.buttons) pressed.buttons = keyboard.payload.buttons;
        else delete pressed.buttons;
      }
      wake();
      return reply(res, 200, { success: true });
    }
    return reply(res, 404, { code: "not.found", message: `No method ${route}` });
  }

  async function longPoll(req: IncomingMessage, res: ServerResponse, query: Record<string, string>): Promise<void> {
    // The marker confirms everything up to it; without one, what was confirmed before stays confirmed.
    if (query.marker !== undefined) confirmed = Math.max(confirmed, Number(query.marker));
    const types = query.types ? query.types.split(",") : undefined;
    const timeoutMs = Math.min(Number(query.timeout ?? 30), 90) * 1000;
    const ready = () => queue.filter((q) => q.seq > confirmed && (!types || types.includes(q.update.update_type)));
    if (ready().length === 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          req.off("close", done);
          resolve();
        };
        const check = (): void => {
          if (ready().length > 0) done();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(check);
        req.on("close", done);
      });
    }
    if (res.destroyed) return;
    const batch = ready();
    reply(res, 200, { updates: batch.map((q) => q.update), marker: batch.at(-1)?.seq ?? confirmed });
  }

  const pressedMessages = new Map<string, MaxSentMessage>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { code: "internal.error", message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const waitUntil = async <T>(what: string, found: () => T | undefined, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`fake MAX API: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 50);
        waiters.add(done);
      });
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    calls,
    answers,
    subscriptions,
    confirmedMarker: () => confirmed,
    sendText: (user, text) => push({ update_type: "message_created", timestamp: now(), message: incoming(user, { text }), user_locale: user.locale }),
    sendContact: (user, phone, opts = {}) => {
      const owner = opts.own === false ? { ...userOf(user), user_id: user.user_id + 1_000, first_name: "Другой" } : userOf(user);
      const vcf = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${owner.first_name}\r\nTEL;TYPE=cell:${phone}\r\nEND:VCARD`;
      push({ update_type: "message_created", timestamp: now(), message: incoming(user, { text: null, attachments: [{ type: "contact", payload: { vcf_info: vcf, max_info: owner, hash: "h" } }] }), user_locale: user.locale });
    },
    pressButton: (user, mid, payload) => {
      const message = sent.find((m) => m.mid === mid && m.chatId === user.chatId);
      if (!message) throw new Error(`fake MAX API: no message ${mid} in ${user.chatId}`);
      const callbackId = `cb.${++callbacks}`;
      pressedMessages.set(callbackId, message);
      push({
        update_type: "message_callback",
        timestamp: now(),
        callback: { timestamp: clock, callback_id: callbackId, payload, user: userOf(user) },
        message: { sender: botUser, recipient: { chat_id: user.chatId, chat_type: "dialog", user_id: user.user_id }, timestamp: clock, body: { mid, seq: 0, text: message.text } },
        user_locale: user.locale,
      });
      return callbackId;
    },
    startBot: (user, payload) => {
      knownChats.add(user.chatId);
      push({ update_type: "bot_started", timestamp: now(), chat_id: user.chatId, user: userOf(user), ...(payload !== undefined && { payload }), user_locale: user.locale });
    },
    block: (user) => {
      blocked.add(user.user_id);
    },
    failNext: (route, fault) => {
      faults.set(route, [...(faults.get(route) ?? []), fault]);
    },
    messagesTo: (user) => sent.filter((m) => m.chatId === user.chatId),
    waitForMessages: (user, count, timeoutMs = 10_000) =>
      waitUntil(`${count} messages to ${user.chatId}`, () => {
        const mine = sent.filter((m) => m.chatId === user.chatId);
        return mine.length >= count ? mine : undefined;
      }, timeoutMs),
    waitForCall: (route, timeoutMs = 10_000) => waitUntil(`a call ${route}`, () => calls.find((c) => `${c.method} ${c.path}` === route), timeoutMs),
    close: async () => {
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
