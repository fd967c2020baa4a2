import type { Config } from "../config.ts";
import { applyMigrations, migrationStatus } from "../db/migrate/index.ts";

export async function migrateCommand(config: Config, options: { status?: boolean }): Promise<number> {
  const where = config.database.provider;
  if (options.status) {
    const status = await migrationStatus(config.database);
    if (status.upToDate) {
      process.stdout.write(`${where}: the database is up to date\n`);
      return 0;
    }
    const show = (label: string, names: string[]) => names.length > 0 && process.stdout.write(`${label}: ${names.join(", ")}\n`);
    show("pending", status.pending);
    show("edited after being applied", status.edited);
    show("failed", status.failed);
    show("applied but missing from prisma/migrations", status.unknown);
    return status.failed.length + status.edited.length + status.unknown.length > 0 ? 1 : 0;
  }
  const applied = await applyMigrations(config.database);
  process.stdout.write(applied.length ? `${where}: applied ${applied.join(", ")}\n` : `${where}: nothing to apply, the database is up to date\n`);
  return 0;
}
