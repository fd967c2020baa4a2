// `carebot start` in its own process, as a clinic runs it, with the Telegram bot pointed at the
// loopback fake Bot API. Its JSON log is kept for the test to read; SIGKILL is the test's to send.
import { createServer } from "node:net";
import type { ChildProcess } from "node:child_process";
import { startCli, waitForExit } from "../../support/cli.ts";
import type { FakeBotApi } from "../../support/fake-bot-api/index.ts";
import type { LogLine } from "./logs.ts";
import { TOKEN } from "./service.ts";

export const WEBHOOK_SECRET = "reliability-webhook-secret-0001";

export interface ChildCareBot {
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines so far (lines that are not JSON, such as the banner, are skipped). */
  log(): LogLine[];
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildOptions {
  databaseUrl: string;
  api: FakeBotApi;
  mode?: "polling" | "webhook";
  env?: Record<string, string>;
}

export async function startChildCareBot(options: ChildOptions): Promise<ChildCareBot> {
  const port = await freePort();
  const webhook: Record<string, string> =
    options.mode === "webhook"
      ? { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET }
      : {};
  const started = await startCli({
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    LOG_LEVEL: "info",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: options.api.apiRoot,
    TELEGRAM_RATE_PER_SECOND: "30",
    TELEGRAM_CHAT_INTERVAL_MS: "0",
    SCHEDULER_ENABLED: "0",
    ...webhook,
    ...options.env,
  });
  // startCli rejects on exit before the address; afterwards an exit is the test's business.
  started.child.removeAllListeners("exit");
  return {
    child: started.child,
    url: started.url,
    output: started.output,
    log: () =>
      started
        .output()
        .split("\n")
        .flatMap((line) => {
          if (!line.startsWith("{")) return [];
          try {
            return [JSON.parse(line) as LogLine];
          } catch {
            return [];
          }
        }),
    kill: async (signal = "SIGTERM") => {
      if (started.child.exitCode !== null || started.child.signalCode !== null) return started.child.exitCode;
      started.child.kill(signal);
      return waitForExit(started.child);
    },
  };
}
