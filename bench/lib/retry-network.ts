// A failed connection to the Bot API is tried again at once, a few times, as a grammY bot with
// the auto-retry plugin would. CareBot's replies get the same from its outbox dispatcher; the
// baseline and the ceiling send from their handlers, 500 at a time, so they need it themselves.
import type { Api } from "grammy";
import { HttpError } from "grammy";

const ATTEMPTS = 5;

export function retryNetworkErrors(api: Api): void {
  api.config.use(async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || attempt >= ATTEMPTS || signal?.aborted) throw error;
      }
    }
  });
}
