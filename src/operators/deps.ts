import type { Config } from "../config.ts";
import type { ConversationRouter } from "../conversations/router.ts";
import type { Database } from "../db/client.ts";
import type { ServedClinic } from "../domain/clinic/served-clinic.ts";
import type { FlowService } from "../flows/service.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../util/clock.ts";

/**
 * What the operators' console is given by the start-up wiring: the database, the clock, the
 * clinic it serves, the flows' catalog and the router's operator side. Each function takes only
 * the fields it uses (`Pick<OperatorConsoleDeps, …>`).
 */
export interface OperatorConsoleDeps {
  /** The public address: links in alerts and whether cookies must be Secure. */
  config: Pick<Config, "publicUrl">;
  db: Database;
  clock: Clock;
  logger: Logger;
  clinic: ServedClinic;
  flows: Pick<FlowService, "catalog">;
  /** Replies, take-over and hand-back, writing first, and the events the live queue listens to. */
  router: Pick<ConversationRouter, "events" | "resume" | "operatorReply" | "operatorFirst">;
  /** Set while WhatsApp runs (src/channels/start.ts): its state and, while it waits for a login, the QR. */
  whatsappStatus?: (() => { state: string; qr?: string }) | undefined;
}
