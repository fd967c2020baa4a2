// Memory benchmark (issue #8, benchmark 2): resident memory (RSS) and live heap (heapUsed after
// a full GC) of a CareBot process with 1,000 and 100,000 stored conversations, and with 1,000
// chats in the middle of a conversation at once; the grammY + conversations baseline beside it.
//
//   npx tsx bench/memory.ts [--quick]
//
// Each case runs in its own child process (node --expose-gc) so one case's garbage and caches
// never count in another's. The parent seeds the SQLite database; the child only runs CareBot.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { z } from "zod";
import { startFakeBotApi } from "../test/support/fake-bot-api/index.ts";
import { openDatabase } from "../src/db/client.ts";
import { databaseConfig } from "../src/config.ts";
import { startBaselineRig } from "./lib/baseline-rig.ts";
import { startCareBotRig } from "./lib/carebot-rig.ts";
import { createBenchDatabase } from "./lib/databases.ts";
import { COMMENT_TEXT, inParallel, introduceChats, SCORE_TEXT } from "./lib/dialogue.ts";
import { commandLine, machineFacts, markdownTable, writeReport } from "./lib/report.ts";
import { FIRST_CHAT_ID, seedClinic } from "./lib/seed.ts";
import { storeFinishedConversations } from "./lib/stored-conversations.ts";
import { fakeUser } from "../test/support/fake-bot-api/index.ts";

const TOKEN = "123456:BENCH-TOKEN-FOR-CAREBOT-MEMORY";
const MiB = 2 ** 20;

interface Reading {
  rssMiB: number;
  heapUsedMiB: number;
}

interface ChildResult {
  idle: Reading;
  loaded: Reading;
  peakRssMiB: number;
}

function read(): Reading {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run the child with node --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMiB: m.rss / MiB, heapUsedMiB: m.heapUsed / MiB };
}

// ---------------------------------------------------------------- child: one case, one process

