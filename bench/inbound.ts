// Inbound benchmark (issue #8, benchmark 1): messages per second and per-message latency of the
// shipped NPS dialogue through CareBot's real grammY bot, against a grammY + conversations
// baseline and a raw-driver ceiling, with 1, 100 and 10,000 chats active at once, on SQLite and
// PostgreSQL; and per-message cost with 10 vs 200 messages already in the conversation.
//
//   npx tsx bench/inbound.ts [--quick] [--repeats N] [--warmup N] [--loads 1,100] [--dbs sqlite,postgresql] [--sqlite-only]
//   (--repeats: how many interleaved runs of each contender with 1 and 100 chats, the quick
//   loads included; --warmup: dialogues each contender runs untimed first, 100 by default;
//   --db is --dbs; PostgreSQL on BENCH_DATABASE_URL's server if set, else a
//   throwaway one). At the end it prints the summary table (CareBot ÷ ceiling as the median of
//   the per-run ratios of interleaved runs, with the load average) and writes the full report.
//
// Updates come in by long polling through @grammyjs/runner, CareBot's default mode: the runner
// fetches batches and handles different chats concurrently (one chat in order), which is what
// 10,000 active chats need; a webhook would add one HTTP round trip per update and the fake's
// delivery pacing, measuring the fake rather than CareBot.
import type { DatabaseConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { startFakeApiProcess } from "./lib/fake-api-process.ts";
import type { FakeApiProcess } from "./lib/fake-api-process.ts";
import { startBaselineRig } from "./lib/baseline-rig.ts";
import { openKeyValueStorage } from "./lib/conversation-storage.ts";
import { shippedFlows, startCareBotRig } from "./lib/carebot-rig.ts";
import { startCeilingRig } from "./lib/ceiling-rig.ts";
import { createBenchDatabase, startPostgres } from "./lib/databases.ts";
import type { PostgresServer, Provider } from "./lib/databases.ts";
import { inParallel, introduceChats, runDialogue } from "./lib/dialogue.ts";
import type { Contender } from "./lib/dialogue.ts";
import { measureConversationLength } from "./lib/conversation-length.ts";
import type { LengthResult } from "./lib/conversation-length.ts";
import { commandLine, loadAverage, machineFacts, markdownTable, writeReport } from "./lib/report.ts";
import { FIRST_CHAT_ID, seedClinic } from "./lib/seed.ts";
import { ms, rate, ratio, summarize } from "./lib/stats.ts";
import type { LatencySummary } from "./lib/stats.ts";

const TOKEN = "123456:BENCH-TOKEN-FOR-CAREBOT-INBOUND";
const quick = process.argv.includes("--quick");
const dbsAt = Math.max(process.argv.indexOf("--dbs"), process.argv.indexOf("--db"));
/** Which databases to run: `--dbs sqlite,postgresql` (both by default); `--sqlite-only` is `--dbs sqlite`. */
const DBS = (process.argv.includes("--sqlite-only") ? "sqlite" : dbsAt > 0 ? (process.argv[dbsAt + 1] ?? "") : "sqlite,postgresql").split(",");
if (DBS.some((d) => d !== "sqlite" && d !== "postgresql")) throw new Error("--dbs takes sqlite, postgresql or both, comma-separated");

/**
 * Chats active at once, how many full dialogues each runs (more rounds where there are few chats),
 * and how many times the four contenders run in turn: other work on a shared machine comes and
 * goes, so each is measured in several short runs interleaved with the others, and the median
 * run counts.
 */
const repeatsAt = process.argv.indexOf("--repeats");
const REPEATS = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : undefined;
if (REPEATS !== undefined && !(Number.isInteger(REPEATS) && REPEATS > 0)) throw new Error("--repeats takes a whole number above 0");
const LOADS: { chats: number; rounds: number; repeats: number }[] = quick
  ? [
      { chats: 1, rounds: 15, repeats: REPEATS ?? 1 },
      { chats: 100, rounds: 1, repeats: REPEATS ?? 1 },
    ]
  : [
      { chats: 1, rounds: 100, repeats: REPEATS ?? 3 },
      { chats: 100, rounds: 3, repeats: REPEATS ?? 5 },
      { chats: 10_000, rounds: 1, repeats: 1 },
    ];
const loadsAt = process.argv.indexOf("--loads");
/** Only these loads, by their number of chats (`--loads 1,100`): the full sizes without the long 10,000-chat run. */
const ONLY = loadsAt > 0 ? (process.argv[loadsAt + 1] ?? "").split(",").map(Number) : undefined;
if (ONLY && !ONLY.every((n) => LOADS.some((l) => l.chats === n))) throw new Error(`--loads takes chat counts from ${LOADS.map((l) => l.chats).join(", ")}, comma-separated`);
if (ONLY) LOADS.splice(0, LOADS.length, ...LOADS.filter((l) => ONLY.includes(l.chats)));
const LENGTH_SAMPLES = quick ? 8 : 30;
const warmupAt = process.argv.indexOf("--warmup");
/** Dialogues each contender runs before it is timed (`--warmup N`, 100 by default). */
const WARMUP = warmupAt > 0 ? Number(process.argv[warmupAt + 1]) : 100;
if (!(Number.isInteger(WARMUP) && WARMUP >= 1)) throw new Error("--warmup takes a whole number of dialogues, at least 1");

interface Measured {
  name: string;
  messages: number;
  perSecond: number;
  /** Client CPU of this process per timed message (bot, database client; the fake Bot API runs elsewhere). */
  cpuMsPerMessage: number;
  latency: LatencySummary;
  statementsPerMessage?: number;
  transactionsPerMessage?: number;
}

async function measure(
  name: string,
  start: (api: FakeApiProcess) => Promise<Contender & { stop(): Promise<void> }>,
  chats: number,
  rounds: number,
): Promise<Measured> {
  // The fake runs in a process of its own: the client CPU measured here is the bot's alone.
  const api = await startFakeApiProcess(TOKEN);
  const contender = await start(api);
  try {
    const chatIds = Array.from({ length: chats }, (_, i) => FIRST_CHAT_ID + i);
    const timeoutMs = 120_000 + chats * 60;
    introduceChats(api, chatIds);
    // Warm-up, not counted: WARMUP dialogues over the same chats, so each contender is timed as a
    // service that has been running is (JIT-compiled, pool and caches filled). One dialogue was too
    // little: with 200 timed messages the JIT was still compiling the larger contenders, and the
    // figures measured their start-up as much as their work.
    const warmChats = chatIds.slice(0, Math.min(chats, WARMUP));
    await runDialogue(api, contender, warmChats, Math.ceil(WARMUP / warmChats.length), timeoutMs);
    contender.probe.reset();
    const result = await runDialogue(api, contender, chatIds, rounds, timeoutMs);
    const latency = summarize(contender.probe.latencies);
    return {
      name,
      messages: result.messages,
      perSecond: (result.messages / result.elapsedMs) * 1000,
      cpuMsPerMessage: result.cpuMs / result.messages,
      latency,
      ...(contender.counter && { statementsPerMessage: result.statements / result.messages, transactionsPerMessage: result.transactions / result.messages }),
    };
  } catch (error) {
    const calls = await api.firstCalls().catch(() => ["(the fake Bot API process is gone)"]);
    throw new Error(`${name}, ${chats} chat(s): ${(error as Error).message}; last Bot API calls:\n${calls.join("\n")}`);
  } finally {
    await contender.stop();
    await api.close();
  }
}

/** The run with the median throughput, the range all runs spanned, and the median client CPU per message. */
interface Summary extends Measured {
  runs: number[];
  cpuRuns: number[];
}

const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

function median(runs: Measured[]): Summary {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const cpuRuns = runs.map((r) => r.cpuMsPerMessage);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, cpuMsPerMessage: middle(cpuRuns), runs: runs.map((r) => r.perSecond), cpuRuns };
}

