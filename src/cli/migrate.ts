import type { Config } from "../config.ts";
import { applyMigrations, migrationStatus } from "../db/migrate/index.ts";
import { textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import type { CliOutput } from "./io.ts";

const TEXT: Dictionary<"upToDate" | "pending" | "edited" | "failed" | "unknown" | "applied" | "nothing"> = {
  ru: {
    upToDate: "база данных в актуальном состоянии",
    pending: "ждут применения",
    edited: "изменены после применения",
    failed: "не удались",
    unknown: "применены, но их нет в prisma/migrations",
    applied: "применены",
    nothing: "применять нечего, база данных в актуальном состоянии",
  },
  en: {
    upToDate: "the database is up to date",
    pending: "pending",
    edited: "edited after being applied",
    failed: "failed",
    unknown: "applied but missing from prisma/migrations",
    applied: "applied",
    nothing: "nothing to apply, the database is up to date",
  },
};

export async function migrateCommand(config: Config, options: { status?: boolean; lang?: Lang }, io: CliOutput): Promise<number> {
  const t = textsOf(TEXT, options.lang ?? "en");
  const where = config.database.provider;
  if (options.status) {
    const status = await migrationStatus(config.database);
    if (status.upToDate) {
      io.stdout.write(`${where}: ${t.upToDate}\n`);
      return 0;
    }
    const show = (label: string, names: string[]) => names.length > 0 && io.stdout.write(`${label}: ${names.join(", ")}\n`);
    show(t.pending, status.pending);
    show(t.edited, status.edited);
    show(t.failed, status.failed);
    show(t.unknown, status.unknown);
    return status.failed.length + status.edited.length + status.unknown.length > 0 ? 1 : 0;
  }
  const applied = await applyMigrations(config.database);
  io.stdout.write(applied.length ? `${where}: ${t.applied} ${applied.join(", ")}\n` : `${where}: ${t.nothing}\n`);
  return 0;
}
