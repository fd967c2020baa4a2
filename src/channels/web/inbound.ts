// What staff do in a web chat → CareBot InboundMessage. Pure: no I/O.
import { randomUUID } from "node:crypto";
import type { InboundEvent, InboundMessage } from "../types.ts";

/** One action in the preview: typed text, a pressed button, or the contact button. */
export type WebInput = { text: string } | { choice: string | number } | { contact: { phone: string } };

export function toInboundEvent(input: WebInput): InboundEvent {
  if ("text" in input) return { type: "TEXT", text: input.text };
  if ("choice" in input) return typeof input.choice === "number" ? { type: "NUMBER", value: input.choice } : { type: "CHOICE", value: input.choice };
  return { type: "CONTACT", phone: input.contact.phone, own: true };
}

/** A web message for the router; each carries a fresh dedupe key (a web request is never redelivered). */
export function toInboundMessage(chatId: string, input: WebInput): InboundMessage {
  return { channel: "web", chatId, userId: chatId, dedupeKey: `web:${randomUUID()}`, event: toInboundEvent(input) };
}