async function runProvider(provider: Provider, server: PostgresServer | undefined) {
  const rows: { chats: number; carebot: Summary; baseline: Summary; ceiling: Summary; peer: Summary }[] = [];
  for (const { chats, rounds, repeats } of LOADS) {
    const runs = { carebot: [] as Measured[], ceiling: [] as Measured[], peer: [] as Measured[], baseline: [] as Measured[] };
    for (let repeat = 0; repeat < repeats; repeat++) {
      process.stderr.write(`[${provider}] ${chats} chat(s) × ${rounds} round(s), run ${repeat + 1} of ${repeats}\n`);
      const one = await runOnce(provider, server, chats, rounds);
      runs.carebot.push(one.carebot);
      runs.ceiling.push(one.ceiling);
      runs.peer.push(one.peer);
      runs.baseline.push(one.baseline);
    }
    rows.push({ chats, carebot: median(runs.carebot), ceiling: median(runs.ceiling), peer: median(runs.peer), baseline: median(runs.baseline) });
  }
  process.stderr.write(`[${provider}] conversation length\n`);
  const lengthDb = await createBenchDatabase(provider, server);
  let length: LengthResult[];
  try {
    length = await measureConversationLength(lengthDb.config, TOKEN, [10, 200], LENGTH_SAMPLES);
  } finally {
    await lengthDb.drop();
  }
  return { provider, rows, length };
}

