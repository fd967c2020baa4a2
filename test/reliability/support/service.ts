// CareBot started in this process exactly as `carebot start` does (startService), its Telegram bot
// pointed at the loopback fake Bot API, its log kept in memory. Pacing is lifted (the fake does not
// rate-limit), so a test is bound by CareBot's own work rather than Telegram's 30 messages a second.
import { startService } from "../../../src/app.ts";
import type { RunningService } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { createLogger } from "../../../src/logger.ts";
import { systemClock } from "../../../src/util/clock.ts";
import type { FakeBotApi } from "../../support/fake-bot-api/index.ts";
import type { TestDatabase } from "../../support/db.ts";
import { memoryLog } from "./logs.ts";
import type { MemoryLog } from "./logs.ts";

export const TOKEN = "123456:RELIABILITY-TEST-TOKEN-00";

export interface InProcessCareBot {
  service: RunningService;
  log: MemoryLog;
  stop(): Promise<void>;
}

export async function startInProcess(target: TestDatabase, api: FakeBotApi, env: Record<string, string> = {}): Promise<InProcessCareBot> {
  const config = loadConfig({
    DATABASE_URL: target.config.url,
    PORT: "0",
    LOG_LEVEL: "info",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    SCHEDULER_ENABLED: "0",
    ...env,
  });
  const unpaced = { ...config, telegram: { ...config.telegram!, perSecond: 0, perChatIntervalMs: 0 } };
  const log = memoryLog();
  const service = await startService(unpaced, { logger: createLogger({ level: "info", pretty: false, destination: log }), clock: systemClock });
  return { service, log, stop: () => service.stop() };
}
