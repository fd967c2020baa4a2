// The waitlist in the chat: joining it (from the reminder's «Перенести», in words or from the menu), and the offer of a freed
// slot with one tap to book it (src/domain/waitlist).
import { z } from "zod";
import { joinWaitlist, joinWaitlistFromChat, takeOffer } from "../../../../domain/waitlist/waitlist.ts";
import { defineAction } from "../../types.ts";
import type { EffectContext } from "../../types.ts";
import { templateKey } from "../say.ts";

const numberIn = (ctx: EffectContext, key: string): number | null => (typeof ctx.context[key] === "number" ? (ctx.context[key] as number) : null);
const SAMPLE_SLOT = { slot: { startsAt: new Date("2026-11-25T07:00:00.000Z"), doctor: "Громов Артур Сергеевич", service: "Лечение кариеса" } };

/** Puts the patient on the waitlist to move context.appointmentId earlier; RESULT joined or gone. */
export const joinWaitlistAction = defineAction({
  description: "Puts the patient on the waitlist for an earlier slot of the appointment in context.appointmentId (same doctor and service); RESULT joined or gone.",
  params: z.object({}).strict(),
  run: async (ctx) => {
    const appointmentId = numberIn(ctx, "appointmentId");
    if (ctx.scope.patientId === null || appointmentId === null) return ctx.raise("gone");
    const entry = await joinWaitlist(ctx.tx, { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, appointmentId, now: ctx.clock.now() });
    ctx.raise(entry ? "joined" : "gone");
  },
});

/** Puts the patient on the waitlist for their next visit (earlier) or their recommended one; result.visit or result.wanted; RESULT earlier, service or nothing. */
export const joinWaitlistFromChatAction = defineAction({
  description:
    "Puts the patient on the waitlist without an appointment named: their next booked visit, to move it earlier (result.visit, RESULT earlier), else their open follow-up's service and doctor (result.wanted, RESULT service); RESULT nothing when there is neither.",
  params: z.object({}).strict(),
  sampleResult: { visit: SAMPLE_SLOT.slot, wanted: { service: SAMPLE_SLOT.slot.service, doctor: SAMPLE_SLOT.slot.doctor } },
  run: async (ctx) => {
    if (ctx.scope.patientId === null) return ctx.raise("nothing");
    const joined = await joinWaitlistFromChat(ctx.tx, { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, now: ctx.clock.now() });
    if (joined.for === "earlier") ctx.result.visit = joined.visit;
    if (joined.for === "service") ctx.result.wanted = { service: joined.service, doctor: joined.doctor };
    ctx.raise(joined.for);
  },
});

/** Offers the freed slot in context.slotId with take/skip; RESULT gone when it was booked or the entry is done meanwhile. */
export const offerFreedSlot = defineAction({
  asks: true,
  description: "Offers the freed slot in context.slotId to the waitlist entry in context.entryId, options take/skip; result.slot; RESULT gone if no longer free or wanted.",
  params: z
    .object({
      template: templateKey.default("waitlist.offer"),
      take: templateKey.default("waitlist.option-take"),
      skip: templateKey.default("waitlist.option-skip"),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.take, p.skip],
  sampleResult: SAMPLE_SLOT,
  run: async (ctx, p) => {
    const slotId = numberIn(ctx, "slotId");
    const entryId = numberIn(ctx, "entryId");
    if (slotId === null || entryId === null || ctx.scope.patientId === null) return ctx.raise("gone");
    const slot = await ctx.tx.slot.findFirst({ where: { id: slotId, clinicId: ctx.scope.clinicId, status: "free", startsAt: { gt: ctx.clock.now() } } });
    const entry = await ctx.tx.waitlistEntry.findFirst({ where: { id: entryId, patientId: ctx.scope.patientId, status: "waiting" } });
    if (!slot || !entry) return ctx.raise("gone");
    ctx.result.slot = { startsAt: slot.startsAt, doctor: slot.doctor, service: slot.service };
    await ctx.say({ template: p.template, options: [{ value: "take", label: p.take }, { value: "skip", label: p.skip }] });
  },
});

/** The tap: books the offered slot (moving the patient's appointment); result.appointment; RESULT booked, taken or gone. */
export const takeFreedSlot = defineAction({
  description: "Books the slot in context.slotId for the waitlist entry in context.entryId (moves its appointment), atomically; result.appointment; RESULT booked, taken or gone.",
  params: z.object({}).strict(),
  sampleResult: { appointment: SAMPLE_SLOT.slot },
  run: async (ctx) => {
    const slotId = numberIn(ctx, "slotId");
    const entryId = numberIn(ctx, "entryId");
    if (slotId === null || entryId === null || ctx.scope.patientId === null) return ctx.raise("gone");
    const result = await takeOffer(ctx.tx, { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, entryId, slotId, now: ctx.clock.now() });
    if (!result.booked) return ctx.raise(result.why);
    ctx.result.appointment = result.appointment;
    ctx.raise("booked");
  },
});
