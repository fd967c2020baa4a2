// Buttons under a message about a ward (a child's reminder in their mother's chat) carry the
// ward's id: with two children's reminders in one chat, a tap under Misha's answers Misha's
// conversation even after Masha's has started (src/conversations/about-ward.ts).
import type { InboundEvent } from "../events.ts";

const WARD_CHOICE = /^w(\d+):(.+)$/s;

/** `w12:confirm`: the option `confirm` of a conversation about patient 12. */
export function wardChoice(wardId: number, value: string): string {
  return `w${wardId}:${value}`;
}

/** The ward a tapped button was about and the flow's own event, or null for any other event. */
export function readWardChoice(event: InboundEvent): { wardId: number; event: InboundEvent } | null {
  if (event.type !== "CHOICE") return null;
  const m = WARD_CHOICE.exec(event.value);
  return m ? { wardId: Number(m[1]), event: { ...event, value: m[2]! } } : null;
}
