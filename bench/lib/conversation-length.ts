// Does an answer cost more when the conversation already holds many messages? The same two NPS
// answers in one chat whose conversation was given N transcript messages beforehand.
import type { DatabaseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { startFakeBotApi, fakeUser } from "../../test/support/fake-bot-api/index.ts";
import { startCareBotRig } from "./carebot-rig.ts";
import { COMMENT_TEXT, introduceChats, SCORE_TEXT } from "./dialogue.ts";
import { FIRST_CHAT_ID, seedClinic } from "./seed.ts";
import { summarize } from "./stats.ts";
import type { LatencySummary } from "./stats.ts";

export interface LengthResult {
  existing: number;
  latency: LatencySummary;
  statementsPerMessage: number;
  /** Size of the stored snapshot after the score answer. */
  snapshotBytes: number;
}

export async function measureConversationLength(config: DatabaseConfig, token: string, lengths: number[], samples: number): Promise<LengthResult[]> {
  const plain = openDatabase(config);
  const seed = await seedClinic(plain.prisma, 1);
  const api = await startFakeBotApi({ token });
  const rig = await startCareBotRig(config, seed.clinicId, { token, apiRoot: api.apiRoot });
  const identityId = seed.identities.get(FIRST_CHAT_ID)!;
  const user = fakeUser(FIRST_CHAT_ID, { firstName: "Анна", languageCode: "ru" });
  introduceChats(api, [FIRST_CHAT_ID]);
  const tally = new Map(lengths.map((existing) => [existing, { latencies: [] as number[], statements: 0, messages: 0, snapshotBytes: 0 }]));
  try {
    // Lengths take turns sample by sample, so a change in the machine's load hits them alike.
    for (let sample = -1; sample < samples; sample++) {
      for (const existing of lengths) {
        const t = tally.get(existing)!;
        const sends = rig.probe.sends + 1;
        await rig.startNps(identityId);
        await rig.probe.untilSends(sends, 30_000);
        const conversation = await plain.prisma.conversation.findFirstOrThrow({ where: { identityId, status: "bot" }, orderBy: { id: "desc" } });
        await plain.prisma.message.createMany({
          data: Array.from({ length: existing }, (_, i) => ({
            clinicId: seed.clinicId,
            identityId,
            conversationId: conversation.id,
            direction: i % 2 === 0 ? ("outbound" as const) : ("inbound" as const),
            text: i % 2 === 0 ? "Уточните, пожалуйста, ответ." : `ответ ${i}`,
            payload: { type: "TEXT", text: `ответ ${i}` },
            createdAt: new Date(Date.now() - (existing - i) * 1000),
          })),
        });
        for (const text of [SCORE_TEXT, COMMENT_TEXT]) {
          const before = rig.db.counter.statements;
          const replies = rig.probe.replies + 1;
          const timed = rig.probe.latencies.length;
          rig.probe.measure(true);
          api.sendText(user, text);
          await rig.probe.untilReplies(replies, 30_000);
          rig.probe.measure(false);
          await new Promise((resolve) => setTimeout(resolve, 20));
          // The first round of each length is a warm-up.
          if (sample >= 0) {
            t.latencies.push(...rig.probe.latencies.slice(timed));
            t.statements += rig.db.counter.statements - before;
            t.messages++;
          }
          if (text === SCORE_TEXT) {
            const row = await plain.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { snapshot: true } });
            t.snapshotBytes = JSON.stringify(row.snapshot).length;
          }
        }
      }
    }
  } finally {
    await rig.stop();
    await api.close();
    await plain.close();
  }
  const results: LengthResult[] = [...tally].map(([existing, t]) => ({
    existing,
    latency: summarize(t.latencies),
    statementsPerMessage: t.statements / t.messages,
    snapshotBytes: t.snapshotBytes,
  }));
  return results;
}