async function child(kind: "stored" | "active" | "baseline-active", file: string, chats: number): Promise<ChildResult> {
  const api = await startFakeBotApi({ token: TOKEN });
  const chatIds = Array.from({ length: chats }, (_, i) => FIRST_CHAT_ID + i);
  const users = chatIds.map((id) => fakeUser(id, { firstName: "Анна", languageCode: "ru" }));
  if (kind === "baseline-active") {
    introduceChats(api, chatIds);
    const rig = await startBaselineRig({ token: TOKEN, apiRoot: api.apiRoot });
    const idle = read();
    for (const user of users) api.sendCommand(user, "/nps");
    await rig.probe.untilSends(chats, 300_000);
    for (const user of users) api.sendText(user, SCORE_TEXT);
    await rig.probe.untilSends(chats * 2, 300_000);
    const loaded = read();
    await rig.stop();
    await api.close();
    return { idle, loaded, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  }
  const config = databaseConfig(`file:${file}`);
  const plain = openDatabase(config);
  const clinic = await plain.prisma.clinic.findFirstOrThrow({ select: { id: true } });
  const identities = new Map((await plain.prisma.channelIdentity.findMany({ select: { id: true, externalChatId: true } })).map((i) => [Number(i.externalChatId), i.id]));
  await plain.close();
  const rig = await startCareBotRig(config, clinic.id, { token: TOKEN, apiRoot: api.apiRoot });
  const idle = read();
  // Every chat gets a survey and answers the score: all of them are mid-conversation at once.
  const active = kind === "active" ? chatIds : chatIds.slice(0, Math.min(100, chats));
  // Only the chats that write are known to the fake (it runs in this process and is measured too).
  introduceChats(api, active);
  await inParallel(active, 16, (chatId) => rig.startNps(identities.get(chatId)!));
  await rig.probe.untilSends(active.length, 300_000);
  for (const chatId of active) api.sendText(fakeUser(chatId), SCORE_TEXT);
  await rig.probe.untilSends(active.length * 2, 300_000);
  if (kind === "stored") {
    // Stored cases finish their dialogues: what stays is what a quiet clinic's process holds.
    for (const chatId of active) api.sendText(fakeUser(chatId), COMMENT_TEXT);
    await rig.probe.untilSends(active.length * 3, 300_000);
  }
  const loaded = read();
  await rig.stop();
  await api.close();
  return { idle, loaded, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

// ---------------------------------------------------------------- parent: seed, spawn, report

interface Case {
  label: string;
  kind: "stored" | "active" | "baseline-active";
  stored: number;
  chats: number;
}

async function runCase(c: Case): Promise<ChildResult & { databaseMiB: number }> {
  let file = "";
  let drop = async () => {};
  if (c.kind !== "baseline-active") {
    const target = await createBenchDatabase("sqlite");
    drop = target.drop;
    file = target.config.file!;
    const db = openDatabase(target.config);
    try {
      const seed = await seedClinic(db.prisma, c.chats);
      await storeFinishedConversations(db.prisma, seed, c.stored);
    } finally {
      await db.close();
    }
  }
  const databaseMiB = file ? ["", "-wal"].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0) / MiB : 0;
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", new URL(import.meta.url).pathname, "--child", c.kind, file, String(c.chats)], {
      encoding: "utf8",
      maxBuffer: 16 * MiB,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = out.trim().split("\n").at(-1)!;
    return { ...(JSON.parse(line) as ChildResult), databaseMiB };
  } finally {
    await drop();
  }
}

async function parent(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const facts = machineFacts();
  const cases: Case[] = [
    { label: "1,000 stored conversations", kind: "stored", stored: 1_000, chats: 1_000 },
    quick
      ? { label: "10,000 stored conversations (--quick)", kind: "stored", stored: 10_000, chats: 1_000 }
      : { label: "100,000 stored conversations", kind: "stored", stored: 100_000, chats: 10_000 },
    { label: "1,000 chats active at once", kind: "active", stored: 0, chats: 1_000 },
    { label: "baseline: 1,000 chats active at once (grammY + conversations, in-memory)", kind: "baseline-active", stored: 0, chats: 1_000 },
  ];
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    process.stderr.write(`${c.label}\n`);
    const r = await runCase(c);
    rows.push([c.label, c.kind === "baseline-active" ? "–" : r.databaseMiB.toFixed(0), r.idle.rssMiB.toFixed(0), r.idle.heapUsedMiB.toFixed(1), r.loaded.rssMiB.toFixed(0), r.loaded.heapUsedMiB.toFixed(1), r.peakRssMiB.toFixed(0)]);
  }
  const body = [
    "CareBot here is the process `npm start` runs for Telegram, minus HTTP and the scheduler: the grammY channel (long polling), router, flow runtime, outbox and dispatcher, on a SQLite file, against the loopback fake Bot API (which runs in the same process and is counted too). Each case is its own child process started with `--expose-gc`; heapUsed is read after two full collections.",
    "",
    "- **idle**: CareBot started over the stored data, nothing handled yet.",
    "- **SQLite file**: the database before CareBot starts; every stored conversation keeps a copy of the flow definition it ran on (so it can finish on that version), which is most of its size.",
    "- **after traffic**: stored cases: 100 chats ran a whole NPS dialogue; active case: every chat got its survey and answered the score, so all are waiting for the comment (conversations open).",
    "",
    markdownTable(["case", "SQLite file MiB", "idle RSS MiB", "idle heapUsed MiB", "after traffic RSS MiB", "after traffic heapUsed MiB", "peak RSS MiB"], rows),
  ].join("\n");
  writeReport("memory", "Memory benchmark", facts, commandLine("memory.ts"), body);
}

const at = process.argv.indexOf("--child");
if (at > 0) {
  const args = z
    .tuple([z.enum(["stored", "active", "baseline-active"]), z.string(), z.coerce.number().int().positive()])
    .safeParse(process.argv.slice(at + 1, at + 4));
  if (!args.success) throw new Error(`memory.ts --child <kind> <sqlite file> <chats>: ${args.error.issues.map((i) => `argument ${i.path.join(".")} ${i.message}`).join("; ")}`);
  const [kind, file, chats] = args.data;
  const result = await child(kind, file, chats);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  await parent();
  process.exit(0);
}
