// Writes bench/results/profile.md from two runs of bench/profile-hot-path.ts: the top self-time
// functions before and after a change, side by side with the throughput each run measured.
//
//   npx tsx bench/profile-hot-path.ts --label before   (on the old code)
//   npx tsx bench/profile-hot-path.ts --label after    (on the new code)
//   npx tsx bench/profile-report.ts [before] [after]
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { selfTimeTable, selfTimes } from "./profile-summary.ts";
import { BENCH_DIR, commandLine, machineFacts, markdownTable, writeReport } from "./lib/report.ts";

const figuresSchema = z.object({ answers: z.number(), elapsedMs: z.number(), perSecond: z.number(), statementsPerAnswer: z.number() });

const [before = "before", after = "after"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const dir = path.join(BENCH_DIR, ".profiles");
const figuresOf = (label: string) => figuresSchema.parse(JSON.parse(readFileSync(path.join(dir, `${label}.json`), "utf8")));
const profileOf = (label: string) => path.join(dir, `${label}.cpuprofile`);

/** Self time grouped by where the code lives: Prisma, the SQLite driver, CareBot's own… */
function byArea(label: string): Map<string, number> {
  const { rows, totalMs } = selfTimes(profileOf(label));
  const areas = new Map<string, number>();
  for (const r of rows) {
    const area = r.where.startsWith("src/")
      ? `CareBot ${r.where.split("/").slice(0, 2).join("/")}`
      : r.where.includes("/")
        ? r.where.split("/")[0]!.startsWith("@")
          ? r.where.split("/").slice(0, 2).join("/")
          : r.where.split("/")[0]!
        : ["Statement", "all", "run", "get"].includes(r.name) && !r.where
          ? "better-sqlite3 (native: prepare, step)"
          : r.name;
    areas.set(area, (areas.get(area) ?? 0) + (r.ms * 100) / totalMs);
  }
  return areas;
}

const b = figuresOf(before);
const a = figuresOf(after);
const areasBefore = byArea(before);
const areasAfter = byArea(after);
const areaNames = [...new Set([...areasBefore.keys(), ...areasAfter.keys()])]
  .sort((x, y) => (areasAfter.get(y) ?? 0) - (areasAfter.get(x) ?? 0))
  .slice(0, 12);

const body = [
  "The hot path is an NPS answer through CareBot's grammY channel, router, flow runtime, outbox and dispatcher on SQLite, 100 chats at once (`bench/profile-hot-path.ts`). The V8 profiler runs only while answers are handled; surveys are started beforehand and one round warms up first. Self time is time spent in the function itself, not in what it calls; native better-sqlite3 calls show as `Statement` (preparing a statement), `all`/`run` (executing it).",
  "",
  markdownTable(
    ["run", "answers", "answers/s", "SQL statements per answer (router + dispatcher)"],
    [
      [before, b.answers, b.perSecond.toFixed(0), b.statementsPerAnswer.toFixed(1)],
      [after, a.answers, a.perSecond.toFixed(0), a.statementsPerAnswer.toFixed(1)],
    ],
  ),
  "",
  "## What changed, pass by pass",
  "",
  "Pass 1 and 2 cut CareBot's own waste:",
  "",
  "- Every message hashed its whole flow definition (`definitionKey`: SHA-1 of `JSON.stringify`) just to find the machine. Now the machine is found by the key the conversation already stores, and a loaded definition's key is computed once (`src/flows/runtime/definitions.ts`).",
  "- The router read the whole conversation row, `flowDefinition` included (the flow's JSON, parsed on every message), and `persist` read it back again (`UPDATE … RETURNING` every column). The column is now left out; the runtime reads it only for a definition key it has not seen.",
  "- Who is writing took five statements (Prisma's upsert is SELECT, UPDATE, SELECT, SELECT patient; then the clinic). Now it takes two: `UPDATE … RETURNING` on the chat's identity, and one SELECT joining the clinic and the patient (`src/conversations/chat-target-sql.ts`). New chats still go through the upsert.",
  "- Inserts (transcript, outbox, conversation) return only the id.",
  "",
  "After pass 2, two thirds of the time was Prisma's per-statement work: its client compiling and interpreting each call (42 %), and its SQLite adapter preparing every statement afresh (`Statement`, 9 %). Pass 3 (`direct`) takes the hot path past both:",
  "",
  "- On SQLite, raw SQL runs on the adapter's own better-sqlite3 connection with its prepared statement kept between messages (`src/db/direct-sqlite.ts`). One connection means it takes part in the transaction Prisma has open on it, as Prisma's own statements do; it returns the same rows with the same types and raises the same errors as `$queryRawUnsafe` (`test/db/direct-sqlite.test.ts`). PostgreSQL keeps going through Prisma.",
  "- The statements every message runs that were still Prisma model calls are raw SQL now: the inbound transcript line, the reply's transcript line and outbox row (`queueMessage`), the conversation's snapshot (`persist`), and the dispatcher's \"sent\".",
  "- Rows whose sends are answered in the same turn of the event loop are marked sent by one statement (`src/outbox/sent-log.ts`): on SQLite every autocommit statement is a commit, and a commit costs more than the statement.",
  "- The router's transaction no longer goes through Prisma's interactive-transaction machinery, which then cost more per message than all its statements: `db.transaction` begins it on Prisma's adapter directly (on SQLite under the adapter's own lock), sends COMMIT itself and gives the step a Prisma client whose statements run in it (`src/db/own-transactions.ts`; PostgreSQL too).",
  "- Half of all COMMIT time was SQLite checkpointing its write-ahead log (about one commit in forty took over 2 ms, with two fsyncs). A worker thread with its own connection checkpoints every second instead (`src/db/sqlite-checkpointer.ts`).",
  "",
  "What is left: SQLite's commits themselves (`run` below), the flow's own Prisma calls (the NPS answer), then XState and the flow runtime.",
  "",
  "## Where the time goes (share of sampled time)",
  "",
  markdownTable(
    ["area", `${before} %`, `${after} %`],
    areaNames.map((n) => [n, (areasBefore.get(n) ?? 0).toFixed(1), (areasAfter.get(n) ?? 0).toFixed(1)]),
  ),
  "",
  `## Top 10 self time: ${before}`,
  "",
  selfTimeTable(profileOf(before), 10),
  "",
  `## Top 10 self time: ${after}`,
  "",
  selfTimeTable(profileOf(after), 10),
].join("\n");

writeReport("profile", "CPU profile of the inbound hot path", machineFacts(), commandLine("profile-report.ts"), body);