/** CareBot, the ceiling, the persistent peer and the baseline once each, in turn, on fresh databases. */
async function runOnce(provider: Provider, server: PostgresServer | undefined, chats: number, rounds: number) {
  const carebotDb = await createBenchDatabase(provider, server);
  const ceilingDb = await createBenchDatabase(provider, server);
  const peerDb = await createBenchDatabase(provider, server);
  try {
    const carebot = await measure(
      "CareBot",
      async (api) => {
        const seed = await seedFor(carebotDb.config, chats);
        const rig = await startCareBotRig(carebotDb.config, seed.clinicId, { token: TOKEN, apiRoot: api.apiRoot });
        return {
          name: "CareBot",
          probe: rig.probe,
          counter: rig.db.counter,
          startSurveys: async (chatIds) => {
            const target = rig.probe.sends + chatIds.length;
            await inParallel(chatIds, 16, (chatId) => rig.startNps(seed.identities.get(chatId)!));
            await rig.probe.untilSends(target, 120_000 + chatIds.length * 60);
          },
          stop: () => rig.stop(),
        };
      },
      chats,
      rounds,
    );
    const ceiling = await measure(
      "ceiling",
      async (api) => {
        const seed = await seedFor(ceilingDb.config, chats);
        const rig = await startCeilingRig(ceilingDb.config, seed, { token: TOKEN, apiRoot: api.apiRoot });
        return { name: "ceiling", probe: rig.probe, counter: rig.counter, startSurveys: (chatIds) => rig.startSurveys(chatIds), stop: () => rig.stop() };
      },
      chats,
      rounds,
    );
    const peer = await measure(
      "grammY + storage",
      async (api) => {
        const storage = await openKeyValueStorage<unknown>(peerDb.config);
        const rig = await startBaselineRig({ token: TOKEN, apiRoot: api.apiRoot }, storage);
        return {
          name: "grammY + storage",
          probe: rig.probe,
          counter: {
            get statements() {
              return storage.statements;
            },
            // Each of its statements commits on its own.
            get transactions() {
              return storage.statements;
            },
          },
          startSurveys: async (chatIds) => {
            const target = rig.probe.sends + chatIds.length;
            for (const chatId of chatIds) api.sendCommand({ id: chatId, firstName: "Анна", languageCode: "ru" }, "/nps");
            await rig.probe.untilSends(target, 120_000 + chatIds.length * 60);
          },
          stop: () => rig.stop(),
        };
      },
      chats,
      rounds,
    );
    const baseline = await measure(
      "baseline",
      async (api) => {
        const rig = await startBaselineRig({ token: TOKEN, apiRoot: api.apiRoot });
        return {
          name: "baseline",
          probe: rig.probe,
          startSurveys: async (chatIds) => {
            const target = rig.probe.sends + chatIds.length;
            for (const chatId of chatIds) api.sendCommand({ id: chatId, firstName: "Анна", languageCode: "ru" }, "/nps");
            await rig.probe.untilSends(target, 120_000 + chatIds.length * 60);
          },
          stop: () => rig.stop(),
        };
      },
      chats,
      rounds,
    );
    return { carebot, ceiling, peer, baseline };
  } finally {
    await carebotDb.drop();
    await ceilingDb.drop();
    await peerDb.drop();
  }
}

