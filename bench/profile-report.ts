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
  "## What was CareBot's own waste, and what changed",
  "",
  "- Every message hashed its whole flow definition (`definitionKey`: SHA-1 of `JSON.stringify`, through `machineFor`) just to find the machine. Now the machine is found by the key the conversation already stores, and a loaded definition's key is computed once (`src/flows/runtime/definitions.ts`).",
  "- The router read the whole conversation row, `flowDefinition` included (the flow's JSON, parsed on every message), and `persist` read it back again (`UPDATE … RETURNING` every column). The column is now left out; the runtime reads it only for a definition key it has not seen.",
  "- Who is writing took five statements (Prisma's upsert is SELECT, UPDATE, SELECT, SELECT patient; then the clinic). Now it takes two: `UPDATE … RETURNING` on the chat's identity, and one SELECT joining the clinic and the patient (`src/conversations/chat-target-sql.ts`). New chats still go through the upsert.",
  "- Inserts (transcript, outbox, conversation) return only the id.",
  "",
  "What is left is mostly not CareBot's code: Prisma's per-statement work (its query compiler and interpreter, and the better-sqlite3 adapter preparing every statement afresh, with no statement cache) is the largest area below. The dispatcher spends 4–6 statements per reply (`src/outbox`), `bonusSummary` three per message even in flows that never show a balance (`src/domain/bonus`), and the template store checks the time zone with luxon on every render (`src/flows/templates/store.ts`, about 1%).",
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
