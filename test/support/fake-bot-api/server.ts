// Loopback HTTP front of the fake Bot API: routing /bot<token>/<method>, fault injection,
// latency, clean shutdown, and the object tests drive.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { BotCommand, Update, UserFromGetMe } from "grammy/types";
import { decodeJsonFields, parseParams, readBody } from "./body.ts";
import { deliveryMethods, WebhookSender } from "./delivery.ts";
import { ApiError } from "./formatting.ts";
import { createMethods, Described } from "./methods.ts";
import type { Params } from "./methods.ts";
import type { ApiCall, CallbackAnswer, FakeUser, SentMessage, WebhookConfig, WebhookDelivery } from "./state.ts";
import { FakeState } from "./state.ts";
import { createUserActions } from "./users.ts";
import type { ContactInput } from "./users.ts";

export interface FakeBotApiOptions {
  token?: string;
  botUsername?: string;
  /** Webhook: attempts per update before it is dropped (Telegram retries; tests must not hang). */
  webhookMaxAttempts?: number;
  webhookRetryDelayMs?: number;
  webhookTimeoutMs?: number;
}

/** 429 gets "Too Many Requests: retry after N" and parameters.retry_after; reset destroys the socket. */
export type FaultSpec = { status: number; retryAfter?: number; description?: string } | { reset: true };

