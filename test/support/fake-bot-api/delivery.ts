// Getting updates to the bot, both ways Telegram does it: long polling (getUpdates, one poll
// at a time, offsets confirm) and webhooks (setWebhook, then POST one update at a time, in order).
import http from "node:http";
import https from "node:https";
import type { Update } from "grammy/types";
import { ApiError, badRequest } from "./formatting.ts";
import type { FakeState, WebhookConfig } from "./state.ts";
import { nowSeconds } from "./state.ts";
import type { Handler, Params } from "./methods.ts";
import { bool, Described, int, list, str } from "./methods.ts";

const CONFLICT_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

export function deliveryMethods(state: FakeState): Record<string, Handler> {
  let activePoll: { end(error?: ApiError): void } | undefined;

  const getUpdates: Handler = (p, signal) => {
    if (state.webhook) throw new ApiError(409, CONFLICT_WEBHOOK);
    const offset = int(p, "offset") ?? 0;
    const limit = Math.min(100, Math.max(1, int(p, "limit") ?? 100));
    const timeout = Math.min(3600, Math.max(0, int(p, "timeout") ?? 0));
    const allowed = list(p, "allowed_updates");
    if (allowed !== undefined) state.allowedUpdates = allowed.map(String);
    // Telegram keeps one long poll per bot: the older request loses.
    activePoll?.end(new ApiError(409, CONFLICT_POLL));
    state.confirm(offset);
    const ready = state.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || signal.aborted) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const finish = (error?: ApiError): void => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
        if (activePoll === poll) activePoll = undefined;
        if (error) reject(error);
        else resolve(state.webhook ? [] : state.deliverable(limit));
      };
      const poll = { end: finish };
      const onAbort = (): void => finish(); // client went away, or close(): answer []
      const timer = setTimeout(() => finish(), timeout * 1000);
      const unsubscribe = state.onChange(() => {
        if (state.webhook || state.deliverable(limit).length > 0) finish();
      });
      signal.addEventListener("abort", onAbort);
      activePoll = poll;
    });
  };

  const deleteWebhook: Handler = (p) => {
    const had = state.webhook !== null;
    state.webhook = null;
    if (bool(p, "drop_pending_updates")) state.queue = [];
    state.notify();
    return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
  };

  const setWebhook: Handler = (p, signal) => {
    const url = str(p, "url") ?? "";
    if (url === "") return deleteWebhook(p, signal);
    // Real Telegram insists on HTTPS; loopback tests need plain HTTP.
    if (!/^https?:\/\/[^\s/]+/i.test(url)) throw badRequest("bad webhook: invalid webhook URL specified");
    const secret = str(p, "secret_token");
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest("bad webhook: secret token contains unallowed characters");
    }
    const allowed = list(p, "allowed_updates");
    if (allowed !== undefined) state.allowedUpdates = allowed.map(String);
    if (bool(p, "drop_pending_updates")) state.queue = [];
    const already = state.webhook?.url === url && state.webhook.secretToken === secret;
    state.webhook = { url, secretToken: secret, allowedUpdates: allowed?.map(String), maxConnections: int(p, "max_connections") ?? 40 };
    activePoll?.end(new ApiError(409, "Conflict: terminated by setWebhook request"));
    state.notify(); // starts delivery of pending updates
    return new Described(true, already ? "Webhook is already set" : "Webhook was set");
  };

  const getWebhookInfo: Handler = () => {
    const hook = state.webhook;
    const info: Record<string, unknown> = { url: hook?.url ?? "", has_custom_certificate: false, pending_update_count: state.queue.length };
    if (!hook) return info;
    return {
      ...info,
      max_connections: hook.maxConnections,
      ip_address: "127.0.0.1",
      ...(hook.allowedUpdates && { allowed_updates: hook.allowedUpdates }),
      ...(state.webhookLastError && { last_error_date: state.webhookLastError.date, last_error_message: state.webhookLastError.message }),
    };
  };

  return { getUpdates, setWebhook, deleteWebhook, getWebhookInfo };
}

export interface WebhookSenderOptions {
  attempts: number;
  retryDelayMs: number;
  timeoutMs: number;
  /** A sleep that the server's close() cuts short. */
  sleep(ms: number): Promise<void>;
  /** Runs a method call found in a webhook response body (Telegram executes those). */
  runReply(method: string, params: Params): Promise<unknown>;
}

/** POSTs pending updates to the webhook, one at a time; retries non-2xx, then gives up on that update. */
export class WebhookSender {
  private busy = false;
  private closed = false;
  private readonly requests = new Set<http.ClientRequest>();

  constructor(private readonly state: FakeState, private readonly opts: WebhookSenderOptions) {}

  async pump(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      for (;;) {
        const hook = this.state.webhook;
        const update = hook ? this.state.deliverable(1)[0] : undefined;
        if (!hook || !update || this.closed) break;
        if (await this.deliver(update, hook)) this.state.queue = this.state.queue.filter((u) => u !== update);
        else if (this.closed) break; // otherwise the webhook changed: start over with the new one
      }
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.closed = true;
    for (const req of this.requests) req.destroy();
  }

  /** true once the update is accepted or given up on; false when the webhook changed meanwhile or we closed. */
  private async deliver(update: Update, hook: WebhookConfig): Promise<boolean> {
    for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
      const reply = await this.post(hook, update);
      this.state.webhookDeliveries.push({ updateId: update.update_id, url: hook.url, attempt, status: reply.status, error: reply.error, at: Date.now() });
      this.state.notify();
      if (reply.status >= 200 && reply.status < 300) {
        await this.runReply(reply.body);
        return true;
      }
      this.state.webhookLastError = {
        date: nowSeconds(),
        message: reply.error ?? `Wrong response from the webhook: ${reply.status} ${http.STATUS_CODES[reply.status] ?? ""}`.trim(),
      };
      if (attempt < this.opts.attempts) await this.opts.sleep(this.opts.retryDelayMs);
      if (this.closed || this.state.webhook !== hook) return false;
    }
    return true;
  }

  private post(hook: WebhookConfig, update: Update): Promise<{ status: number; body: string; error?: string }> {
    if (this.closed) return Promise.resolve({ status: 0, body: "", error: "fake Bot API closed" });
    const payload = JSON.stringify(update);
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
    if (hook.secretToken !== undefined) headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secretToken;
    const client = hook.url.startsWith("https:") ? https : http;
    return new Promise((resolve) => {
      // agent: false → a fresh connection per POST, so nothing lingers after close()
      const req = client.request(hook.url, { method: "POST", headers, agent: false, timeout: this.opts.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ status: res.statusCode ?? 0, body: "", error: e.message }));
      });
      this.requests.add(req);
      req.on("close", () => this.requests.delete(req));
      req.on("timeout", () => req.destroy(new Error("Connection timed out")));
      req.on("error", (e) => resolve({ status: 0, body: "", error: e.message }));
      req.end(payload);
    });
  }

  /** Webhook replies: a 2xx body like { "method": "sendMessage", ... } is executed as a call. */
  private async runReply(body: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = body.trim() ? JSON.parse(body) : undefined;
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return;
    const { method, ...params } = parsed as Record<string, unknown>;
    if (typeof method === "string") await this.opts.runReply(method, params);
  }
}
