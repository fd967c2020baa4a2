import { z } from "zod";
import { defineAction } from "../types.ts";
import { oneKindMessage, oneKindOfOptions, sayShape, sayTemplates, templateKey } from "./say.ts";

export const DEFAULT_REASK_TEMPLATE = "common.reask";
/** The short re-ask sent with the buttons again, when the question with them is just above. */
export const DEFAULT_REASK_CHOICE_TEMPLATE = "common.reask-choose";
/** «Спасибо» while the buttons are shown: a warm word and the same buttons, not an apology (a flow's own reask stays). */
export const THANKS_REASK_CHOICE_TEMPLATE = "common.reask-thanks";
export const DEFAULT_MAX_INVALID = 2;

export const askParams = z
  .object({
    ...sayShape,
    /** Said when the answer is not one the state expects: with the buttons again, or before the question again when it has none. */
    reask: templateKey.optional(),
    /** After this many unexpected answers in a row a person takes over. */
    maxInvalid: z.number().int().min(1).max(10).optional(),
  })
  .strict()
  .refine(oneKindOfOptions, oneKindMessage);
export type AskParams = z.output<typeof askParams>;

/**
 * Asks a question and waits. The runtime handles what the state does not expect: it re-asks,
 * and after `maxInvalid` unexpected answers it escalates to an operator.
 */
export const ask = defineAction({
  asks: true,
  description: "Asks a question and waits for an answer; re-asks on an unexpected one, escalates after maxInvalid.",
  params: askParams,
  templates: (p) => [...sayTemplates(p), ...(p.reask ? [p.reask] : [DEFAULT_REASK_TEMPLATE, DEFAULT_REASK_CHOICE_TEMPLATE, THANKS_REASK_CHOICE_TEMPLATE])],
  run: (ctx, p) => ctx.say({ template: p.template, options: p.menu ? "menu" : p.options, requestContact: p.requestContact }),
});
