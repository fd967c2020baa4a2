// Follows the rows a command just queued while the running service's dispatcher sends them:
// a bar on a terminal, a line per change otherwise. The command sends nothing itself — a second
// sender beside the service would break the per-chat and per-bot rate limits.
import type { Writable } from "node:stream";
import type { Database, Prisma } from "../db/client.ts";
import type { Clock } from "../util/clock.ts";

export interface DeliveryTally {
  total: number;
  sent: number;
  /** Not sent on purpose at send time: opted out, unreachable, withdrawn. */
  skipped: number;
  /** Given up after retries (see lastError). */
  failed: number;
  /** Due later: quiet hours, the frequency cap, an operator's hold, a retry's backoff. */
  waiting: number;
  /** Due now, not yet sent. */
  queued: number;
}

export interface WatchOptions {
  db: Database;
  /** The rows to follow, e.g. those a planner run created. */
  where: Prisma.OutboxWhereInput;
  total: number;
  clock: Clock;
  output: Writable & { isTTY?: boolean; columns?: number };
  pollMs?: number;
  /** Give up watching when nothing has changed for this long (no service running?). */
  stallMs?: number;
}

export async function tallyDelivery(db: Database, where: Prisma.OutboxWhereInput, total: number, now: Date): Promise<DeliveryTally> {
  const [byStatus, waiting] = await Promise.all([
    db.prisma.outbox.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.prisma.outbox.count({ where: { AND: [where, { status: "pending", dueAt: { gt: now } }] } }),
  ]);
  const count = (status: string) => byStatus.find((g) => g.status === status)?._count._all ?? 0;
  const pending = count("pending") + count("sending");
  return { total, sent: count("sent"), skipped: count("skipped"), failed: count("dead"), waiting, queued: pending - waiting };
}

/** "sent 120 · skipped 3 · failed 0 · waiting 40 · queued 337" */
export function describeTally(t: DeliveryTally): string {
  return `sent ${t.sent} · skipped ${t.skipped} · failed ${t.failed} · waiting ${t.waiting} · queued ${t.queued}`;
}

function bar(t: DeliveryTally, columns: number): string {
  const width = Math.max(10, Math.min(40, columns - 70));
  const settled = t.sent + t.skipped + t.failed;
  const filled = t.total === 0 ? width : Math.round((settled / t.total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${settled}/${t.total}  ${describeTally(t)}`;
}

/**
 * Polls until every row is settled or waiting for a later time, or nothing moves for `stallMs`.
 * Returns the last tally and whether it stalled.
 */
export async function watchDelivery(o: WatchOptions): Promise<{ tally: DeliveryTally; stalled: boolean }> {
  const pollMs = o.pollMs ?? 500;
  const stallMs = o.stallMs ?? 20_000;
  const tty = o.output.isTTY === true;
  let last = "";
  let lastChange = Date.now();
  for (;;) {
    const tally = await tallyDelivery(o.db, o.where, o.total, o.clock.now());
    const line = describeTally(tally);
    if (line !== last) {
      last = line;
      lastChange = Date.now();
      o.output.write(tty ? `\r${bar(tally, o.output.columns ?? 100)}\x1b[K` : `${line}\n`);
    }
    const done = tally.queued === 0;
    const stalled = !done && Date.now() - lastChange >= stallMs;
    if (done || stalled) {
      if (tty) o.output.write("\n");
      return { tally, stalled };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** What to tell the user after watching. */
export function deliveryVerdict(result: { tally: DeliveryTally; stalled: boolean }, stallMs: number): string {
  const { tally } = result;
  if (result.stalled) {
    return `Nothing was sent for ${Math.round(stallMs / 1000)} s: is \`carebot start\` running? The ${tally.queued} queued row(s) stay queued and go out when it runs.`;
  }
  const waiting = tally.waiting > 0 ? ` ${tally.waiting} wait for a later time (quiet hours, frequency cap, an operator's hold, a retry) and go out by themselves.` : "";
  const failed = tally.failed > 0 ? ` ${tally.failed} failed: their last error is in the outbox (lastError).` : "";
  return `Delivery: ${describeTally(tally)}.${waiting}${failed}`;
}
