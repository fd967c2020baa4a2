import { z } from "zod";
import { normalizePhone } from "../../../domain/patients/phone.ts";
import { CLEAR, EXPECTATIONS, INTENTS, normalizeWords } from "../../../domain/understanding/index.ts";
import { defineGuard } from "../types.ts";
import type { FlowGuard } from "../types.ts";

const scoreBetween = defineGuard({
  description: "The number answered (or context[key]) lies between min and max, inclusive.",
  params: z.object({ min: z.number(), max: z.number(), key: z.string().optional() }).strict(),
  check: ({ event, context }, p) => {
    const value = p.key ? context[p.key] : event?.type === "NUMBER" ? event.value : undefined;
    return typeof value === "number" && value >= p.min && value <= p.max;
  },
});

const textMatches = defineGuard({
  description: "The text contains one of the words (any language), or matches the regular expression.",
  params: z
    .object({ words: z.array(z.string().min(1)).optional(), pattern: z.string().optional() })
    .strict()
    .refine((p) => p.words || p.pattern, { message: "give words or a pattern" })
    .refine((p) => !p.pattern || isRegExp(p.pattern), { message: "pattern is not a valid regular expression" }),
  check: ({ event }, p) => {
    if (event?.type !== "TEXT") return false;
    const { words, pattern } = compiledTextMatch(p);
    const text = normalizeWords(event.text);
    if (words?.some((w) => text.includes(w))) return true;
    return pattern ? pattern.test(event.text) : false;
  },
});

/**
 * A textMatches guard's words normalized and pattern compiled once per params object (the
 * machine parses each guard's params once when it is built), not on every message it reads.
 */
const compiledTextMatches = new WeakMap<object, { words?: string[]; pattern?: RegExp }>();

function compiledTextMatch(p: { words?: string[]; pattern?: string }): { words?: string[]; pattern?: RegExp } {
  let compiled = compiledTextMatches.get(p);
  if (!compiled) {
    compiled = { words: p.words?.map((w) => normalizeWords(w)), pattern: p.pattern ? new RegExp(p.pattern, "iu") : undefined };
    compiledTextMatches.set(p, compiled);
  }
  return compiled;
}

const understood = defineGuard({
  description:
    "The patient's text (or context[key]) means this intent, read by CareBot's understanding for what the state asks (expect); confidence: clear (act on it), unsure (ask first) or any.",
  params: z
    .object({
      expect: z.enum(EXPECTATIONS),
      intent: z.union([z.enum(INTENTS), z.array(z.enum(INTENTS)).min(1)]),
      confidence: z.enum(["clear", "unsure", "any"]).default("any"),
      key: z.string().min(1).optional(),
    })
    .strict(),
  check: ({ event, context, facts }, p) => {
    const text = p.key ? context[p.key] : event?.type === "TEXT" ? event.text : undefined;
    if (typeof text !== "string" || text.trim() === "") return false;
    const reading = facts.read(text, p.expect);
    if (!(Array.isArray(p.intent) ? p.intent : [p.intent]).includes(reading.intent)) return false;
    return p.confidence === "any" || (p.confidence === "clear") === reading.confidence >= CLEAR;
  },
});

const hasBalance = defineGuard({
  description: "The patient has at least `min` bonus points (default 1).",
  params: z.object({ min: z.number().int().min(0).default(1) }).strict(),
  check: ({ facts }, p) => facts.patient !== null && facts.bonus.balance >= p.min,
});

const isLinked = defineGuard({
  description: "The chat is linked to a patient of the clinic.",
  params: z.object({}).strict(),
  check: ({ facts }) => facts.patient !== null,
});

const optionIs = defineGuard({
  description: "The option picked has this value (or one of these values).",
  params: z.object({ value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]) }).strict(),
  check: ({ event }, p) => {
    if (event?.type !== "CHOICE" && event?.type !== "NUMBER") return false;
    return (Array.isArray(p.value) ? p.value : [p.value]).includes(event.value);
  },
});

const contextIs = defineGuard({
  description: "context[key] equals value.",
  params: z.object({ key: z.string().min(1), value: z.unknown() }).strict(),
  check: ({ context }, p) => context[p.key] === p.value,
});

const payloadStartsWith = defineGuard({
  description: "The deep-link payload starts with the prefix.",
  params: z.object({ prefix: z.string().min(1) }).strict(),
  check: ({ event }, p) => event?.type === "START" && (event.payload ?? "").startsWith(p.prefix),
});

const contactIsOwn = defineGuard({
  description: "The contact shared is the sender's own number (not someone else's card); with validPhone, also a number CareBot can use.",
  params: z.object({ validPhone: z.boolean().default(false) }).strict(),
  check: ({ event }, p) => event?.type === "CONTACT" && event.own && (!p.validPhone || normalizePhone(event.phone) !== null),
});

const resultIs = defineGuard({
  description: "An action reported this outcome (a RESULT event), or one of these.",
  params: z.object({ value: z.union([z.string(), z.array(z.string())]) }).strict(),
  check: ({ event }, p) => event?.type === "RESULT" && (Array.isArray(p.value) ? p.value : [p.value]).includes(event.value),
});

const optionStartsWith = defineGuard({
  description: "The option picked has a value starting with the prefix (options an action made, such as slots).",
  params: z.object({ prefix: z.string().min(1) }).strict(),
  check: ({ event }, p) => event?.type === "CHOICE" && event.value.startsWith(p.prefix),
});

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, "iu");
    return true;
  } catch {
    return false;
  }
}

export const builtInGuards: Record<string, FlowGuard<any>> = {
  scoreBetween,
  textMatches,
  understood,
  hasBalance,
  isLinked,
  optionIs,
  contextIs,
  payloadStartsWith,
  contactIsOwn,
  resultIs,
  optionStartsWith,
};
