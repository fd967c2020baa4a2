// Prints the statements CareBot runs for one NPS answer (a score, then a comment, in one chat),
// counted at the driver: what bench/lib/ceiling-rig.ts runs by hand on the raw driver.
//
//   npx tsx bench/statements.ts [--db sqlite|postgresql] [--chats N]
import { startFakeApiProcess } from "./lib/fake-api-process.ts";
import { startCareBotRig } from "./lib/carebot-rig.ts";
import { createBenchDatabase, startPostgres } from "./lib/databases.ts";
import { introduceChats, runDialogue } from "./lib/dialogue.ts";
import { FIRST_CHAT_ID, seedClinic } from "./lib/seed.ts";
import { openDatabase } from "../src/db/client.ts";

const TOKEN = "123456:BENCH-TOKEN-FOR-CAREBOT-INBOUND";
const at = process.argv.indexOf("--db");
const provider = at > 0 && process.argv[at + 1] === "postgresql" ? "postgresql" : "sqlite";
const chatsAt = process.argv.indexOf("--chats");
/** How many chats answer at once (1 by default): the statements are those of all their answers. */
const CHATS = chatsAt > 0 ? Number(process.argv[chatsAt + 1]) : 1;

const server = provider === "postgresql" ? startPostgres() : undefined;
const database = await createBenchDatabase(provider, server);
try {
  const seeding = openDatabase(database.config);
  const seed = await seedClinic(seeding.prisma, CHATS);
  await seeding.close();
  const api = await startFakeApiProcess(TOKEN);
  const rig = await startCareBotRig(database.config, seed.clinicId, { token: TOKEN, apiRoot: api.apiRoot });
  const chatIds = Array.from({ length: CHATS }, (_, i) => FIRST_CHAT_ID + i);
  introduceChats(api, chatIds);
  const contender = {
    name: "CareBot",
    probe: rig.probe,
    counter: rig.db.counter,
    startSurveys: async (ids: number[]) => {
      const target = rig.probe.sends + ids.length;
      for (const id of ids) await rig.startNps(seed.identities.get(id)!);
      await rig.probe.untilSends(target, 60_000);
    },
  };
  await runDialogue(api, contender, chatIds, 1, 60_000);
  rig.db.counter.reset();
  rig.db.counter.keepTexts = true;
  const result = await runDialogue(api, contender, chatIds, 1, 60_000);
  console.log(`${provider}: ${result.statements} statements, ${result.transactions} transactions for ${result.messages} answers`);
  for (const [sql, count] of rig.db.counter.texts) console.log(`${count}× ${sql.replace(/\s+/g, " ").slice(0, 400)}`);
  await rig.stop();
  await api.close();
} finally {
  await database.drop();
  server?.stop();
}
process.exit(0);
