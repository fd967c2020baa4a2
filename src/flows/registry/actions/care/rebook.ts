import { DateTime } from "luxon";
import { z } from "zod";
import { bookSlot, freeSlots } from "../../../../domain/appointments/book.ts";
import { queueMisChange } from "../../../../domain/appointments/mis-changes.ts";
import { maxRedeemable } from "../../../../domain/bonus/ledger.ts";
import { defineAction } from "../../types.ts";
import type { EffectContext } from "../../types.ts";
import { templateKey } from "../say.ts";

const SLOT_PREFIX = "slot-";
/** A service picked from the menu: `svc-<id of one of its free slots>` (option values cannot hold its name). */
const SERVICE_PREFIX = "svc-";

/** The service picked from the menu (context.serviceSlot), when the patient books without a follow-up. */
async function pickedService(ctx: EffectContext): Promise<string | null> {
  const picked = typeof ctx.context.serviceSlot === "string" ? ctx.context.serviceSlot : "";
  const slotId = Number(picked.slice(SERVICE_PREFIX.length));
  if (!picked.startsWith(SERVICE_PREFIX) || !Number.isInteger(slotId)) return null;
  const slot = await ctx.tx.slot.findFirst({ where: { id: slotId, clinicId: ctx.scope.clinicId }, select: { service: true } });
  return slot?.service ?? null;
}

/** The follow-up the conversation is about: context.followUpId, or the patient's most pressing open one. */
async function followUpOf(ctx: EffectContext) {
  if (ctx.scope.patientId === null) return null;
  const id = typeof ctx.context.followUpId === "number" ? ctx.context.followUpId : undefined;
  return ctx.tx.followUp.findFirst({
    where: { patientId: ctx.scope.patientId, status: "open", ...(id ? { id } : {}) },
    orderBy: [{ dueAt: "asc" }],
    include: { visit: { select: { amount: true } } },
  });
}

/**
 * Offers up to three free slots for the follow-up's service (and doctor) in the patient's time
 * zone, with "other time" and "not now"; says how much of the visit points can pay. Reports
 * offered, none (no free slot) or no_followup.
 */
