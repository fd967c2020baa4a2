// Finished NPS conversations as a clinic accumulates them: one conversation row (with the flow
// definition it ran on, as CareBot stores it) and its two transcript lines per survey.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../../src/db/client.ts";
import { FIRST_CHAT_ID } from "./seed.ts";
import type { SeededClinic } from "./seed.ts";
import { ROOT } from "./report.ts";

const BATCH = 500;

/** Adds `count` closed conversations spread over the seeded chats. */
export async function storeFinishedConversations(prisma: Db, seed: SeededClinic, count: number): Promise<void> {
  const definition = JSON.parse(readFileSync(path.join(ROOT, "flows/nps.json"), "utf8")) as object;
  const chats = seed.identities.size;
  const startedAt = new Date("2026-06-01T09:00:00Z");
  for (let from = 0; from < count; from += BATCH) {
    const n = Math.min(BATCH, count - from);
    const rows = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const identityId = seed.identities.get(FIRST_CHAT_ID + (i % chats))!;
      return {
        clinicId: seed.clinicId,
        identityId,
        flowId: "nps",
        flowVersion: 1,
        flowDefinition: definition,
        snapshot: { v: 1, definitionKey: "nps@1#stored", machine: { status: "done", value: "promoter", context: { score: 9, comment: "спасибо" } }, timers: [], invalid: null, options: null },
        status: "closed" as const,
        startedAt,
        closedAt: startedAt,
      };
    });
    await prisma.conversation.createMany({ data: rows });
  }
  const conversations = await prisma.conversation.findMany({ where: { clinicId: seed.clinicId }, select: { id: true, identityId: true } });
  for (let from = 0; from < conversations.length; from += BATCH) {
    const slice = conversations.slice(from, from + BATCH);
    await prisma.message.createMany({
      data: slice.flatMap((c) => [
        { clinicId: seed.clinicId, identityId: c.identityId, conversationId: c.id, direction: "outbound" as const, text: "Оцените, пожалуйста, визит от 0 до 10.", payload: { text: "Оцените визит" }, createdAt: startedAt },
        { clinicId: seed.clinicId, identityId: c.identityId, conversationId: c.id, direction: "inbound" as const, text: "9", payload: { type: "TEXT", text: "9" }, createdAt: startedAt },
      ]),
    });
  }
}
