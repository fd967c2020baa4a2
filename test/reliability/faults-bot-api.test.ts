// The Bot API answering 500 and 429 in bursts while a running CareBot (`carebot start` in its own
// process) replies to patients: every reply arrives exactly once, in order per chat.
import { afterEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../support/db.ts";
import { ledger, linkedUsers, messageCount, startScenario } from "./support/scenario.ts";
import type { Cleanup } from "./support/scenario.ts";
import { waitUntil } from "./support/wait.ts";

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

describe(`the Bot API answering 500 and 429 in bursts (on ${TEST_PROVIDER})`, () => {
  it("every reply still arrives exactly once, in order per chat", async () => {
    const CHATS = 15;
    const ROUNDS = 3;
    const { api, carebot, db } = await startScenario(cleanups);
    const users = await linkedUsers(db, CHATS, 720_000);
    for (let round = 0; round < ROUNDS; round++) {
      // A burst of server errors, then a burst of "too many requests", while the replies are due.
      api.failNext("sendMessage", round === 1 ? { status: 429, retryAfter: 1 } : { status: 500 }, 10);
      for (const u of users) api.sendText(u, round === 2 ? "главное меню" : "меню");
      await waitUntil(() => users.every((u) => messageCount(api, u) === round + 1), 60_000, () => `${round + 1} replies each, got ${users.map((u) => messageCount(api, u)).join(",")}`);
    }
    const failures = api.calls.filter((c) => c.method === "sendMessage" && c.status >= 400);
    // A message reaches Telegram a moment before CareBot records it sent (one statement per turn of
    // its event loop): wait for that record, with a deadline far inside the 60 s lease, so a row
    // whose record was lost (it would be sent again after its lease) still fails here.
    const { outbox } = await waitUntil(
      async () => {
        const facts = await ledger(db);
        return facts.outbox.every((r) => r.status === "sent") && facts;
      },
      15_000,
      async () => `every row recorded sent; not yet: ${JSON.stringify((await ledger(db)).outbox.filter((r) => r.status !== "sent"))}; logged: ${carebot.log().filter((l) => Number(l.level) >= 50).map((l) => String(l.msg)).join(" | ")}`,
    );
    console.log(`bot api bursts: ${failures.length} sendMessage calls failed (${failures.filter((c) => c.status === 429).length} with 429), ${api.sent.length} messages delivered`);
    expect(failures.length).toBe(30);
    for (const u of users) expect(api.messagesTo(u.id).length).toBe(ROUNDS);
    expect(outbox.filter((r) => r.status !== "sent")).toEqual([]);
    // In order: per chat, the outbox rows (in the order the flow wrote them) carry ascending message ids.
    const byChat = new Map<string, number[]>();
    const ours = new Set(users.map((u) => String(u.id)));
    for (const r of outbox.filter((o) => ours.has(o.chatId ?? ""))) byChat.set(r.chatId!, [...(byChat.get(r.chatId!) ?? []), Number(r.externalMessageId)]);
    expect(byChat.size).toBe(CHATS);
    for (const ids of byChat.values()) {
      expect(ids.length).toBe(ROUNDS);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(carebot.child.exitCode).toBeNull();
  }, 110_000);
});
