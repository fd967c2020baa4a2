import type { Config } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { applyMigrations } from "../db/migrate/index.ts";
import { seedDemo } from "../seed/demo.ts";
import { systemClock } from "../util/clock.ts";

export async function seedCommand(config: Config, options: { demo?: boolean }): Promise<number> {
  if (!options.demo) {
    process.stderr.write("carebot seed: say what to seed: --demo\n");
    return 2;
  }
  await applyMigrations(config.database);
  const db = openDatabase(config.database);
  try {
    const result = await seedDemo(db.prisma, systemClock, config.clinicTimeZone);
    process.stdout.write(
      [
        `Demo clinic created (id ${result.clinicId}): ${result.patients} patients, ${result.visits} visits.`,
        `Operator login: ${result.operatorLogin}`,
        `Operator password: ${result.operatorPassword}   (shown once; store it now)`,
        "",
      ].join("\n"),
    );
    return 0;
  } finally {
    await db.close();
  }
}