export interface FakeBotApi {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  sendText(chat: FakeUser, text: string): Update;
  sendCommand(chat: FakeUser, command: string, payload?: string): Update;
  sendContact(chat: FakeUser, contact: ContactInput): Update;
  pressButton(chat: FakeUser, messageId: number, data: string, opts?: { force?: boolean }): Update;
  sendSticker(chat: FakeUser): Update;
  sendPhoto(chat: FakeUser, opts?: { caption?: string }): Update;
  sendVoice(chat: FakeUser, opts?: { duration?: number }): Update;
  blockBot(chat: FakeUser): Update;
  unblockBot(chat: FakeUser): Update;
  /** Any raw update (fuzzing welcome); update_id assigned when missing. */
  pushUpdate(raw: object): Update;
  /** Lets the bot write to `user` without an update first, as to a patient who wrote long ago (broadcasts). */
  knowChat(user: FakeUser): void;
  readonly sent: readonly SentMessage[];
  readonly calls: readonly ApiCall[];
  readonly callbackAnswers: readonly CallbackAnswer[];
  readonly commands: Readonly<Record<string, BotCommand[]>>;
  readonly webhook: WebhookConfig | null;
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Updates queued but not yet confirmed by the bot. */
  readonly pendingUpdates: readonly Update[];
  messagesTo(chatId: number): SentMessage[];
  waitForMessages(chatId: number, n: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** First call (already recorded or future) of `method` matching `predicate`. */
  waitForCall(method: string, predicate?: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  /** Next `count` calls of `method` ("*" = any method except getUpdates) fail with `fault`. */
  failNext(method: string, fault: FaultSpec, count?: number): void;
  /** Forgets the faults still queued: the Bot API is healthy again. */
  clearFaults(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

type Envelope = { ok: true; result: unknown; description?: string } | { ok: false; error_code: number; description: string; parameters?: object };
type Outcome = { status: number; envelope: Envelope } | { reset: true };

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden: bot was blocked by the user", 404: "Not Found",
  409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway",
};
const failure = (status: number, description: string, parameters?: object): Outcome => ({
  status, envelope: { ok: false, error_code: status, description, ...(parameters && { parameters }) },
});

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? "123456:TEST";
  const state = new FakeState(token, options.botUsername ?? "carebot_test_bot");
  // Method names are case-insensitive in the Bot API.
  const methods = new Map(
    Object.entries({ ...createMethods(state), ...deliveryMethods(state) }).map(([name, handle]) => [name.toLowerCase(), { name, handle }]),
  );
  const users = createUserActions(state);
  const faults: { method: string; fault: FaultSpec; remaining: number }[] = [];
  const inflight = new Set<AbortController>(); // one per HTTP request; aborted on client disconnect or close()
  const timers = new Set<{ timer: NodeJS.Timeout; release: () => void }>();
  const sockets = new Set<Socket>();
  let latencyMs = 0;
  let closed = false;

  /** setTimeout that close() cuts short, so nothing outlives the server. */
  const sleep = (ms: number): Promise<void> =>
    ms <= 0 || closed ? Promise.resolve() : new Promise((resolve) => {
      const entry = { timer: setTimeout(() => entry.release(), ms), release: () => { clearTimeout(entry.timer); timers.delete(entry); resolve(); } };
      timers.add(entry);
    });

  function takeFault(method: string): FaultSpec | undefined {
    const idx = faults.findIndex((f) => f.method.toLowerCase() === method.toLowerCase() || (f.method === "*" && method !== "getUpdates"));
    const entry = faults[idx];
    if (!entry) return undefined;
    if (--entry.remaining <= 0) faults.splice(idx, 1);
    return entry.fault;
  }

  async function dispatch(methodName: string, params: Params, signal: AbortSignal, via: ApiCall["via"]): Promise<Outcome> {
    const entry = methods.get(methodName.toLowerCase());
    const fault = entry && via === "http" ? takeFault(entry.name) : undefined;
    let outcome: Outcome;
    if (fault && "reset" in fault) outcome = fault;
    else if (fault) {
      const retryAfter = fault.status === 429 ? fault.retryAfter ?? 1 : undefined;
      const description = fault.description ?? (retryAfter !== undefined ? `Too Many Requests: retry after ${retryAfter}` : DEFAULT_DESCRIPTIONS[fault.status] ?? "Error");
      outcome = failure(fault.status, description, retryAfter !== undefined ? { retry_after: retryAfter } : undefined);
    } else if (!entry) outcome = failure(404, "Not Found: method not found");
    else {
      try {
        const result = await entry.handle(params, signal);
        outcome = result instanceof Described
          ? { status: 200, envelope: { ok: true, result: result.result, description: result.description } }
          : { status: 200, envelope: { ok: true, result } };
      } catch (err) {
        outcome = err instanceof ApiError
          ? failure(err.code, err.description, err.parameters)
          : failure(500, `Internal Server Error: fake Bot API bug: ${(err as Error).message}`);
      }
    }
    const status = "reset" in outcome ? 0 : outcome.status;
    const response = "reset" in outcome ? "connection reset" : outcome.envelope.ok ? outcome.envelope.result : outcome.envelope.description;
    state.recordCall({ method: entry?.name ?? methodName, body: params, status, response, at: Date.now(), faulted: fault !== undefined, via });
    return outcome;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const controller = new AbortController();
    inflight.add(controller);
    res.on("close", () => {
      inflight.delete(controller);
      if (!res.writableFinished) controller.abort(); // client went away: end its long poll
    });
    const url = new URL(req.url ?? "/", "http://fake");
    let params: Params = {};
    let bodyError: string | undefined;
    try {
      params = parseParams(req.headers["content-type"], url, await readBody(req));
    } catch (err) {
      bodyError = (err as Error).message;
    }
    const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    let outcome: Outcome;
    if (!match) outcome = failure(404, "Not Found");
    else if (match[1] !== token) {
      outcome = failure(401, "Unauthorized");
      state.recordCall({ method: match[2] ?? "", body: params, status: 401, response: "Unauthorized", at: Date.now(), faulted: false, via: "http" });
    } else if (bodyError !== undefined) {
      outcome = failure(400, `Bad Request: ${bodyError}`);
      state.recordCall({ method: match[2] ?? "", body: {}, status: 400, response: bodyError, at: Date.now(), faulted: false, via: "http" });
    } else outcome = await dispatch(match[2] ?? "", params, controller.signal, "http");
    if (!closed) await sleep(latencyMs);
    if (res.destroyed) return;
    if ("reset" in outcome) {
      res.socket?.destroy();
      return;
    }
    const json = JSON.stringify(outcome.envelope);
    res.writeHead(outcome.status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    res.end(json);
  }

  const webhook = new WebhookSender(state, {
    attempts: options.webhookMaxAttempts ?? 3,
    retryDelayMs: options.webhookRetryDelayMs ?? 50,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    sleep,
    runReply: (method, params) => dispatch(method, decodeJsonFields(params), new AbortController().signal, "webhook-reply"),
  });

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_err, socket) => socket.destroy());
  state.onChange(() => void webhook.pump());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  // --- test-side waiting, rejected at once by close() ---
  const waiters = new Set<(err: Error) => void>();
  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T> {
    const ready = check();
    if (ready !== undefined) return Promise.resolve(ready);
    if (closed) return Promise.reject(new Error("fake Bot API closed"));
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        waiters.delete(fail);
      };
      const fail = (err: Error): void => {
        done();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(explain())), timeoutMs);
      const off = state.onChange(() => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        }
      });
      waiters.add(fail);
    });
  }

  const describeMessage = (m: SentMessage): string =>
    `  #${m.messageId} ${m.method}${m.deleted ? " (deleted)" : ""}: ${JSON.stringify(m.text)}` +
    (m.replyMarkup ? ` markup=${JSON.stringify(m.replyMarkup)}` : "");

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closed = true;
    for (const fail of [...waiters]) fail(new Error("fake Bot API closed"));
    for (const t of [...timers]) t.release();
    for (const controller of [...inflight]) controller.abort(); // pending long polls answer [] now
    webhook.close();
    await new Promise((resolve) => setImmediate(resolve)); // let those answers reach the sockets
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await stopped;
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo: state.bot,
    ...users,
    pushUpdate: (raw) => state.enqueue(raw),
    knowChat: (user) => state.knowChat(user),
    get sent() { return state.sent; },
    get calls() { return state.calls; },
    get callbackAnswers() { return state.callbackAnswers; },
    get commands() { return state.commands; },
    get webhook() { return state.webhook; },
    get webhookDeliveries() { return state.webhookDeliveries; },
    get pendingUpdates() { return state.queue; },
    messagesTo: (chatId) => state.messagesTo(chatId),
    waitForMessages: (chatId, n, timeoutMs = 5000) =>
      waitUntil(
        () => {
          const got = state.messagesTo(chatId);
          return got.length >= n ? got : undefined;
        },
        timeoutMs,
        () => {
          const got = state.messagesTo(chatId);
          const failed = state.calls.filter((c) => c.status >= 400 && String(c.body.chat_id) === String(chatId));
          return [
            `waitForMessages: expected at least ${n} message(s) to chat ${chatId} within ${timeoutMs}ms, got ${got.length}`,
            ...got.map(describeMessage),
            ...(failed.length ? ["failed calls for this chat:", ...failed.map((c) => `  ${c.method} ${c.status} ${String(c.response)}`)] : []),
          ].join("\n");
        },
      ),
    waitForCall: (method, predicate = () => true, timeoutMs = 5000) =>
      waitUntil(
        () => state.calls.find((c) => c.method.toLowerCase() === method.toLowerCase() && predicate(c)),
        timeoutMs,
        () => {
          const same = state.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase());
          return [
            `waitForCall: no matching ${method} call within ${timeoutMs}ms (${same.length} ${method} call(s) seen, ${state.calls.length} calls total)`,
            ...same.slice(-5).map((c) => `  ${c.status} ${JSON.stringify(c.body)}`),
          ].join("\n");
        },
      ),
    failNext: (method, fault, count = 1) => {
      faults.push({ method, fault, remaining: count });
    },
    clearFaults: () => {
      faults.splice(0);
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    close: () => (closing ??= close()),
  };
}
