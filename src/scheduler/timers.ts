import type { ConversationRouter } from "../conversations/router.ts";

const BATCH = 100;
const MAX_BATCHES = 50;

/** Fires the flow timers that are due, batch after batch while batches come back full. */
export async function fireTimers(router: Pick<ConversationRouter, "fireDueTimers">): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const fired = await router.fireDueTimers(BATCH);
    total += fired;
    if (fired < BATCH) break;
  }
  return total;
}
