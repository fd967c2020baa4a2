import type { FlowService } from "../flows/service.ts";
import { ConversationRouter } from "./router.ts";
import type { RouterOptions } from "./router.ts";

/**
 * The router over a catalog and a database: the service's own, or a preview sandbox's (which
 * passes no escalation alerts, so its escalations reach no staff chat).
 */
export function createRouter(input: Omit<RouterOptions, "catalog"> & { flows: FlowService }): ConversationRouter {
  const { flows, ...options } = input;
  return new ConversationRouter({ ...options, catalog: () => flows.catalog() });
}
