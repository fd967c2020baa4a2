import type { FastifyInstance } from "fastify";
import { SERVICE_WINDOW_MS } from "./channels/whatsapp-cloud/window.ts";
import { buildServer } from "./api/server.ts";
import { HealthRegistry } from "./api/health.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import type { Database } from "./db/client.ts";
import { applyMigrations } from "./db/migrate/index.ts";
import type { Logger } from "./logger.ts";
import { seedDemo } from "./seed/demo.ts";
import type { DemoSeedResult } from "./seed/demo.ts";
import type { Clock } from "./util/clock.ts";
import { createCareBot } from "./core.ts";
import { escalationAlertsFor } from "./operators/alerts/escalation-alerts.ts";
import { createChannels } from "./channels/start.ts";
import type { RunningChannels } from "./channels/start.ts";
import { Dispatcher } from "./outbox/dispatcher.ts";
import type { CareBot } from "./core.ts";
import { createScheduler } from "./scheduler/scheduler.ts";
import type { Scheduler } from "./scheduler/scheduler.ts";

export interface RunningService {
  carebot: CareBot;
  channels: RunningChannels;
  dispatcher: Dispatcher;
  /** Null when SCHEDULER_ENABLED=0 (another process runs the scheduled jobs, or none does). */
  scheduler: Scheduler | null;
  db: Database;
  http: FastifyInstance;
  url: string;
  migrationsApplied: string[];
  demo: DemoSeedResult | null;
  stop(): Promise<void>;
}

/**
 * Starts CareBot: migrates the database, seeds the demo clinic into an empty one (when allowed),
 * and serves HTTP. Later parts (bots, scheduler, console) attach here.
 */
export async function startService(config: Config, deps: { logger: Logger; clock: Clock }): Promise<RunningService> {
  const { logger, clock } = deps;
  // Migrate before the application opens its own connections (the engine's must be closed first).
  const migrationsApplied = await applyMigrations(config.database);
  if (migrationsApplied.length > 0) logger.info({ migrations: migrationsApplied }, "database migrated");

  const db = openDatabase(config.database);
  try {
    let demo: DemoSeedResult | null = null;
    if (config.seedDemo && (await db.prisma.clinic.count()) === 0) {
      demo = await seedDemo(db, clock, config.clinicTimeZone);
      logger.info({ clinicId: demo.clinicId, patients: demo.patients }, "demo clinic seeded");
    }
    const carebot = await createCareBot(config, db, { clock, logger, escalationAlerts: escalationAlertsFor(config) });
    carebot.flows.watch(logger);
    const health = new HealthRegistry();
    const http = buildServer({ db, logger, health, startedAt: clock.now(), carebot });
    const channels = createChannels(carebot, http, health);
    const dispatcher = new Dispatcher({
      db,
      clinicId: carebot.clinic.id,
      clock,
      logger: logger.child({ component: "dispatcher" }),
      senders: channels.senders,
      limits: channels.limits,
      misWebhook: config.misWebhook,
      startFlow: (identityId, flowId, options) => carebot.router.startFlow(identityId, flowId, options),
      channelReady: (channel) => channels.ready(channel),
      // WhatsApp Cloud API takes only templates 24 hours after the patient's last message.
      serviceWindowMs: config.whatsappCloud ? { whatsapp: SERVICE_WINDOW_MS } : {},
    });
    // A step that queued messages wakes the dispatcher: replies leave at once, not at the next poll.
    carebot.router.events.on("outbox", (identityId) => dispatcher.wake(identityId));
    // The planners and flow timers, on the clinic's schedules; their rows wake the dispatcher too.
    const scheduler = config.schedulerEnabled ? await createScheduler(carebot, { clock }) : null;
    if (scheduler) health.register("scheduler", () => scheduler.health());
    await http.listen({ host: config.host, port: config.port });
    await channels.start();
    dispatcher.start();
    scheduler?.start();
    const address = http.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    let stopped = false;
    return {
      carebot,
      channels,
      dispatcher,
      scheduler,
      db,
      http,
      url,
      migrationsApplied,
      demo,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        carebot.flows.close();
        await scheduler?.stop();
        await channels.stop();
        await dispatcher.stop();
        await http.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
