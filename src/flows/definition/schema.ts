import { z } from "zod";
import { INBOUND_EVENT_TYPES } from "../events.ts";
import { FREE_TEXT_INTENTS } from "../../domain/understanding/index.ts";
import { TEMPLATE_KEY } from "../templates/store.ts";

// The format of a flow file (flows/*.json): XState's own state config, restricted to data.
// Actions and guards are named by `type` and configured by `params`; the registry supplies them.

export const NAME = /^[a-z][a-zA-Z0-9_-]*$/;
const name = (what: string) => z.string().regex(NAME, `${what} must start with a lowercase letter and use letters, digits, - or _`);

const namedRefShape = {
  type: z.string().min(1, "needs a type"),
  params: z.record(z.string(), z.unknown()).optional(),
};
// Two schemas of one shape, so the JSON Schema can list action names and guard names apart.
export const actionRefSchema = z.object(namedRefShape).strict().meta({ id: "action", description: "An action from CareBot's registry, by name." });
export const guardRefSchema = z.object(namedRefShape).strict().meta({ id: "guard", description: "A guard from CareBot's registry, by name." });
export type NamedRef = z.infer<typeof actionRefSchema>;

const actionsSchema = z.union([actionRefSchema, z.array(actionRefSchema)]);

export const transitionSchema = z.union([
  z.string().min(1),
  z
    .object({
      target: z.string().min(1).optional(),
      /** Leave and enter the target again even when it is the same state (its entry runs again). */
      reenter: z.boolean().optional(),
      guard: guardRefSchema.optional(),
      actions: actionsSchema.optional(),
      description: z.string().optional(),
    })
    .strict(),
]);
const transitionsSchema = z.union([transitionSchema, z.array(transitionSchema)]);

export const stateSchema = z
  .object({
    description: z.string().optional(),
    type: z.literal("final").optional(),
    entry: actionsSchema.optional(),
    exit: actionsSchema.optional(),
    on: z.partialRecord(z.enum(INBOUND_EVENT_TYPES), transitionsSchema).optional(),
    /** Delay (an ISO-8601 duration such as "PT30M", "PT2H", "P1D") → transition. */
    after: z.record(z.string(), transitionsSchema).optional(),
    always: transitionsSchema.optional(),
  })
  .strict();
export type StateConfig = z.infer<typeof stateSchema>;

export const triggersSchema = z
  .object({
    /** Bot commands that start the flow, e.g. "/balance". */
    commands: z.array(z.string().regex(/^\/[a-z0-9_]{1,32}$/, 'a command looks like "/balance"')).default([]),
    /** Whole messages that start the flow, in any language ("баланс", "balance"); matched ignoring case and punctuation. */
    keywords: z.array(z.string().min(1)).default([]),
    /** Keywords and commands that interrupt whatever conversation is going on (menu, operator, stop). */
    global: z.boolean().default(false),
    /** Deep-link payloads with this prefix start the flow ("ref_" for /start ref_ABC123). */
    payloadPrefix: z.string().min(1).optional(),
    /**
     * A whole message matching this regular expression (case ignored) starts the flow as if it
     * were a deep link (a referral code typed by hand). It never interrupts a conversation.
     */
    pattern: z
      .string()
      .min(1)
      .refine((p) => {
        try {
          new RegExp(p, "iu");
          return true;
        } catch {
          return false;
        }
      }, "is not a valid regular expression")
      .optional(),
    /** An entry in the main menu: the label's template key and its place. */
    menu: z.object({ label: z.string().min(1), order: z.number().int().default(100) }).optional(),
    /** Scheduled kinds that start the flow (balance, birthday, checkin, followup, nps, …). */
    scheduled: z.array(name("a scheduled kind")).default([]),
    /**
     * Free text that no conversation takes and that clearly means one of these starts the flow
     * («хочу поговорить с человеком» → person; «не пишите мне больше» → stop; «можно в субботу?» → booking).
     */
    intents: z.array(z.enum(FREE_TEXT_INTENTS)).default([]),
  })
  .strict();

/** One text of a flow in both languages (Handlebars, like templates/). */
export const flowTextSchema = z
  .object({ ru: z.string().trim().min(1, "the Russian text is empty"), en: z.string().trim().min(1, "the English text is empty") })
  .strict();

/**
 * The version of the flow format itself (this schema), not of a flow's content (`version`). A
 * document without it is format 1 and is upgraded on read (src/flows/definition/format.ts).
 */
export const FLOW_FORMAT_VERSION = 2;

export const flowSchema = z
  .object({
    $schema: z.string().optional(),
    /** The flow format the document is written in; without it, format 1 (upgraded when read). */
    formatVersion: z.literal(FLOW_FORMAT_VERSION).optional(),
    id: name("id"),
    /** The flow's own version: a conversation finishes on the version it started on. */
    version: z.number().int().min(1),
    description: z.string().min(1),
    /** What the flow's first message is when CareBot writes first: care messages ignore marketing limits. */
    category: z.enum(["care", "transactional", "marketing"]).default("transactional"),
    triggers: triggersSchema.prefault({}),
    /** The flow's context and its initial values; templates may use only these keys under `context.`. */
    context: z.record(z.string(), z.unknown()).default({}),
    /** false: the flow starts for nobody (no trigger, no schedule, no menu entry); running conversations finish. */
    enabled: z.boolean().optional(),
    /**
     * The flow's own texts, which win over the clinic's texts and templates/ for this flow (the
     * console's flow editor writes them, so a conversation keeps the wording it started with).
     */
    texts: z.record(z.string().regex(TEMPLATE_KEY, 'a text key is lowercase words joined by ".", "-" or "_"'), flowTextSchema).optional(),
    initial: z.string().min(1),
    states: z.record(z.string().regex(NAME, "a state name must start with a lowercase letter"), stateSchema),
  })
  .strict();

export type FlowDefinition = z.infer<typeof flowSchema>;
export type FlowFile = z.input<typeof flowSchema>;
