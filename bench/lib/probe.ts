// Times each message from the moment its Update reaches grammY (the getUpdates answer is in the
// bot's hands) to the moment the bot's reply has reached the fake Bot API (sendMessage answered).
// Hooked in as an API transformer, so CareBot, the baseline and the ceiling are timed the same way.
import { performance } from "node:perf_hooks";
import type { Api, Bot } from "grammy";
import type { Update } from "grammy/types";

interface Waiter {
  resolve: () => void;
}

export class ReplyProbe {
  /** Arrival times of the measured messages that have no reply yet, per chat, oldest first. */
  readonly #pending = new Map<number, number[]>();
  readonly latencies: number[] = [];
  #measuring = false;
  #replies = 0;
  #sends = 0;
  #waiters: Waiter[] = [];

  /** Messages already counted, by chat and message id: a replayed call answers with the same one. */
  readonly #seen = new Set<string>();

  attach(bot: Bot): void {
    this.attachApi(bot.api);
  }

  /** Also for Api objects a plugin makes itself (@grammyjs/conversations builds one per update). */
  attachApi(api: Api): void {
    api.config.use(async (prev, method, payload, signal) => {
      const answer = await prev(method, payload, signal);
      const at = performance.now();
      if (method === "getUpdates" && answer.ok && this.#measuring) {
        for (const update of answer.result as Update[]) {
          const chat = update.message?.chat.id;
          if (chat === undefined) continue;
          let queue = this.#pending.get(chat);
          if (!queue) this.#pending.set(chat, (queue = []));
          queue.push(at);
        }
      }
      if (method === "sendMessage" && answer.ok) {
        const sent = answer.result as { message_id: number; chat: { id: number } };
        const key = `${sent.chat.id}:${sent.message_id}`;
        if (this.#seen.has(key)) return answer;
        this.#seen.add(key);
        this.#sends++;
        const queue = this.#pending.get(Number((payload as { chat_id: number | string }).chat_id));
        const arrived = queue?.shift();
        if (arrived !== undefined) {
          this.latencies.push(at - arrived);
          this.#replies++;
        }
        this.#wake();
      }
      return answer;
    });
  }

  /** From now on updates are timed; until then sends only count (questions a flow asks by itself). */
  measure(on: boolean): void {
    this.#measuring = on;
  }

  get replies(): number {
    return this.#replies;
  }

  get sends(): number {
    return this.#sends;
  }

  /** Resolves once `total` sendMessage calls (of any kind) have succeeded since the start. */
  untilSends(total: number, timeoutMs: number): Promise<void> {
    return this.#until(() => this.#sends >= total, timeoutMs, () => `${this.#sends}/${total} messages sent`);
  }

  /** Resolves once `total` measured replies have arrived since the start. */
  untilReplies(total: number, timeoutMs: number): Promise<void> {
    return this.#until(() => this.#replies >= total, timeoutMs, () => `${this.#replies}/${total} replies`);
  }

  #until(done: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms: ${explain()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: () => {
          if (!done()) return;
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      this.#waiters.push(waiter);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  /** Forgets the samples of a warm-up round. */
  reset(): void {
    this.latencies.length = 0;
  }
}
