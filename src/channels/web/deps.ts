// What the web chat (the preview and the terminal chat) uses of the service: the database, the
// clock, the clinic it serves and the router's events. Narrower than the service object, so the
// web chat depends on these pieces and not on how start-up wires them.
import type { ConversationRouter } from "../../conversations/router.ts";
import type { Database } from "../../db/client.ts";
import type { ServedClinic } from "../../domain/clinic/served-clinic.ts";
import type { Clock } from "../../util/clock.ts";

export interface WebChatDeps {
  db: Database;
  clock: Clock;
  clinic: ServedClinic;
  router: Pick<ConversationRouter, "events">;
}
