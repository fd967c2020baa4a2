import type { Database } from "../../src/db/client.ts";

/**
 * Until the outbox is quiet: nothing claimed and nothing due left unclaimed. A dispatcher pass
 * woken in the background may have just started a flow whose first message is written, pending,
 * in the same transaction; "nothing sending" alone would return before that message goes.
 */
export async function settleOutbox(db: Database, dispatcher: { drain(): Promise<unknown> }, now: () => Date): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await dispatcher.drain();
    const busy = await db.prisma.outbox.count({ where: { OR: [{ status: "sending" }, { status: "pending", dueAt: { lte: now() } }] } });
    if (busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the outbox never settled");
}
