import type { Database } from "../db/client.ts";
import { typedSql } from "../db/kysely/index.ts";

export interface RunSummary {
  planned: number;
  skipped: number;
  counts: Record<string, unknown>;
  error: string | null;
}

/**
 * Elects the one instance that runs a cron slot, with the database's unique index on JobRun
 * (clinicId, kind, periodKey): every instance inserts the slot's row, one insert wins, the others
 * do nothing. When several CareBot processes share a PostgreSQL database this keeps a slot's work
 * in one of them and leaves one summary row per slot. It does not guard correctness: the planners
 * are idempotent by their outbox keys, so two instances planning the same slot would queue every
 * message once all the same.
 */
export class RunCoordinator {
  constructor(
    private readonly db: Database,
    private readonly clinicId: number,
    readonly owner: string,
  ) {}

  /** The JobRun id when this instance won the slot; null when another instance has it. */
  async claim(kind: string, periodKey: string, startedAt: Date): Promise<number | null> {
    const row = await typedSql(this.db)
      .insertInto("JobRun")
      .values({ clinicId: this.clinicId, kind, periodKey, owner: this.owner, startedAt })
      .onConflict((c) => c.columns(["clinicId", "kind", "periodKey"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The latest slot of a kind any instance has claimed and who claimed it, or null when it never ran here. */
  async lastClaim(kind: string): Promise<{ periodKey: string; owner: string } | null> {
    return this.db.prisma.jobRun.findFirst({ where: { clinicId: this.clinicId, kind }, orderBy: { periodKey: "desc" }, select: { periodKey: true, owner: true } });
  }

  async finish(id: number, finishedAt: Date, summary: RunSummary): Promise<void> {
    await this.db.prisma.jobRun.update({
      where: { id },
      data: { finishedAt, planned: summary.planned, skipped: summary.skipped, counts: summary.counts as object, error: summary.error },
    });
  }

  /** Forgets a kind's runs before `periodKey` (the timers run every minute; a day of them is plenty). */
  async prune(kind: string, beforePeriodKey: string): Promise<void> {
    await this.db.prisma.jobRun.deleteMany({ where: { clinicId: this.clinicId, kind, periodKey: { lt: beforePeriodKey } } });
  }
}
