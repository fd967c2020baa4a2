// Free text no conversation took: where it goes instead of the menu. A clear wish of its own
// (a person, a stop, a booking, the waitlist, what the menu offers) starts its flow; while the chat waits for staff, or when the
// message is a question, a complaint, an answer to a staff member's message or a sentence nobody
// planned for, it goes to a person.
import type { Tx } from "../db/client.ts";
import { CLEAR, FREE_TEXT_INTENTS } from "../domain/understanding/index.ts";
import type { Intent, Reading } from "../domain/understanding/index.ts";
import type { FlowCatalog, LoadedFlow } from "../flows/loader/catalog.ts";

/** Meanings a person should read even when nothing waits for staff. */
const FOR_A_PERSON: readonly Intent[] = ["urgent", "complaint", "question", "dissatisfied", "person", "booking", "waitlist", "balance", "visits", "referral", "consents", "gift"];
/** A message of this many words that CareBot cannot read is still somebody's question. */
const SENTENCE_WORDS = 3;
/** «Спасибо вам большое, доктор» is a thank-you; a longer message says something more. */
const THANKS_WORDS = 5;
/** How long a message a staff member wrote to the patient keeps the patient's answers theirs. */
const ANSWERS_STAFF_MS = 3 * 86_400_000;

export interface FreeTextChoice {
  flow: LoadedFlow;
  /** Values for the flow's context (the note flow gets the text as `note`). */
  context?: Record<string, unknown>;
}

export async function flowForFreeText(
  tx: Tx,
  input: { catalog: FlowCatalog; identityId: number; text: string; reading: Reading; noteFlowId: string; now: Date },
): Promise<FreeTextChoice | null> {
  const { catalog, reading, text } = input;
  const waiting = await tx.escalation.findFirst({ where: { identityId: input.identityId, status: { in: ["open", "taken"] } }, select: { id: true } });
  // The chat's last word was a staff member's (written first from the patient card, or a reply):
  // «Спасибо! А когда можно подъехать?» answers them, not the bot.
  const last = await tx.message.findFirst({ where: { identityId: input.identityId, direction: "outbound" }, orderBy: { id: "desc" }, select: { operatorId: true, createdAt: true } });
  const answersStaff = last?.operatorId != null && input.now.getTime() - last.createdAt.getTime() < ANSWERS_STAFF_MS;
  const own = reading.confidence >= CLEAR && (FREE_TEXT_INTENTS as readonly Intent[]).includes(reading.intent) ? catalog.byIntent(reading.intent) : undefined;
  // «Жду звонка» while a person already has the chat is a note for them, not a second request.
  if (own && !(waiting && reading.intent === "person")) return { flow: own };
  const note = catalog.get(input.noteFlowId);
  if (!note) return null;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  // «Спасибо!» after a greeting or a link, with nobody to pass it to: a warm word back, not the menu.
  // A longer message or a question beside it («спасибо, а когда можно подъехать?») is still for a person.
  if (reading.intent === "thanks" && reading.confidence >= CLEAR && words <= THANKS_WORDS && !text.includes("?") && !waiting && !answersStaff) return { flow: note, context: { note: text.trim(), thanked: true } };
  if (waiting || answersStaff || FOR_A_PERSON.includes(reading.intent) || (reading.intent === "unknown" && words >= SENTENCE_WORDS)) {
    return { flow: note, context: { note: text.trim() } };
  }
  return null;
}
