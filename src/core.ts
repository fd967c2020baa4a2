import type { Config } from "./config.ts";
import { ConversationRouter } from "./conversations/router.ts";
import type { RouterOptions } from "./conversations/router.ts";
import type { Database } from "./db/client.ts";
import { ClinicNotResolved } from "./domain/clinic/not-resolved.ts";
import { createRegistry } from "./flows/registry/index.ts";
import { FlowService } from "./flows/service.ts";
import { escalationAlertsFor } from "./operators/alerts/escalation-alerts.ts";
import type { Lang } from "./i18n/lang.ts";
import type { Logger } from "./logger.ts";
import type { Clock } from "./util/clock.ts";

/** What every entry point (HTTP, bots, CLI chat, scheduler) shares: one router over one catalog. */
export interface CareBot {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  clinic: { id: number; name: string; timezone: string };
  flows: FlowService;
  router: ConversationRouter;
  /** Set when the WhatsApp channel runs: its state and, while it waits for a login, the QR to scan. */
  whatsappStatus?: () => { state: string; qr?: string };
}

/** The clinic this process serves: CLINIC_SLUG, or the only clinic there is. */
export async function resolveClinic(db: Database, slug?: string): Promise<CareBot["clinic"]> {
  const select = { id: true, name: true, timezone: true, slug: true };
  if (slug) {
    const clinic = await db.prisma.clinic.findUnique({ where: { slug }, select });
    if (!clinic) throw new ClinicNotResolved("unknown-slug", slug);
    return clinic;
  }
  const clinics = await db.prisma.clinic.findMany({ select, take: 2, orderBy: { id: "asc" } });
  if (clinics.length === 0) throw new ClinicNotResolved("none");
  if (clinics.length > 1) throw new ClinicNotResolved("several");
  return clinics[0]!;
}

/**
 * The router over a catalog and a database: the service's own, or a preview sandbox's (which
 * passes no escalation alerts, so its escalations reach no staff chat).
 */
export function createRouter(input: Omit<RouterOptions, "catalog"> & { flows: FlowService }): ConversationRouter {
  const { flows, ...options } = input;
  return new ConversationRouter({ ...options, catalog: () => flows.catalog() });
}

/** Loads flows (refusing to run on broken ones) and wires the router for the clinic. */
/** `deps.lang`: the language the flows' problems are told in (a command's; the service logs English). */
export async function createCareBot(config: Config, db: Database, deps: { clock: Clock; logger: Logger; lang?: Lang }): Promise<CareBot> {
  const clinic = await resolveClinic(db, config.clinicSlug);
  const flows = FlowService.load({ flowsDir: config.flowsDir, templatesDir: config.templatesDir, registry: createRegistry(), ...(deps.lang ? { lang: deps.lang } : {}) });
  const router = createRouter({ db, clock: deps.clock, logger: deps.logger, flows, clinicId: clinic.id, escalationAlerts: escalationAlertsFor(config) });
  return { config, db, clock: deps.clock, logger: deps.logger, clinic, flows, router };
}
