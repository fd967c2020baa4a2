import { z } from "zod";
import type { InboundEvent } from "../../events.ts";
import { defineAction } from "../types.ts";

const EVENT_FIELDS = ["text", "value", "phone", "payload", "kind"] as const;

function fieldOf(event: InboundEvent | undefined, field: (typeof EVENT_FIELDS)[number]): unknown {
  if (!event) return null;
  return (event as Record<string, unknown>)[field] ?? null;
}

export const setContext = defineAction({
  description: "Sets context values: fixed ones, and fields of the event being handled (text, value, phone, payload, kind).",
  params: z
    .object({
      values: z.record(z.string(), z.unknown()).optional(),
      fromEvent: z.record(z.string(), z.enum(EVENT_FIELDS)).optional(),
    })
    .strict(),
  assign: ({ event }, p) => ({
    ...p.values,
    ...Object.fromEntries(Object.entries(p.fromEvent ?? {}).map(([key, field]) => [key, fieldOf(event, field)])),
  }),
});
