// Follows the rows a command just queued while the running service's dispatcher sends them:
// a bar on a terminal, a line per change otherwise. The command sends nothing itself — a second
// sender beside the service would break the per-chat and per-bot rate limits.
import type { Writable } from "node:stream";
import type { Database, Prisma } from "../db/client.ts";
import { fill, textsOf } from "../i18n/lang.ts";
import type { Dictionary, Lang } from "../i18n/lang.ts";
import type { Clock } from "../util/clock.ts";

const TEXT: Dictionary<"tally" | "stalled" | "waiting" | "failed" | "delivery"> = {
  ru: {
    tally: "отправлено {sent} · пропущено {skipped} · не удалось {failed} · ждут своего времени {waiting} · в очереди {queued}",
    stalled: "За {seconds} с ничего не отправилось: запущен ли `carebot start`? Сообщения в очереди ({queued}) останутся в ней и уйдут, когда сервис заработает.",
    waiting: " Ещё {waiting} ждут своего времени (тихие часы, ограничение частоты, пауза оператора, повтор) и уйдут сами.",
    failed: " Не удалось отправить {failed}: последняя ошибка записана в очереди отправки (lastError).",
    delivery: "Отправка: {tally}.{waiting}{failed}",
  },
  en: {
    tally: "sent {sent} · skipped {skipped} · failed {failed} · waiting {waiting} · queued {queued}",
    stalled: "Nothing was sent for {seconds} s: is `carebot start` running? The {queued} queued row(s) stay queued and go out when it runs.",
    waiting: " {waiting} wait for a later time (quiet hours, frequency cap, an operator's hold, a retry) and go out by themselves.",
    failed: " {failed} failed: their last error is in the outbox (lastError).",
    delivery: "Delivery: {tally}.{waiting}{failed}",
  },
};

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
  lang?: Lang;
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
export function describeTally(t: DeliveryTally, lang: Lang = "en"): string {
  return fill(textsOf(TEXT, lang).tally, { sent: t.sent, skipped: t.skipped, failed: t.failed, waiting: t.waiting, queued: t.queued });
}

function bar(t: DeliveryTally, columns: number, lang: Lang): string {
  const width = Math.max(10, Math.min(40, columns - 70));
  const settled = t.sent + t.skipped + t.failed;
  const filled = t.total === 0 ? width : Math.round((settled / t.total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${settled}/${t.total}  ${describeTally(t, lang)}`;
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
    const line = describeTally(tally, o.lang);
    if (line !== last) {
      last = line;
      lastChange = Date.now();
      o.output.write(tty ? `\r${bar(tally, o.output.columns ?? 100, o.lang ?? "en")}\x1b[K` : `${line}\n`);
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
export function deliveryVerdict(result: { tally: DeliveryTally; stalled: boolean }, stallMs: number, lang: Lang = "en"): string {
  const t = textsOf(TEXT, lang);
  const { tally } = result;
  if (result.stalled) return fill(t.stalled, { seconds: Math.round(stallMs / 1000), queued: tally.queued });
  const waiting = tally.waiting > 0 ? fill(t.waiting, { waiting: tally.waiting }) : "";
  const failed = tally.failed > 0 ? fill(t.failed, { failed: tally.failed }) : "";
  return fill(t.delivery, { tally: describeTally(tally, lang), waiting, failed });
}
