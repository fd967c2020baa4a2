// A CareBot dispatcher in its own process, for the crash and multi-instance tests: it sends what
// is due through the real grammY sender to the Bot API at TELEGRAM_API_ROOT until nothing is left.
import { createGrammyChannel } from "../../src/channels/telegram/index.ts";
import { databaseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { systemClock } from "../../src/util/clock.ts";

const db = openDatabase(databaseConfig(process.env.DATABASE_URL!));
const channel = createGrammyChannel({ token: process.env.TELEGRAM_BOT_TOKEN!, apiRoot: process.env.TELEGRAM_API_ROOT!, onInbound: async () => {} });
const dispatcher = new Dispatcher({
  db,
  clock: systemClock,
  logger: createLogger({ level: "warn", pretty: false }),
  senders: { telegram: channel.sender },
  limits: { telegram: { perSecond: Number(process.env.RATE ?? 0), perChatIntervalMs: 0 } },
  owner: process.env.OWNER,
  batchSize: Number(process.env.BATCH ?? 50),
  leaseMs: Number(process.env.LEASE_MS ?? 60_000),
});
process.stdout.write("ready\n");
// Drain until nothing is pending or in flight (rows claimed by a dead process come back after their lease).
for (;;) {
  await dispatcher.drain();
  const left = await db.prisma.outbox.count({ where: { status: { in: ["pending", "sending"] } } });
  if (left === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await db.close();
process.stdout.write("done\n");
process.exit(0);
