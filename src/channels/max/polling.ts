// Long polling of GET /updates. The marker (MAX's "give me what comes after") moves only after
// a whole batch is handled, so a crash mid-batch gets the batch again; the router's dedupe keys
// make the second delivery harmless. One chat's updates are handled in order, chats concurrently.
import type { Update } from "@maxhub/max-bot-api/types";
import type { ChannelLogger } from "../logger.ts";
import { describeMaxError, maxApiFailure } from "./errors.ts";

export interface UpdatesSource {
  getUpdates(types: string[], extra: { marker?: number; timeout?: number; signal?: AbortSignal }): Promise<{ updates: Update[]; marker: number }>;
}

export interface MaxPollingOptions {
  api: UpdatesSource;
  types: string[];
  timeoutSeconds: number;
  handle: (update: Update, signal: AbortSignal) => Promise<void>;
  logger: ChannelLogger;
  /** Told of every failed and every good poll, for status(). */
  onPoll: (error?: unknown) => void;
  retryDelayMs: { first: number; max: number };
}

export interface MaxPolling {
  /** Ends when stopped, or rejects when MAX refuses the token (401). */
  readonly task: Promise<void>;
  isRunning(): boolean;
  stop(): Promise<void>;
}

export function startMaxPolling(options: MaxPollingOptions): MaxPolling {
  const abort = new AbortController();
  let running = true;
  let marker: number | undefined;

  async function loop(): Promise<void> {
    let wait = options.retryDelayMs.first;
    while (!abort.signal.aborted) {
      let batch: { updates: Update[]; marker: number };
      try {
        batch = await options.api.getUpdates(options.types, { marker, timeout: options.timeoutSeconds, signal: abort.signal });
        options.onPoll();
        wait = options.retryDelayMs.first;
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onPoll(error);
        if (maxApiFailure(error)?.status === 401) throw error; // a revoked token does not come back by waiting
        options.logger.warn({ error: describeMaxError(error), retryInMs: wait }, "max: polling failed, trying again");
        await delay(wait, abort.signal);
        wait = Math.min(wait * 2, options.retryDelayMs.max);
        continue;
      }
      await handleBatch(Array.isArray(batch.updates) ? batch.updates : []);
      if (abort.signal.aborted) return; // left unconfirmed: the next start gets the batch again
      if (typeof batch.marker === "number") marker = batch.marker;
    }
  }

  async function handleBatch(updates: Update[]): Promise<void> {
    const byChat = new Map<string, Update[]>();
    for (const update of updates) {
      const key = chatKey(update);
      byChat.set(key, [...(byChat.get(key) ?? []), update]);
    }
    await Promise.all(
      [...byChat.values()].map(async (chat) => {
        for (const update of chat) await options.handle(update, abort.signal);
      }),
    );
  }

  const task = loop().finally(() => {
    running = false;
  });
  return {
    task,
    isRunning: () => running,
    stop: async () => {
      abort.abort();
      await task.catch(() => undefined);
    },
  };
}

function chatKey(update: Update): string {
  const u = update as { chat_id?: unknown; message?: { recipient?: { chat_id?: unknown } } | null };
  return String(u.chat_id ?? u.message?.recipient?.chat_id ?? "none");
}

export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
