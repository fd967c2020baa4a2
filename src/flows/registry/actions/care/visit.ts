// The appointment loop in the chat: a reminder with Подтверждаю / Перенести / Отменить, and what
// each answer does (src/domain/appointments). The conversation's context names the appointment.
import { DateTime } from "luxon";
import { z } from "zod";
import { freeSlots } from "../../../../domain/appointments/book.ts";
import { bookedAppointment, cancelAppointment, confirmAppointment, moveAppointment } from "../../../../domain/appointments/manage.ts";
import { defineAction } from "../../types.ts";
import type { EffectContext } from "../../types.ts";
import { templateKey } from "../say.ts";
import { mayNameProcedure } from "../../../../domain/consents/medical.ts";

const SLOT_PREFIX = "slot-";

/** The appointment the conversation is about, with who and when; null without a patient or an id. */
function scopeOf(ctx: EffectContext) {
  const appointmentId = typeof ctx.context.appointmentId === "number" ? ctx.context.appointmentId : null;
  if (ctx.scope.patientId === null || appointmentId === null) return null;
  return { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, appointmentId, now: ctx.clock.now() };
}

const visitOf = (slot: { startsAt: Date; doctor: string; service: string }) => ({ startsAt: slot.startsAt, doctor: slot.doctor, service: slot.service });

/** The visit as a message may say it: without the service unless the medical consent allows naming it. */
async function shownVisitOf(ctx: EffectContext, slot: { startsAt: Date; doctor: string; service: string }) {
  const named = ctx.scope.patientId !== null && (await mayNameProcedure(ctx.tx, ctx.scope.patientId, Boolean(ctx.scope.guardianId)));
  return { ...visitOf(slot), service: named ? slot.service : "" };
}
const SAMPLE_VISIT = { visit: { startsAt: new Date("2026-11-25T07:00:00.000Z"), doctor: "Громов Артур Сергеевич", service: "Лечение кариеса" } };

/** A slot's date and time as a button reads it, in the patient's zone and language (at most 20 characters). */
export function slotLabel(ctx: EffectContext, startsAt: Date): string {
  const view = ctx.view();
  const text = DateTime.fromJSDate(startsAt, { zone: view.timezone }).setLocale(view.locale).toFormat(view.locale === "ru" ? "ccc, d MMM, HH:mm" : "ccc, d MMM, h:mm a");
  return text.slice(0, 20);
}

/** The reminder itself; RESULT gone when the appointment was cancelled or moved meanwhile (nothing is said). */
export const remindVisit = defineAction({
  asks: true,
  description: "Reminds of the appointment in context.appointmentId (date, time, doctor, address) with confirm/reschedule/cancel; RESULT gone if it is no longer booked.",
  params: z
    .object({
      template: templateKey.default("visit.reminder"),
      confirm: templateKey.default("visit.option-confirm"),
      reschedule: templateKey.default("visit.option-reschedule"),
      cancel: templateKey.default("visit.option-cancel"),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.confirm, p.reschedule, p.cancel],
  sampleResult: SAMPLE_VISIT,
  run: async (ctx, p) => {
    const scope = scopeOf(ctx);
    const appointment = scope ? await bookedAppointment(ctx.tx, scope) : null;
    if (!appointment) return ctx.raise("gone");
    ctx.result.visit = await shownVisitOf(ctx, appointment.slot);
    await ctx.say({
      template: p.template,
      options: [
        { value: "confirm", label: p.confirm },
        { value: "reschedule", label: p.reschedule },
        { value: "cancel", label: p.cancel },
      ],
    });
  },
});

/** Records the confirmation; RESULT confirmed or gone. */
export const confirmVisit = defineAction({
  description: "Records that the patient confirmed the appointment in context.appointmentId; RESULT confirmed or gone.",
  params: z.object({}).strict(),
  sampleResult: SAMPLE_VISIT,
  run: async (ctx) => {
    const scope = scopeOf(ctx);
    if (!scope) return ctx.raise("gone");
    const appointment = await bookedAppointment(ctx.tx, scope);
    if (!appointment || !(await confirmAppointment(ctx.tx, scope))) return ctx.raise("gone");
    ctx.result.visit = visitOf(appointment.slot);
    ctx.raise("confirmed");
  },
});

/** Cancels with the reason the patient gave (context.cancelReason, optional) and frees the slot; RESULT cancelled or gone. */
export const cancelVisit = defineAction({
  description: "Cancels the appointment in context.appointmentId with context.cancelReason (optional), freeing its slot; RESULT cancelled or gone.",
  params: z.object({}).strict(),
  run: async (ctx) => {
    const scope = scopeOf(ctx);
    const reason = typeof ctx.context.cancelReason === "string" && ctx.context.cancelReason.trim() ? ctx.context.cancelReason.trim() : null;
    const done = scope ? await cancelAppointment(ctx.tx, { ...scope, reason }) : false;
    ctx.raise(done ? "cancelled" : "gone");
  },
});

/** The next free slots of the same doctor and service, with "другое время"; RESULT none or gone. */
export const offerVisitSlots = defineAction({
  asks: true,
  description: "Offers up to `count` next free slots of the appointment's doctor and service as options slot-<id>, plus other; RESULT none or gone.",
  params: z
    .object({
      template: templateKey.default("visit.offer"),
      other: templateKey.default("rebook.option-other"),
      /** A label for "tell me if an earlier time frees up" (the waitlist); left out, no such option. */
      earlier: templateKey.optional(),
      count: z.number().int().min(1).max(8).default(3),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.other, ...(p.earlier ? [p.earlier] : [])],
  sampleResult: SAMPLE_VISIT,
  run: async (ctx, p) => {
    const scope = scopeOf(ctx);
    const appointment = scope ? await bookedAppointment(ctx.tx, scope) : null;
    if (!appointment) return ctx.raise("gone");
    ctx.result.visit = visitOf(appointment.slot);
    const slots = await freeSlots(ctx.tx, {
      clinicId: ctx.scope.clinicId,
      service: appointment.slot.service,
      doctor: appointment.slot.doctor,
      after: ctx.clock.now(),
      limit: p.count,
      exceptSlotId: appointment.slotId,
    });
    if (slots.length === 0) return ctx.raise("none");
    await ctx.say({
      template: p.template,
      options: [
        ...slots.map((s) => ({ value: `${SLOT_PREFIX}${s.id}`, text: slotLabel(ctx, s.startsAt) })),
        { value: "other", label: p.other },
        ...(p.earlier ? [{ value: "earlier", label: p.earlier }] : []),
      ],
    });
  },
});

/** Moves the appointment to the slot picked (CHOICE slot-<id>), atomically; result.appointment; RESULT moved, taken or gone. */
export const moveVisit = defineAction({
  description: "Moves the appointment in context.appointmentId to the slot picked (CHOICE slot-<id>), freeing the old one; result.appointment; RESULT moved, taken or gone.",
  params: z.object({}).strict(),
  sampleResult: { appointment: SAMPLE_VISIT.visit },
  run: async (ctx) => {
    const scope = scopeOf(ctx);
    const value = ctx.event?.type === "CHOICE" ? String(ctx.event.value) : "";
    const slotId = Number(value.slice(SLOT_PREFIX.length));
    if (!scope || !value.startsWith(SLOT_PREFIX) || !Number.isInteger(slotId)) return ctx.raise("taken");
    const result = await moveAppointment(ctx.tx, { ...scope, toSlotId: slotId });
    if (!result.moved) return ctx.raise(result.why);
    ctx.result.appointment = visitOf(result.appointment.slot);
    ctx.raise("moved");
  },
});
