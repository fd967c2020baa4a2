// The patient's consents in the chat (flows/consents.json): each with its date, and a button to
// withdraw or give it. A change is recorded at once and rules the next message (src/domain/consents).
import { z } from "zod";
import { CONSENT_KINDS, currentConsents, recordConsent, textVersionOf } from "../../../domain/consents/index.ts";
import type { ConsentKind, ConsentState } from "../../../domain/consents/index.ts";
import { defineAction } from "../types.ts";
import { templateKey } from "./say.ts";

/** What a template shows of one consent: given (in force), withdrawn, and when. */
interface ShownConsent {
  given: boolean;
  withdrawn: boolean;
  at: Date | null;
}

/** Care messages need no consent of their own (docs/consents.md): "on" unless the patient withdrew them. */
function isOn(kind: ConsentKind, state: ConsentState | null): boolean {
  return kind === "care_messages" ? state?.granted !== false : state?.granted === true;
}

function shown(state: ConsentState | null): ShownConsent {
  return { given: state?.granted === true, withdrawn: state?.granted === false, at: state?.at ?? null };
}

const SAMPLE: Record<ConsentKind, ShownConsent> = {
  personal_data: { given: true, withdrawn: false, at: new Date("2025-11-01T09:00:00.000Z") },
  care_messages: { given: false, withdrawn: false, at: null },
  advertising: { given: false, withdrawn: true, at: new Date("2026-11-20T09:00:00.000Z") },
  medical: { given: true, withdrawn: false, at: new Date("2025-11-01T09:00:00.000Z") },
};

/** A button's value: `advertising:revoke`, `care_messages:grant`. */
export const consentChoice = z.string().regex(new RegExp(`^(${CONSENT_KINDS.join("|")}):(grant|revoke)$`));

export const showConsents = defineAction({
  asks: true,
  description:
    "Shows the patient's consents (result.consents.<kind>: given, withdrawn, at; result.change after changeConsent) with a button per kind to withdraw or give it (value <kind>:revoke|grant) and one to finish (value done).",
  params: z
    .object({
      template: templateKey.default("consents.list"),
      done: templateKey.default("consents.option-done"),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.done, ...CONSENT_KINDS.flatMap((k) => [`consents.option-${k}-revoke`, `consents.option-${k}-grant`])],
  sampleResult: { consents: SAMPLE, change: { kind: "advertising", granted: false } },
  run: async (ctx, p) => {
    if (ctx.scope.patientId === null) return;
    const states = await currentConsents(ctx.tx, ctx.scope.patientId);
    ctx.result.consents = Object.fromEntries(CONSENT_KINDS.map((k) => [k, shown(states[k])]));
    const options = CONSENT_KINDS.map((k) => {
      const action = isOn(k, states[k]) ? "revoke" : "grant";
      return { value: `${k}:${action}`, label: `consents.option-${k}-${action}` };
    });
    await ctx.say({ template: p.template, options: [...options, { value: "done", label: p.done }] });
  },
});

export const changeConsent = defineAction({
  description:
    "Records the consent change the patient chose (the CHOICE <kind>:grant|revoke) from the chat, its text version a hash of the list message they saw; result.change { kind, granted }.",
  params: z.object({}).strict(),
  sampleResult: { change: { kind: "advertising", granted: false } },
  run: async (ctx) => {
    const choice = consentChoice.safeParse(ctx.event?.type === "CHOICE" ? ctx.event.value : undefined);
    if (!choice.success || ctx.scope.patientId === null) return;
    const [kind, action] = choice.data.split(":") as [ConsentKind, "grant" | "revoke"];
    // The words the patient agreed to are the list they tapped under: its hash is the proof's text version.
    const shownText = await ctx.tx.message.findFirst({
      where: { conversationId: ctx.scope.conversationId, direction: "outbound" },
      orderBy: { id: "desc" },
      select: { id: true, text: true },
    });
    const now = ctx.clock.now();
    await recordConsent(
      ctx.tx,
      {
        clinicId: ctx.scope.clinicId,
        patientId: ctx.scope.patientId,
        kind,
        granted: action === "grant",
        at: now,
        source: "chat",
        textVersion: textVersionOf(`chat:${ctx.scope.flowId}`, shownText?.text ?? ""),
        note: shownText ? `message ${shownText.id}` : null,
      },
    );
    ctx.result.change = { kind, granted: action === "grant" };
  },
});