export const offerSlots = defineAction({
  asks: true,
  description: "Offers up to 3 free slots for the patient's open follow-up as options slot-<id>, plus other/later; RESULT none or no_followup.",
  params: z
    .object({
      template: templateKey.default("rebook.offer"),
      /** The text when the patient books from the menu (no follow-up): the service they picked. */
      menuTemplate: templateKey.default("book.offer"),
      other: templateKey.default("rebook.option-other"),
      later: templateKey.default("rebook.option-later"),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.other, p.later, p.menuTemplate],
  sampleResult: { rebook: { service: "Лечение кариеса", doctor: "Громов Артур Сергеевич", count: 3, redeemable: 450 } },
  run: async (ctx, p) => {
    const found = await followUpOf(ctx);
    const service = found ? null : await pickedService(ctx);
    if (!found && !service) return ctx.raise("no_followup");
    // Booking from the menu: the service the patient picked, any doctor.
    const followUp = found ?? { service: service!, doctor: null, visit: null };
    const slots = await freeSlots(ctx.tx, { clinicId: ctx.scope.clinicId, service: followUp.service, doctor: followUp.doctor, after: ctx.clock.now() });
    if (slots.length === 0) {
      ctx.result.rebook = { service: followUp.service, doctor: followUp.doctor ?? "", count: 0, redeemable: 0 };
      return ctx.raise("none");
    }
    const view = ctx.view();
    const label = (d: Date) => {
      const text = DateTime.fromJSDate(d, { zone: view.timezone }).setLocale(view.locale).toFormat(view.locale === "ru" ? "ccc, d MMM, HH:mm" : "ccc, d MMM, h:mm a");
      return text.slice(0, 20);
    };
    const bill = followUp.visit?.amount ?? 0;
    ctx.result.rebook = {
      service: followUp.service,
      doctor: followUp.doctor ?? slots[0]!.doctor,
      count: slots.length,
      redeemable: maxRedeemable(ctx.facts.bonus.balance, bill, ctx.scope.clinic.settings.bonus),
    };
    await ctx.say({
      template: found ? p.template : p.menuTemplate,
      options: [
        ...slots.map((s) => ({ value: `${SLOT_PREFIX}${s.id}`, text: label(s.startsAt) })),
        { value: "other", label: p.other },
        { value: "later", label: p.later },
      ],
    });
  },
});

/** Books the slot the patient picked (CHOICE slot-<id>); reports booked or taken. */
export const bookChosenSlot = defineAction({
  description: "Books the slot picked (CHOICE slot-<id>) atomically; result.appointment; RESULT booked or taken.",
  params: z.object({}).strict(),
  sampleResult: { appointment: { startsAt: new Date("2026-11-25T07:00:00.000Z"), doctor: "Громов Артур Сергеевич", service: "Лечение кариеса" } },
  run: async (ctx) => {
    const value = ctx.event?.type === "CHOICE" ? ctx.event.value : "";
    const slotId = Number(value.slice(SLOT_PREFIX.length));
    if (ctx.scope.patientId === null || !value.startsWith(SLOT_PREFIX) || !Number.isInteger(slotId)) return ctx.raise("taken");
    const followUp = await followUpOf(ctx);
    const appointment = await bookSlot(ctx.tx, { clinicId: ctx.scope.clinicId, patientId: ctx.scope.patientId, slotId, followUpId: followUp?.id ?? null, now: ctx.clock.now() });
    if (!appointment) return ctx.raise("taken");
    await queueMisChange(ctx.tx, { clinicId: ctx.scope.clinicId, appointmentId: appointment.id, change: "booked", now: ctx.clock.now() });
    ctx.result.appointment = { startsAt: appointment.slot.startsAt, doctor: appointment.slot.doctor, service: appointment.slot.service };
    ctx.raise("booked");
  },
});

/** "Not now": the follow-up rests for a few days before CareBot asks again. */
export const snoozeFollowUp = defineAction({
  description:
    "Postpones reminders about the patient's open follow-up by `days` (default 3); RESULT snoozed, or none when there is no follow-up to remind of (a booking from the menu).",
  params: z.object({ days: z.number().int().min(1).max(60).default(3) }).strict(),
  run: async (ctx, p) => {
    const followUp = await followUpOf(ctx);
    if (!followUp) return ctx.raise("none");
    await ctx.tx.followUp.update({ where: { id: followUp.id }, data: { snoozedUntil: new Date(ctx.clock.now().getTime() + p.days * 86_400_000) } });
    ctx.raise("snoozed");
  },
});

/**
 * «Записаться» from the menu without a recommended visit: the services that have free slots
 * (up to 8, soonest first) as options svc-<slot>, plus «другое время»; RESULT none when nothing is free.
 */
export const offerServices = defineAction({
  asks: true,
  description: "Offers the services with free slots (up to 8) as options svc-<slot id>, plus other; RESULT none when no slot is free.",
  params: z
    .object({
      template: templateKey.default("book.choose-service"),
      other: templateKey.default("rebook.option-other"),
      reask: templateKey.optional(),
      maxInvalid: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  templates: (p) => [p.template, p.other],
  run: async (ctx, p) => {
    const soonest = await ctx.tx.slot.groupBy({
      by: ["service"],
      where: { clinicId: ctx.scope.clinicId, status: "free", startsAt: { gt: ctx.clock.now() } },
      _min: { id: true, startsAt: true },
      orderBy: { _min: { startsAt: "asc" } },
      take: 8,
    });
    if (soonest.length === 0) return ctx.raise("none");
    // A button holds 20 characters: a long service name is cut with an ellipsis.
    const short = (name: string) => (name.length <= 20 ? name : `${name.slice(0, 19)}…`);
    await ctx.say({
      template: p.template,
      options: [...soonest.map((g) => ({ value: `${SERVICE_PREFIX}${g._min.id}`, text: short(g.service) })), { value: "other", label: p.other }],
    });
  },
});
