// Scheduler benchmark (issue #6 "done when", issue #8 benchmark 3): planning time of the real
// planners for large patient bases on SQLite and PostgreSQL, and the outbox dispatcher's send
// rate against the rate limit. Prints a markdown report and writes it to bench/results/schedule.md.
//
//   npx tsx bench/schedule.ts            100,000 and 1,000,000 patients; 2,000 messages
//   npx tsx bench/schedule.ts --quick    10,000 patients; 300 messages, dispatched on SQLite only
//   options: --sizes 50000,200000  --dbs sqlite|postgresql  --dispatch-dbs sqlite,postgresql|none
//            --messages 1000  --fast-rate 100  --out <file>
//   BENCH_DATABASE_URL=postgresql://…   use this server instead of starting a throwaway one
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBenchDatabase, startPostgres } from "./schedule/databases.ts";
import type { BenchDatabase, PostgresServer } from "./schedule/databases.ts";
import { defaultTelegramLimit, measureDispatch } from "./schedule/dispatch.ts";
import type { DispatchCase } from "./schedule/dispatch.ts";
import { loadSnapshot, measureCpu } from "./schedule/load.ts";
import { parseOptions, UsageError } from "./schedule/options.ts";
import type { DbName } from "./schedule/options.ts";
import { measurePlanners } from "./schedule/planning.ts";
import { renderReport } from "./schedule/report.ts";
import type { DispatchResult, PlanningResult } from "./schedule/report.ts";
import { seedBase } from "./schedule/seed.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const progress = (line: string) => process.stderr.write(`[bench/schedule] ${line}\n`);

async function withDatabase<T>(name: DbName, server: PostgresServer | null, fn: (b: BenchDatabase) => Promise<T>): Promise<T> {
  const bench = await createBenchDatabase(name, server);
  try {
    return await fn(bench);
  } finally {
    await bench.dispose();
  }
}

async function version(b: BenchDatabase): Promise<string> {
  const q = b.name === "postgresql" ? "SELECT current_setting('server_version') AS v" : "SELECT sqlite_version() AS v";
  const [row] = await b.db.prisma.$queryRawUnsafe<{ v: string }[]>(q);
  return b.name === "postgresql" ? `PostgreSQL ${row!.v} (throwaway server, fsync off)` : `SQLite ${row!.v} (better-sqlite3, WAL, a file in a temporary folder)`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = loadSnapshot();
  const versions: Partial<Record<DbName, string>> = {};
  const planning: PlanningResult[] = [];
  const dispatch: DispatchResult[] = [];
  const needsPostgres = [...options.dbs, ...options.dispatchDbs].includes("postgresql");
  const server = needsPostgres ? startPostgres() : null;
  try {
    for (const name of new Set([...options.dbs, ...options.dispatchDbs])) {
      for (const size of options.dbs.includes(name) ? options.sizes : []) {
        await withDatabase(name, server, async (b) => {
          versions[name] ??= await version(b);
          progress(`${name}: seeding ${size.toLocaleString("en-US")} patients`);
          const seed = await seedBase(b.db, size);
          progress(`${name}: seeded in ${(seed.ms / 1000).toFixed(1)} s; planning`);
          const cpu = measureCpu();
          const planners = await measurePlanners(b.db, seed.clinicId, options.planners);
          planning.push({ db: name, seed, planners, cpu: cpu() });
          for (const f of planners) progress(`${name} ${size}: ${f.kind} planned ${f.first.planned} in ${(f.first.ms / 1000).toFixed(2)} s, again ${(f.second.ms / 1000).toFixed(2)} s`);
        });
      }
      if (!options.dispatchDbs.includes(name)) continue;
      const limit = defaultTelegramLimit();
      const cases: DispatchCase[] = [
        // Telegram's own limit is enforced where CareBot claims to respect it; the faster runs show
        // what CareBot could send if the limiter let it.
        { label: "CareBot's default", limit, enforceTelegramLimit: true },
        { label: "raised", limit: { ...limit, perSecond: options.fastRate }, enforceTelegramLimit: false },
        { label: "no global limit", limit: { ...limit, perSecond: 0 }, enforceTelegramLimit: false },
      ];
      progress(`${name}: dispatching ${options.messages} messages at ${cases.map((c) => c.limit.perSecond || "unlimited").join(", ")} msg/s`);
      await withDatabase(name, server, async (b) => {
        dispatch.push({ db: name, figures: await measureDispatch(b.db, options.messages, cases) });
      });
    }
  } finally {
    server?.stop();
  }

  const report = renderReport(
    {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      command: `npx tsx bench/schedule.ts ${process.argv.slice(2).join(" ")}`.trim(),
      nproc: Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || os.availableParallelism(),
      node: process.version,
      versions,
      loadBefore,
      loadAfter: loadSnapshot(),
      totalMs: performance.now() - started,
    },
    planning,
    dispatch,
  );
  process.stdout.write(`${report}\n`);
  const out = path.resolve(REPO, options.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
  progress(`written to ${path.relative(REPO, out)}`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