async function seedFor(config: DatabaseConfig, chats: number) {
  const db = openDatabase(config);
  try {
    return await seedClinic(db.prisma, chats);
  } finally {
    await db.close();
  }
}

function throughputTable(results: Awaited<ReturnType<typeof runProvider>>[]): string {
  const out: (string | number)[][] = [];
  for (const { provider, rows } of results) {
    for (const { chats, carebot, baseline, ceiling, peer } of rows) {
      for (const m of [carebot, ceiling, peer, baseline]) {
        out.push([
          provider,
          chats.toLocaleString("en"),
          m.name,
          m.messages,
          rate(m.perSecond),
          m.runs.length > 1 ? m.runs.map((r) => rate(r)).join(" / ") : "–",
          m.cpuMsPerMessage.toFixed(2),
          m.cpuRuns.length > 1 ? m.cpuRuns.map((c) => c.toFixed(2)).join(" / ") : "–",
          ms(m.latency.p50),
          ms(m.latency.p99),
          m.statementsPerMessage === undefined ? "–" : m.statementsPerMessage.toFixed(1),
          m.transactionsPerMessage === undefined ? "–" : m.transactionsPerMessage.toFixed(2),
          m === carebot ? "1.00" : ratio(carebot.perSecond, m.perSecond),
          m === carebot ? "1.00" : ratio(m.cpuMsPerMessage, carebot.cpuMsPerMessage),
        ]);
      }
    }
  }
  return markdownTable(["db", "active chats", "who", "messages (median run)", "msg/s (median run)", "msg/s of each run", "client CPU ms/msg (median)", "CPU ms/msg of each run", "p50 ms", "p99 ms", "SQL statements/msg", "transactions/msg", "CareBot ÷ this (msg/s)", "this ÷ CareBot (CPU ms/msg)"], out);
}

function lengthTable(results: Awaited<ReturnType<typeof runProvider>>[]): string {
  const out: (string | number)[][] = [];
  for (const { provider, length } of results) {
    for (const l of length) {
      out.push([provider, l.existing, l.latency.count, ms(l.latency.p50), ms(l.latency.p99), l.statementsPerMessage.toFixed(1), l.snapshotBytes]);
    }
  }
  return markdownTable(["db", "messages already in the conversation", "timed messages", "p50 ms", "p99 ms", "SQL statements/msg", "snapshot bytes"], out);
}

async function main() {
  const facts = machineFacts();
  shippedFlows(); // loaded (and checked) before anything is measured
  const results: Awaited<ReturnType<typeof runProvider>>[] = [];
  if (DBS.includes("sqlite")) {
    results.push(await runProvider("sqlite", undefined));
    // Written after each database, so a failure later keeps what was measured.
    report(facts, results);
  }
  if (DBS.includes("postgresql")) {
    const server = startPostgres();
    try {
      results.push(await runProvider("postgresql", server));
    } finally {
      server.stop();
    }
    report(facts, results);
  }
}

/** CareBot ÷ ceiling of each interleaved run (run i of CareBot against run i of the ceiling), and their median. */
function runRatios(carebot: Summary, ceiling: Summary): { each: number[]; median: number } {
  const each = carebot.runs.map((r, i) => r / (ceiling.runs[i] ?? Number.NaN));
  return { each, median: middle(each) };
}

