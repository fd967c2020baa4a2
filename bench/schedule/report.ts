// The benchmark's markdown: what ran where, then one table per measurement.
import type { CpuLoad } from "./load.ts";
import type { DispatchFigures } from "./dispatch.ts";
import type { DbName } from "./options.ts";
import type { PlannerFigures } from "./planning.ts";
import type { SeededBase } from "./seed.ts";
import { TELEGRAM_MESSAGES_PER_SECOND } from "./telegram-limit-proxy.ts";

export interface PlanningResult {
  db: DbName;
  seed: SeededBase;
  planners: PlannerFigures[];
  cpu: CpuLoad;
}

export interface DispatchResult {
  db: DbName;
  figures: DispatchFigures[];
}

export interface RunInfo {
  date: string;
  command: string;
  nproc: number;
  node: string;
  versions: Partial<Record<DbName, string>>;
  loadBefore: { loadavg: number[]; busiest: string[] };
  loadAfter: { loadavg: number[]; busiest: string[] };
  totalMs: number;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const rate = (n: number) => (Number.isFinite(n) ? (n >= 100 ? int(n) : n.toFixed(1)) : "∞");
const cores = (c: CpuLoad) => `${c.machineCores.toFixed(1)} / ${c.ownCores.toFixed(1)}`;
const loads = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
const limitText = (f: DispatchFigures) =>
  `${f.limit.perSecond > 0 ? `${rate(f.limit.perSecond)}/s` : "none"}, ${f.limit.perChatIntervalMs} ms per chat (${f.label})`;
const enforcedText = (f: DispatchFigures) => (f.enforced ? `yes, ${TELEGRAM_MESSAGES_PER_SECOND}/s` : "no");

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

export function renderReport(info: RunInfo, planning: PlanningResult[], dispatch: DispatchResult[]): string {
  const lines: string[] = [
    "# Scheduler benchmark: planning and dispatch at scale",
    "",
    `- Date: ${info.date}`,
    `- Command: \`${info.command}\` (total ${secs(info.totalMs)})`,
    `- Machine: ${info.nproc} cores (\`nproc\`), Node ${info.node}, ${Object.values(info.versions).join(", ")}`,
    `- Load from other processes: load average (1 / 5 / 15 min) ${loads(info.loadBefore.loadavg)} at the start, ${loads(info.loadAfter.loadavg)} at the end.`,
    `  Busiest other processes at the start: ${info.loadBefore.busiest.join("; ") || "none above 10 %"}; at the end: ${info.loadAfter.busiest.join("; ") || "none above 10 %"}.`,
    `- "busy cores" = cores busy on the whole machine during the measurement / of which this benchmark process (a PostgreSQL server's work counts under the machine only).`,
    "",
  ];

  if (planning.length > 0) {
    lines.push(
      "## Planning",
      "",
      "The real planners (`runPlanner`, as `carebot jobs run` calls it) on a freshly seeded base, at the moment each kind's default cron schedule fires in the clinic's zone (Moscow), run twice: the second run must queue nothing.",
      "Base, by patient: birth dates over the whole year (29 Feb included; none for 1 in 20); 15 % in their own zone (Vladivostok, Yekaterinburg, Kaliningrad); 3 % opted out; points for 6 in 7, each holder with one credit expiring within 180 days; a linked chat for 90 % (70 % Telegram, 20 % WhatsApp), 1 % of them blocked.",
      "\"statements\" counts the planner's SQL (CareBot's one clinic read and the transaction's BEGIN/COMMIT aside).",
      "",
      "### Seeding (set-based INSERT … SELECT, not measured as part of planning)",
      "",
      ...table(
        ["DB", "patients", "per table (rows, time)", "total"],
        planning.map((p) => [
          p.db,
          int(p.seed.patients),
          p.seed.steps.map((s) => `${s.name} ${s.rows > 0 ? `${int(s.rows)} ` : ""}${secs(s.ms)}`).join(", "),
          secs(p.seed.ms),
        ]),
      ),
      "",
      "### Planners",
      "",
      ...table(
        ["DB", "patients", "planner (at)", "candidates", "skipped by rule", "rows planned", "statements", "1st run", "rows/s", "2nd run: new rows (already queued)", "2nd run", "busy cores"],
        planning.flatMap((p) =>
          p.planners.map((f) => [
            p.db,
            int(p.seed.patients),
            `${f.kind} (${f.at})`,
            int(f.first.candidates),
            int(f.first.skipped),
            int(f.first.planned),
            `${f.first.statements} / ${f.second.statements}`,
            secs(f.first.ms),
            int((f.first.planned * 1000) / f.first.ms),
            `${int(f.second.planned)} (${int(f.second.alreadyQueued)})`,
            secs(f.second.ms),
            cores(p.cpu),
          ]),
        ),
      ),
      "",
    );
  }

  if (dispatch.length > 0) {
    lines.push(
      "## Dispatch",
      "",
      "Outbox rows (one care message with two buttons each) for as many distinct linked Telegram chats, sent by CareBot's `Dispatcher` (batches of 50, `drain()`) through the real grammY sender to the loopback fake Bot API. Rates are counted from the times the fake recorded for each accepted `sendMessage`.",
      `The fake Bot API runs in a process of its own (as Telegram does), so a stall of the dispatcher's event loop cannot bunch up the times it records. It has no option to enforce Telegram's limits (it answers 429 only when a test tells it to), so where the table says "Telegram's limit enforced" the sender talks to it through a loopback proxy (bench/schedule/telegram-limit-proxy.ts, in the fake's process) that answers 429 "retry after 1" to any sendMessage beyond ${TELEGRAM_MESSAGES_PER_SECOND} in a sliding second, counted on arrival; CareBot then retries the message when its clock says so. "max in any 1 s" is counted from the instants CareBot's HTTP client started the requests (sent) and from the fake's record of the accepted calls (received). Every chat gets one message, so the 1 s per-chat gap never holds a message back here.`,
      "",
      ...table(
        ["DB", "CareBot's limit", "Telegram's limit enforced", "messages", "sent (retries)", "wall, until all sent", "achieved msg/s", "first→last msg/s", "max in any 1 s (sent / received)", "429s", "other failures", "busy cores"],
        dispatch.flatMap((d) =>
          d.figures.map((f) => [
            d.db,
            limitText(f),
            enforcedText(f),
            int(f.messages),
            `${int(f.sent)} (${int(f.retried)})`,
            secs(f.wallMs),
            rate(f.achieved),
            rate(f.steady),
            `${int(f.maxPerSecondSent)} / ${int(f.maxPerSecondReceived)}`,
            int(f.tooManyRequests),
            int(f.otherFailures),
            cores(f.cpu),
          ]),
        ),
      ),
      "",
    );
  }
  return lines.join("\n");
}
