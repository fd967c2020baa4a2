// Long polling that never confirms an update before it is handled. @grammyjs/runner moves the
// offset on as soon as a batch is fetched, so an update whose handler failed (the database away)
// or was cut short (the process killed) is gone. Here a batch is confirmed only once every update
// in it is done: handled, or given up as poison. Chats in a batch run side by side, each in order.
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { describeError } from "./errors.ts";
import type { TelegramLogger } from "./logger.ts";

export interface LongPollingOptions {
  bot: Bot;
  timeoutSeconds: number;
  allowedUpdates: readonly string[];
  /** Handles one update completely; resolves when done or when `signal` stops it (left unconfirmed). */
  handle(update: Update, signal: AbortSignal): Promise<void>;
  logger: TelegramLogger;
}

export interface LongPolling {
  isRunning(): boolean;
  /** Settles when polling ends: resolves after stop(), rejects when Telegram refuses for good (401/409). */
  readonly task: Promise<void>;
  /** Stops fetching, lets handlers in progress finish (a retry wait is cut short) and confirms what is done. */
  stop(): Promise<void>;
}

const BATCH = 100;

/** The chat an update belongs to; updates without one get their own key. */
export function chatKeyOf(update: Update): string {
  for (const value of Object.values(update as unknown as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const v = value as { chat?: { id?: unknown }; message?: { chat?: { id?: unknown } }; from?: { id?: unknown } };
    const id = v.chat?.id ?? v.message?.chat?.id ?? v.from?.id;
    if (typeof id === "number" || typeof id === "string") return `chat:${id}`;
  }
  return `update:${update.update_id}`;
}

export function startLongPolling(options: LongPollingOptions): LongPolling {
  const { bot, logger } = options;
  const controller = new AbortController();
  const signal = controller.signal;
  let running = true;
  let offset = 0;
  let confirmed = 0;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });

  async function fetchBatch(): Promise<Update[] | undefined> {
    let wait = 100;
    while (!signal.aborted) {
      try {
        const updates = await bot.api.getUpdates({ offset, limit: BATCH, timeout: options.timeoutSeconds, allowed_updates: [...options.allowedUpdates] as never }, signal as never);
        confirmed = offset;
        return updates;
      } catch (error) {
        if (signal.aborted) return undefined;
        const code = (error as { error_code?: unknown }).error_code;
        // A revoked token or another instance polling: only a person can fix that.
        if (code === 401 || code === 409) throw error;
        const retryAfter = (error as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
        await pause(typeof retryAfter === "number" ? retryAfter * 1000 : wait);
        wait = Math.min(wait * 2, 30_000);
      }
    }
    return undefined;
  }

  async function handleBatch(updates: Update[]): Promise<void> {
    const chats = new Map<string, Update[]>();
    for (const update of updates) {
      const key = chatKeyOf(update);
      const list = chats.get(key);
      if (list) list.push(update);
      else chats.set(key, [update]);
    }
    await Promise.all(
      [...chats.values()].map(async (chatUpdates) => {
        for (const update of chatUpdates) {
          if (signal.aborted) return;
          await options.handle(update, signal);
        }
      }),
    );
  }

  async function loop(): Promise<void> {
    while (!signal.aborted) {
      const updates = await fetchBatch();
      if (!updates || signal.aborted) break;
      await handleBatch(updates);
      // Stopped midway: nothing of this batch is confirmed; what was done is a duplicate next time
      // (the router drops it by its dedupe key), what was not is delivered again.
      if (signal.aborted) break;
      const last = updates.at(-1);
      if (last) offset = last.update_id + 1;
    }
  }

  async function confirmDone(): Promise<void> {
    if (offset <= confirmed) return;
    try {
      await bot.api.getUpdates({ offset, limit: 1, timeout: 0 });
    } catch (error) {
      logger.warn({ error: describeError(error) }, "telegram: could not confirm the last handled updates; they will be skipped as duplicates");
    }
  }

  const task = loop().finally(() => {
    running = false;
  });
  task.catch(() => {}); // the owner reads failures through `task`

  return {
    isRunning: () => running && !signal.aborted,
    task,
    stop: async () => {
      controller.abort();
      await task.catch(() => {});
      await confirmDone();
    },
  };
}
