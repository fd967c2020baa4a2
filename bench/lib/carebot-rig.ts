// CareBot as `npm start` wires it for Telegram, minus HTTP and the scheduler: the real grammY
// channel (long polling through @grammyjs/runner) → the conversation router → the outbox →
// the dispatcher → the same channel's sender, against the loopback fake Bot API.
import path from "node:path";
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import type { GrammyChannel } from "../../src/channels/telegram/index.ts";
import { ConversationRouter } from "../../src/conversations/router.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { FlowService } from "../../src/flows/service.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { systemClock } from "../../src/util/clock.ts";
import type { DatabaseConfig } from "../../src/config.ts";
import { openCountingDatabase } from "./counting-db.ts";
import type { CountingDatabase } from "./counting-db.ts";
import { ReplyProbe } from "./probe.ts";
import { ROOT } from "./report.ts";

export interface CareBotRig {
  db: CountingDatabase;
  router: ConversationRouter;
  channel: GrammyChannel;
  probe: ReplyProbe;
  /** Starts the shipped NPS flow in a chat as the dispatcher does for a scheduled survey row. */
  startNps(identityId: number): Promise<unknown>;
  stop(): Promise<void>;
}

export const NPS_CONTEXT = { doctor: "Смирнова Елена Андреевна", service: "Консультация терапевта", serviceCategory: "therapy" };

let shipped: FlowService | undefined;

/**
 * The shipped flows and templates, loaded once per run: a run takes many minutes, and an edit
 * to flows/ meanwhile must not change (or break) what the later cases measure.
 */
export function shippedFlows(): FlowService {
  shipped ??= FlowService.load({ flowsDir: path.join(ROOT, "flows"), templatesDir: path.join(ROOT, "templates"), registry: createRegistry() });
  return shipped;
}

export async function startCareBotRig(config: DatabaseConfig, clinicId: number, bot: { token: string; apiRoot: string }): Promise<CareBotRig> {
  const db = openCountingDatabase(config, { poolSize: 10 });
  const logger = createLogger({ level: "silent", pretty: false });
  const flows = shippedFlows();
  const router = new ConversationRouter({ db, clock: systemClock, logger, catalog: () => flows.catalog(), clinicId });
  const channel = createGrammyChannel({ token: bot.token, apiRoot: bot.apiRoot, onInbound: async (m) => void (await router.handle(m)), polling: { timeoutSeconds: 1 } });
  const probe = new ReplyProbe();
  probe.attach(channel.bot);
  const dispatcher = new Dispatcher({
    db,
    clock: systemClock,
    logger,
    senders: { telegram: channel.sender },
    // Telegram's own quota (25/s, 1/s per chat) would measure Telegram, not CareBot: lifted here.
    limits: { telegram: { perSecond: 0, perChatIntervalMs: 0 } },
    startFlow: (identityId, flowId, options) => router.startFlow(identityId, flowId, options),
  });
  router.events.on("outbox", (identityId) => dispatcher.wake(identityId));
  await channel.start();
  dispatcher.start();
  return {
    db,
    router,
    channel,
    probe,
    startNps: (identityId) => router.startFlow(identityId, "nps", { category: "care", context: NPS_CONTEXT }),
    stop: async () => {
      await channel.stop();
      await dispatcher.stop();
      await db.close();
    },
  };
}
