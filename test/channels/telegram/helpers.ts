// Shared setup for the Telegram adapter tests: the fake Bot API, a recording router edge,
// a logger that remembers, and cleanup that leaves nothing running.
import { afterEach, expect } from "vitest";
import type { InboundMessage } from "../../../src/channels/types.ts";
import type { TelegramLogger } from "../../../src/channels/telegram/logger.ts";
import { startFakeBotApi } from "../../support/fake-bot-api/index.ts";
import type { FakeBotApi, FakeBotApiOptions } from "../../support/fake-bot-api/index.ts";

/** Registers afterEach cleanup for the calling test file; returns the register function. */
export function useCleanup(): (fn: () => Promise<unknown> | unknown) => void {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return (fn) => {
    cleanups.push(fn);
  };
}

export async function fakeApi(onCleanup: (fn: () => Promise<unknown>) => void, options?: FakeBotApiOptions): Promise<FakeBotApi> {
  const api = await startFakeBotApi(options);
  onCleanup(() => api.close());
  return api;
}

/** The router's place in the tests: records what the adapter hands over. */
export function recorder(handle?: (message: InboundMessage) => Promise<void> | void) {
  const received: InboundMessage[] = [];
  return {
    received,
    onInbound: async (message: InboundMessage): Promise<void> => {
      received.push(message);
      await handle?.(message);
    },
    /** Waits until at least n messages arrived; returns them. */
    async waitFor(n: number, timeout = 3000): Promise<InboundMessage[]> {
      await expect.poll(() => received.length, { timeout, interval: 10 }).toBeGreaterThanOrEqual(n);
      return received;
    },
  };
}

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  obj: object;
  msg: string | undefined;
}

export function memoryLogger(): TelegramLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine["level"]) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
