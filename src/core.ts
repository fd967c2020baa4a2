import type { Config } from "./config.ts";
import type { ConversationRouter } from "./conversations/router.ts";
import { createRouter } from "./conversations/create-router.ts";
import type { Database } from "./db/client.ts";
import { resolveClinic } from "./domain/clinic/served-clinic.ts";
import type { ServedClinic } from "./domain/clinic/served-clinic.ts";
import { createRegistry } from "./flows/registry/index.ts";
import { FlowService } from "./flows/service.ts";
import type { EscalationAlerts } from "./domain/escalations/alert.ts";
import type { Lang } from "./i18n/lang.ts";
import type { Logger } from "./logger.ts";
import type { Clock } from "./util/clock.ts";

/** What every entry point (HTTP, bots, CLI chat, scheduler) shares: one router over one catalog. */
export interface CareBot {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  clinic: ServedClinic;
  flows: FlowService;
  router: ConversationRouter;
  /** Set when the WhatsApp channel runs: its state and, while it waits for a login, the QR to scan. */
  whatsappStatus?: () => { state: string; qr?: string };
}


/**
 * Loads flows (refusing to run on broken ones) and wires the router for the clinic.
 * `deps.lang`: the language the flows' problems are told in (a command's; the service logs English).
 * `deps.escalationAlerts`: the staff chat's note on an urgent escalation (`escalationAlertsFor(config)`
 * from src/operators/alerts), when the configuration asks for one.
 * `deps.flows`: flows already loaded from config's folders (a test starting several CareBots loads them once).
 */
export async function createCareBot(config: Config, db: Database, deps: { clock: Clock; logger: Logger; lang?: Lang; escalationAlerts?: EscalationAlerts | undefined; flows?: FlowService }): Promise<CareBot> {
  const clinic = await resolveClinic(db, config.clinicSlug);
  const flows = deps.flows ?? FlowService.load({ flowsDir: config.flowsDir, templatesDir: config.templatesDir, registry: createRegistry(), ...(deps.lang ? { lang: deps.lang } : {}) });
  const router = createRouter({ db, clock: deps.clock, logger: deps.logger, flows, clinicId: clinic.id, escalationAlerts: deps.escalationAlerts, publicUrl: config.publicUrl });
  return { config, db, clock: deps.clock, logger: deps.logger, clinic, flows, router };
}