function summaryTable(results: Awaited<ReturnType<typeof runProvider>>[]): string {
  const out: (string | number)[][] = [];
  for (const { provider, rows } of results) {
    for (const { chats, carebot, ceiling } of rows) {
      const ratios = runRatios(carebot, ceiling);
      out.push([
        provider,
        chats.toLocaleString("en"),
        carebot.runs.length,
        rate(carebot.perSecond),
        rate(ceiling.perSecond),
        ratios.median.toFixed(2),
        ratios.each.map((r) => r.toFixed(2)).join(" / "),
        carebot.cpuMsPerMessage.toFixed(2),
        ceiling.cpuMsPerMessage.toFixed(2),
        carebot.statementsPerMessage?.toFixed(1) ?? "–",
        ceiling.statementsPerMessage?.toFixed(1) ?? "–",
      ]);
    }
  }
  return markdownTable(["db", "chats", "runs", "CareBot msg/s (median run)", "ceiling msg/s (median run)", "**CareBot ÷ ceiling** (median of runs)", "each run", "CareBot CPU ms/msg", "ceiling CPU ms/msg", "statements/msg CareBot", "ceiling"], out);
}

function report(facts: ReturnType<typeof machineFacts>, results: Awaited<ReturnType<typeof runProvider>>[]): void {
  const body = [
    "Each message is timed from its Update reaching grammY (the getUpdates answer in the bot's hands, long polling through @grammyjs/runner) to the reply reaching the loopback fake Bot API (sendMessage answered). The dialogue is the shipped NPS flow: the survey is started as the dispatcher starts a scheduled one (not timed), then every chat types a score (\"9\") and, once all have, a comment; both answers are timed. CareBot's path includes the outbox and the dispatcher (Telegram's 25 msg/s quota lifted, since it would measure Telegram).",
    "",
    `With 1 and 100 chats the four contenders run in turn (A B C D, A B C D …) several times (${LOADS.map((l) => `${l.chats.toLocaleString("en")} chats: ${l.repeats}×`).join(", ")}), each time on fresh databases, since other work on this machine comes and goes; the table shows each contender's median run and lists every run's msg/s. The ratio compares the median runs.`,
    "",
    "- **CareBot**: the real grammY channel, router, flow runtime, outbox and dispatcher; statements counted at the driver adapter (router + dispatcher, per timed message).",
    "- **ceiling**: the same bot plumbing, with the database work CareBot does per message written by hand on the raw driver (better-sqlite3 prepared statements in one transaction; pg with BEGIN/COMMIT), then the reply sent directly.",
    "- **grammY + storage** (the persistent peer): the same dialogue with @grammyjs/conversations keeping its conversations in the same database, through a small key-value storage adapter over pg / better-sqlite3 (`bench/lib/conversation-storage.ts`, as @grammyjs/storage-psql does it: read by key, upsert, delete, each statement on its own).",
    "- **baseline**: the same dialogue with @grammyjs/conversations and its default in-memory storage (no database at all).",
    "",
    "The fake Bot API runs in a process of its own (`bench/lib/fake-api-child.ts`), so **client CPU ms/msg** (`process.cpuUsage()` of the benchmark's process over the timed window, divided by the timed messages) is the bot's own: grammY, the contender's code and its database driver. Throughput depends on the load other work puts on the machine; CPU per message much less.",
    "",
    "## CareBot against the ceiling",
    "",
    summaryTable(results),
    "",
    "## Throughput and latency",
    "",
    throughputTable(results),
    "",
    "## Conversation length",
    "",
    "The same two answers in one chat whose NPS conversation already holds N transcript messages.",
    "",
    lengthTable(results),
  ].join("\n");
  writeReport("inbound", "Inbound benchmark: NPS dialogue through the Telegram bot", facts, commandLine("inbound.ts"), body);
  console.log(`\n${commandLine("inbound.ts")}\nload average (1/5/15 min) before: ${facts.loadBefore}; now: ${loadAverage()}\n\n${summaryTable(results)}\n`);
}

await main();
process.exit(0);
