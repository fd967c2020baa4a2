// An option's value travels in a reply button's or list row's id and comes back in the patient's
// reply: "s:confirm" for a text value, "n:7" for a number (a scale).
import type { InboundEvent, OutboundOption } from "../types.ts";

export function optionId(value: OutboundOption["value"]): string {
  return typeof value === "number" ? `n:${value}` : `s:${value}`;
}

/** The event an option's id stands for, or null for an id CareBot did not make. */
export function eventOfOptionId(id: string): InboundEvent | null {
  if (id.startsWith("s:") && id.length > 2) return { type: "CHOICE", value: id.slice(2) };
  if (id.startsWith("n:") && /^-?\d+$/.test(id.slice(2))) return { type: "NUMBER", value: Number(id.slice(2)) };
  return null;
}
