import path from "node:path";
import type { InboundEvent } from "../../src/channels/types.ts";
import { ConversationRouter } from "../../src/conversations/router.ts";
import type { Database } from "../../src/db/client.ts";
import { createLogger } from "../../src/logger.ts";
import { createRegistry } from "../../src/flows/registry/index.ts";
import { FlowService } from "../../src/flows/service.ts";
import type { Clock } from "../../src/util/clock.ts";
import { ROOT } from "./cli.ts";

export const SHIPPED = { flowsDir: path.join(ROOT, "flows"), templatesDir: path.join(ROOT, "templates"), root: ROOT };

let shipped: FlowService | undefined;
/**
 * The shipped flows, loaded once per worker (a load validates and compiles every flow and template:
 * about a second of CPU): for tests that start several CareBots (createCareBot's `flows`) and never reload them.
 */
export const shippedFlows = (): FlowService => (shipped ??= FlowService.load({ ...SHIPPED, registry: createRegistry() }));

let update = 0;
/** One silent logger for every test router: pino compiles its redaction per logger (milliseconds each). */
const silent = createLogger({ level: "silent", pretty: false });

/** A router over the shipped (or given) flows, as the service wires it, for tests that talk to it. */
export function createTestRouter(db: Database, clock: Clock, clinicId: number, dirs = SHIPPED, loaded?: FlowService) {
  const flows = loaded ?? FlowService.load({ ...dirs, registry: createRegistry() });
  const router = new ConversationRouter({ db, clock, logger: silent, catalog: () => flows.catalog(), clinicId });

  const send = (chatId: string, event: InboundEvent, extra: { languageCode?: string } = {}) =>
    router.handle({ channel: "telegram", chatId, userId: chatId, dedupeKey: `test:${++update}`, event, ...extra });
  const text = (chatId: string, t: string) => send(chatId, { type: "TEXT", text: t });

  /** What the patient of a chat has been sent so far (the outbox, in order). */
  const outbox = async (chatId: string) => {
    const rows = await db.prisma.outbox.findMany({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "asc" } });
    return rows.map((r) => (r.payload as { message: { text: string; options?: { value: string | number; label: string }[] } }).message);
  };
  const conversation = (chatId: string) =>
    db.prisma.conversation.findFirst({ where: { identity: { externalChatId: chatId } }, orderBy: { id: "desc" } });

  return { router, flows, send, text, outbox, conversation };
}
