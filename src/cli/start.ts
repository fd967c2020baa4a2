import { startService } from "../app.ts";
import { redactUrl } from "../config.ts";
import type { Config } from "../config.ts";
import { createLogger } from "../logger.ts";
import { systemClock } from "../util/clock.ts";
import type { CliIo } from "./io.ts";

/** `carebot start`: serves until SIGINT or SIGTERM, then stops the service and returns 0. */
export async function startCommand(config: Config, io: CliIo): Promise<number> {
  // Pretty lines for a person at a terminal; JSON lines (to the same stdout) otherwise.
  const pretty = io.stdout.isTTY === true && !io.env.CI;
  const logger = createLogger({ level: config.logLevel, pretty, destination: pretty ? undefined : io.stdout });
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
  io.stdout.write(`${lines.join("\n")}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stopOn = (received: NodeJS.Signals) => {
      process.off("SIGINT", stopOn);
      process.off("SIGTERM", stopOn);
      resolve(received);
    };
    process.on("SIGINT", stopOn);
    process.on("SIGTERM", stopOn);
  });
  logger.info({ signal }, "stopping");
  await service.stop();
  return 0;
}
