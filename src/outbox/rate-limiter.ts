import { BoundedMap } from "../util/bounded-map.ts";
import { systemRandom } from "../util/random.ts";
import type { Random } from "../util/random.ts";

export interface RateLimit {
  /** Messages per second over the whole channel (Telegram: about 30; 25 leaves headroom). */
  perSecond: number;
  /** The least time between two messages to one chat. */
  perChatIntervalMs: number;
  /** Random extra wait per message, up to this (WhatsApp: looks less like a machine). */
  jitterMs?: number;
  /**
   * Sends go one at a time over the whole channel, each at least this long after the previous one
   * FINISHED (a slow send still gets its pause). WhatsApp Web: an unofficial client that sends
   * like a machine gets the clinic's number banned.
   */
  gapAfterSendMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PacingSources {
  /** Real milliseconds, in step with `sleep` (default Date.now). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Draws the jitter (default Math.random). */
  random?: Random;
}

/**
 * Spaces a channel's sends: a global pace and a per-chat gap. Waiting is real time (messengers
 * count in real seconds), while the injected clock only decides due times.
 *
 * Pacing books each send a time slot; when the event loop stalls (a busy CPU), timers that were
 * due during the stall fire together and would leave in a burst above Telegram's limit. So a
 * second gate counts what actually left in the last second and holds a send until it fits.
 */
export class RateLimiter {
  #nextGlobal = 0;
  // Chats not seen for a while are forgotten: their interval has long passed.
  readonly #lastByChat = new BoundedMap<string, number>(50_000);
  /** When the sends of the last second were released, oldest first. */
  readonly #released: number[] = [];
  /** With gapAfterSendMs: the send in progress (its turn and its own time), and when the last one finished. */
  #serial: Promise<unknown> = Promise.resolve();
  #lastDoneAt: number | undefined;

  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: Random;

  constructor(
    private readonly limit: RateLimit,
    sources: PacingSources = {},
  ) {
    this.now = sources.now ?? Date.now;
    this.sleep = sources.sleep ?? realSleep;
    this.random = sources.random ?? systemRandom;
  }

  /**
   * Sends `send` to `chatId` when its turn comes: the pacing of the channel, the one layer every
   * outbound message passes (the channels themselves do not pace). A failed send frees the turn too.
   */
  run<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    if (this.limit.gapAfterSendMs === undefined) return this.acquire(chatId).then(send);
    const turn = this.#serial.then(async () => {
      await this.acquire(chatId);
      try {
        return await send();
      } finally {
        this.#lastDoneAt = this.now();
      }
    });
    this.#serial = turn.catch(() => undefined);
    return turn;
  }

  /** Resolves when the next message to `chatId` may go. */
  async acquire(chatId: string): Promise<void> {
    const interval = this.limit.perSecond > 0 ? 1000 / this.limit.perSecond : 0;
    const now = this.now();
    const afterLast = this.#lastDoneAt === undefined ? now : this.#lastDoneAt + (this.limit.gapAfterSendMs ?? 0);
    const globalAt = Math.max(now, this.#nextGlobal, afterLast);
    this.#nextGlobal = globalAt + interval;
    const last = this.#lastByChat.get(chatId);
    const chatAt = last === undefined ? now : last + this.limit.perChatIntervalMs;
    const jitter = this.limit.jitterMs ? this.random() * this.limit.jitterMs : 0;
    const at = Math.max(globalAt, chatAt) + jitter;
    this.#lastByChat.set(chatId, at);
    if (at > now) await this.sleep(at - now);
    await this.#fitInLastSecond();
  }

  async #fitInLastSecond(): Promise<void> {
    const cap = Math.floor(this.limit.perSecond);
    if (cap <= 0) return;
    for (;;) {
      const t = this.now();
      while (this.#released.length > 0 && t - this.#released[0]! >= 1000) this.#released.shift();
      if (this.#released.length < cap) {
        this.#released.push(t);
        return;
      }
      await this.sleep(this.#released[0]! + 1000 - t);
    }
  }
}
