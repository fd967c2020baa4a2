// The hot path alone, profiled: CareBot's NPS answers (the inbound benchmark's CareBot part) on
// SQLite, 100 chats at once. The V8 profiler runs only while answers are handled (surveys are
// started beforehand, unprofiled), so setup, migrations and seeding do not blur the picture.
// `--chats N` answers in N chats at once instead (1: one chat at a time, where the per-batch
// costs — the runner's fetch, the dispatcher's hop — fall on every message).
//
//   npx tsx bench/profile-hot-path.ts [--quick] [--label after] [--db postgresql] [--chats N]
//   (PostgreSQL: a database on BENCH_DATABASE_URL's server, or a throwaway server of its own)
//   npx tsx bench/profile-summary.ts bench/.profiles/<label>.cpuprofile
//
// (`node --cpu-prof --import tsx bench/inbound.ts --quick` profiles the whole run instead.)
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fakeUser, startFakeBotApi } from "../test/support/fake-bot-api/index.ts";
import { openDatabase } from "../src/db/client.ts";
import { startCareBotRig } from "./lib/carebot-rig.ts";
import { createBenchDatabase, startPostgres } from "./lib/databases.ts";
import { COMMENT_TEXT, inParallel, introduceChats, SCORE_TEXT } from "./lib/dialogue.ts";
import { BENCH_DIR } from "./lib/report.ts";
import { FIRST_CHAT_ID, seedClinic } from "./lib/seed.ts";

const TOKEN = "123456:BENCH-TOKEN-FOR-CAREBOT-PROFILE";
const quick = process.argv.includes("--quick");
const labelAt = process.argv.indexOf("--label");
const label = labelAt > 0 ? process.argv[labelAt + 1] : "hot-path";
if (!label || !/^[\w-]+$/.test(label)) throw new Error("--label must be letters, digits, _ or -");
const chatsAt = process.argv.indexOf("--chats");
const AT_ONCE = chatsAt > 0 ? Number(process.argv[chatsAt + 1]) : 100;
if (!(Number.isInteger(AT_ONCE) && AT_ONCE >= 1)) throw new Error("--chats takes a whole number above 0");
/** Unprofiled rounds first (100 chats' answers), then rounds of AT_ONCE chats: 1,100 chats' answers profiled (300 quick). */
const WARM = Math.ceil(100 / AT_ONCE);
const ROUNDS = WARM + Math.ceil((quick ? 300 : 1100) / AT_ONCE);

const dbAt = process.argv.indexOf("--db");
const provider = dbAt > 0 ? process.argv[dbAt + 1] : "sqlite";
if (provider !== "sqlite" && provider !== "postgresql") throw new Error("--db takes sqlite or postgresql");
const server = provider === "postgresql" ? startPostgres() : undefined;
const target = await createBenchDatabase(provider, server);
const plain = openDatabase(target.config);
const seed = await seedClinic(plain.prisma, AT_ONCE * ROUNDS);
await plain.close();
const api = await startFakeBotApi({ token: TOKEN });
const rig = await startCareBotRig(target.config, seed.clinicId, { token: TOKEN, apiRoot: api.apiRoot });
const chatIds = Array.from({ length: AT_ONCE * ROUNDS }, (_, i) => FIRST_CHAT_ID + i);
introduceChats(api, chatIds);
const session = new Session();
try {
  await inParallel(chatIds, 16, (chatId) => rig.startNps(seed.identities.get(chatId)!));
  await rig.probe.untilSends(chatIds.length, 300_000);
  // Unprofiled rounds warm the JIT and the caches.
  const rounds = Array.from({ length: ROUNDS }, (_, r) => chatIds.slice(r * AT_ONCE, (r + 1) * AT_ONCE).map((id) => fakeUser(id)));
  const answer = async (users: ReturnType<typeof fakeUser>[]) => {
    for (const text of [SCORE_TEXT, COMMENT_TEXT]) {
      const replies = rig.probe.replies + users.length;
      rig.probe.measure(true);
      for (const user of users) api.sendText(user, text);
      await rig.probe.untilReplies(replies, 300_000);
      rig.probe.measure(false);
    }
  };
  for (const users of rounds.slice(0, WARM)) await answer(users);
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const statements = rig.db.counter.statements;
  const started = performance.now();
  // CPU time as well: other work on a shared machine stretches wall time, not this process's CPU.
  const cpuBefore = process.cpuUsage();
  for (const users of rounds.slice(WARM)) await answer(users);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post("Profiler.stop");
  const answers = (ROUNDS - WARM) * AT_ONCE * 2;
  const cpuMsPerAnswer = (cpu.user + cpu.system) / 1000 / answers;
  const dir = path.join(BENCH_DIR, ".profiles");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  // The figures beside the profile, for bench/profile-report.ts.
  const figures = { answers, elapsedMs: elapsed, perSecond: (answers / elapsed) * 1000, statementsPerAnswer: (rig.db.counter.statements - statements) / answers, cpuMsPerAnswer };
  writeFileSync(path.join(dir, `${label}.json`), JSON.stringify(figures));
  process.stdout.write(
    `${answers} answers in ${Math.round(elapsed)} ms (${((answers / elapsed) * 1000).toFixed(0)}/s), ${((rig.db.counter.statements - statements) / answers).toFixed(1)} statements each, ${cpuMsPerAnswer.toFixed(2)} ms CPU each (all threads); profile: ${path.relative(process.cwd(), file)}\n`,
  );
} finally {
  session.disconnect();
  await rig.stop();
  await api.close();
  await target.drop();
  server?.stop();
}
