import { startService } from "../app.ts";
import { redactUrl } from "../config.ts";
import type { Config } from "../config.ts";
import { createLogger } from "../logger.ts";
import { systemClock } from "../util/clock.ts";

export async function startCommand(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, { logger, clock: systemClock });
  const clinics = await service.db.prisma.clinic.findMany({ select: { name: true, timezone: true, _count: { select: { patients: true } } } });
  const db = config.database.provider === "sqlite" ? `SQLite ${config.database.file}` : `PostgreSQL ${redactUrl(config.database.url)}`;
  const lines = [
    "CareBot is running",
    `  HTTP        ${service.url}   (health: ${service.url}/health)`,
    `  Database    ${db}`,
    ...clinics.map((c) => `  Clinic      ${c.name}, ${c.timezone}, ${c._count.patients} patients`),
    `  Flows       ${service.carebot.flows.catalog().flows.size} from ${config.flowsDir} (watched for edits)`,
    ...service.channels.describe(),
    `  Scheduler   ${service.scheduler ? service.scheduler.describe() : "off (SCHEDULER_ENABLED=0)"}`,
    ...(service.demo
      ? [`  Demo        seeded; operator login "${service.demo.operatorLogin}", password ${service.demo.operatorPassword} (shown once)`]
      : []),
    "Press Ctrl+C to stop.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await service.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}
