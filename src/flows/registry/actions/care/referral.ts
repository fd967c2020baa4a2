import { z } from "zod";
import { attributeReferral, createLead } from "../../../../domain/referrals/attribute.ts";
import { referralLinks } from "../../../../domain/referrals/links.ts";
import { normalizePhone } from "../../../../domain/patients/phone.ts";
import { defineAction } from "../../types.ts";

/** The patient's own code and links to share; rewards as the clinic set them. */
export const referralShare = defineAction({
  description: "Puts the patient's referral code and share links in result.referral.",
  params: z.object({}).strict(),
  sampleResult: {
    referral: { code: "ABC234", telegram: "https://t.me/clinic_bot?start=ref_ABC234", max: "https://max.ru/clinic_bot?start=ref_ABC234", whatsapp: "https://wa.me/74951234567?text=ABC234", referrerReward: 500, refereeReward: 300 },
  },
  run: async (ctx) => {
    if (ctx.scope.patientId === null) throw new Error("referralShare needs a linked patient");
    const patient = await ctx.tx.patient.findUniqueOrThrow({ where: { id: ctx.scope.patientId } });
    const settings = ctx.scope.clinic.settings;
    const text = `${ctx.scope.clinic.name}: код приглашения ${patient.referralCode}`;
    const links = referralLinks({ code: patient.referralCode, telegramBot: settings.telegramBot, maxBot: settings.maxBot, clinicPhone: settings.phone, text });
    ctx.result.referral = {
      code: patient.referralCode,
      telegram: links.telegram ?? "",
      max: links.max ?? "",
      whatsapp: links.whatsapp ?? "",
      referrerReward: settings.bonus.referrerReward,
      refereeReward: settings.bonus.refereeReward,
    };
  },
});

/**
 * Credits the referrer of the code in context.code. Reports: attributed, own_code,
 * already_patient, already_referred, unknown_code, or needs_contact (the chat is not linked yet).
 */
export const attributeReferralAction = defineAction({
  description: "Attributes the patient to the referrer whose code is in context.code; reports the outcome as a RESULT.",
  params: z.object({}).strict(),
  sampleResult: { invitation: { referrerReward: 500, refereeReward: 300 } },
  run: async (ctx) => {
    const rules = ctx.scope.clinic.settings.bonus;
    ctx.result.invitation = { referrerReward: rules.referrerReward, refereeReward: rules.refereeReward };
    if (ctx.scope.patientId === null) return ctx.raise("needs_contact");
    const { outcome } = await attributeReferral(ctx.tx, {
      clinicId: ctx.scope.clinicId,
      refereeId: ctx.scope.patientId,
      codeText: String(ctx.context.code ?? ""),
      now: ctx.clock.now(),
    });
    ctx.raise(outcome);
  },
});

/**
 * A newcomer shared their own contact: link the chat to the clinic's patient with that number
 * (the router already tried), or register them as a lead the clinic will call.
 */
export const linkReferee = defineAction({
  description: "Links a newcomer's chat by the contact they shared, registering them as a lead when the clinic does not know them.",
  params: z.object({}).strict(),
  run: async (ctx) => {
    if (ctx.scope.patientId !== null) return;
    if (ctx.event?.type !== "CONTACT" || !ctx.event.own) throw new Error("linkReferee needs the patient's own shared contact");
    const phone = normalizePhone(ctx.event.phone);
    if (!phone) throw new Error("the shared contact has no valid phone number");
    const identity = await ctx.tx.channelIdentity.findUniqueOrThrow({ where: { id: ctx.scope.identityId } });
    const lead = await createLead(ctx.tx, { clinicId: ctx.scope.clinicId, identityId: ctx.scope.identityId, phone, name: identity.displayName, now: ctx.clock.now() });
    ctx.linkPatient(lead);
  },
});
