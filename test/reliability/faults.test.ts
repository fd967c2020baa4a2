// The database away for a few seconds while patients write, around a running CareBot (`carebot
// start` in its own process, Telegram through the loopback fake Bot API), both ways updates
// arrive: long polling and the webhook. PostgreSQL is cut at a TCP proxy; SQLite is held by
// another process's exclusive lock for longer than CareBot's busy timeout.
import { afterEach, describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../support/db.ts";
import { healthy, ledger, linkedUsers, messageCount, startScenario } from "./support/scenario.ts";
import type { Cleanup } from "./support/scenario.ts";
import { waitUntil } from "./support/wait.ts";

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
});

describe.each(["polling", "webhook"] as const)(`the database away for a few seconds during inbound traffic (%s, on ${TEST_PROVIDER})`, (mode) => {
  it("acknowledges nothing it could not store, handles every update once the database is back, loses none", async () => {
    const CHATS = 12;
    // SQLite's busy wait takes 5 s of the outage: a write fails only if it starts in what is left,
    // so the lock is held longer there (7 s left too short a window on a busy CI machine).
    const OUTAGE_MS = TEST_PROVIDER === "sqlite" ? 10_000 : 7000;
    const { api, carebot, outage, db } = await startScenario(cleanups, { mode, outage: true });
    const users = await linkedUsers(db, CHATS, 710_000);

    for (const u of users) api.sendText(u, "меню");
    await waitUntil(() => users.every((u) => messageCount(api, u) === 1), 30_000, "the first menus");
    const menuOf = new Map(users.map((u) => [u.id, api.messagesTo(u.id)[0]!.text]));

    await outage!.begin(OUTAGE_MS);
    const during = users.flatMap((u) => [api.sendText(u, "меню"), api.sendText(u, "главное меню")]);
    // While the database is away the updates stay with Telegram: unconfirmed (polling) or answered 5xx (webhook).
    await waitUntil(
      () =>
        mode === "polling"
          ? carebot.log().some((l) => /could not be handled now/.test(String(l.msg)))
          : api.webhookDeliveries.some((d) => d.status >= 500),
      OUTAGE_MS + 10_000,
      "a failed attempt during the outage",
    );
    if (mode === "polling") expect(api.pendingUpdates.length).toBeGreaterThan(0);
    await outage!.end();

    // Settled: Telegram holds no update any more (each one confirmed or answered 2xx) and every chat
    // has at least that many replies. Counting replies alone is not enough: a reply sent again
    // after its lease (below) can stand in for one still on its way.
    const settled = (n: number) => api.pendingUpdates.length === 0 && users.every((u) => messageCount(api, u) >= n);
    const counts = () => `${api.pendingUpdates.length} updates pending; replies ${users.map((u) => messageCount(api, u)).join(",")}`;
    await waitUntil(() => settled(3), 60_000, () => `3 menus each: ${counts()}`);
    for (const u of users) api.sendText(u, "меню");
    await waitUntil(() => settled(4), 30_000, () => `4 menus each: ${counts()}`);

    const retries = carebot.log().filter((l) => /could not be handled now/.test(String(l.msg)));
    const failed5xx = api.webhookDeliveries.filter((d) => d.status >= 500).length;
    // A pass that failed, or one row of a pass (its write failed; it waits out its lease): each counts as a batch.
    const failedPasses = carebot.log().filter((l) => /dispatch pass failed|delivering an outbox row failed/.test(String(l.msg))).length;
    const ours = new Set(users.map((u) => String(u.id)));
    // Every update Telegram let go of is stored; its reply may still be on its way out.
    const { inbound, outbox } = await waitUntil(
      async () => {
        const facts = await ledger(db);
        return facts.outbox.some((r) => ours.has(r.chatId ?? "") && r.status === "pending") ? false : facts;
      },
      30_000,
      "every reply sent or claimed",
    );
    const unsent = outbox.filter((r) => ours.has(r.chatId ?? "") && r.status !== "sent");
    // Replies Telegram got more than once: messages beyond the outbox rows behind them.
    const extra = users.reduce((n, u) => n + messageCount(api, u) - outbox.filter((r) => r.chatId === String(u.id)).length, 0);
    console.log(
      `db outage (${mode}, ${TEST_PROVIDER}): ${OUTAGE_MS} ms, ${during.length} updates sent meanwhile; ${retries.length} retried attempts logged, ` +
        `${failed5xx} webhook deliveries answered 5xx; ${failedPasses} dispatch passes failed, ${extra} replies repeated, ${unsent.length} rows waiting out their lease; ` +
        `errors seen: ${[...new Set(retries.map((l) => String(l.error).slice(0, 80)))].join(" | ")}`,
    );
    expect(carebot.child.exitCode).toBeNull();
    expect(await healthy(carebot)).toBe(true);
    for (const u of users) {
      // Every update stored exactly once (the dedupe key is unique), none missing, each answered.
      expect(inbound.filter((m) => m.chatId === String(u.id)).length).toBe(4);
      const texts = api.messagesTo(u.id).map((m) => m.text);
      expect(texts.length).toBeGreaterThanOrEqual(4);
      expect(new Set(texts)).toEqual(new Set([menuOf.get(u.id)]));
    }
    expect(carebot.log().filter((l) => l.msg === "telegram: handling an update failed")).toEqual([]);
    // An outage is not the flow's fault: nobody is told "something went wrong", no one is escalated.
    expect(carebot.log().filter((l) => /flow step failed/.test(String(l.msg)))).toEqual([]);
    // The outbound side's window (src/outbox/dispatcher.ts): a reply Telegram accepted while its
    // "sent" could not be written stays claimed until its lease ends, then goes again. Only a
    // failed dispatch pass leaves such rows, at most a batch (50) each.
    expect(unsent.every((r) => r.status === "sending")).toBe(true);
    expect(extra + unsent.length).toBeLessThanOrEqual(failedPasses * 50);
  }, 110_000);
});
