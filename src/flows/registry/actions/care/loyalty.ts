// The chat's side of the loyalty program: a promo code the patient types, certificates given to
// a friend and received from one. The rules live in src/domain/loyalty; these only translate.
import { z } from "zod";
import { claimGift, certificatesOf, spendable, startGift } from "../../../../domain/loyalty/certificates/index.ts";
import { PromoRefused, redeemPromo } from "../../../../domain/loyalty/promo/index.ts";
import { defineAction } from "../../types.ts";
import { templateKey } from "../say.ts";

/** Options of the certificate chooser: `cert-<id>`. */
const CERT_PREFIX = "cert-";

/**
 * Uses the code in context.code for the patient (via the chat). Reports `ok`, or why not:
 * unknown, inactive, not_started, ended, used_up, already_used, wrong_service (never here:
 * the chat names no service).
 */
export const checkPromoCode = defineAction({
  description: "Uses the promo code in context.code for the patient; result.promo says what it gives; RESULT ok or the refusal's reason.",
  params: z.object({}).strict(),
  sampleResult: { promo: { code: "LETO2027", reward: "points", value: 500, description: "500 баллов в подарок", points: 500, discountPercent: 0, amountOff: 0, services: ["hygiene"], refusal: "already_used" } },
  run: async (ctx) => {
    const code = String(ctx.context.code ?? "").trim();
    ctx.result.promo = { code: code.toUpperCase() };
    // Like the other patient flows, this one starts only in a chat linked to a patient.
    if (ctx.scope.patientId === null) throw new Error("checkPromoCode needs a linked patient");
    try {
      const use = await redeemPromo(ctx.tx, {
        clinicId: ctx.scope.clinicId,
        patientId: ctx.scope.patientId,
        code,
        // One use per patient and code through the chat: typing it again is the same use.
        key: `${ctx.scope.patientId}:${code.replace(/\s+/g, "").toUpperCase()}`,
        via: "chat",
        rules: ctx.scope.clinic.settings.bonus,
        now: ctx.clock.now(),
      });
      // The same code typed again finds the first use: for the patient, it is already used.
      ctx.result.promo = { ...use, refusal: use.replayed ? "already_used" : "" };
      ctx.raise(use.replayed ? "already_used" : "ok");
    } catch (error) {
      if (!(error instanceof PromoRefused)) throw error;
      ctx.result.promo = { code: code.replace(/\s+/g, "").toUpperCase(), refusal: error.reason };
      ctx.raise(error.reason);
    }
  },
});

/** Lists the patient's certificates that can still pay as options; RESULT none when there are none. */
export const offerCertificates = defineAction({
  asks: true,
  description: "Offers the patient's spendable gift certificates as options cert-<id>; RESULT none when they hold none.",
  params: z.object({ template: templateKey.default("gift.choose"), reask: templateKey.optional(), maxInvalid: z.number().int().min(1).max(10).optional() }).strict(),
  templates: (p) => [p.template],
  run: async (ctx, p) => {
    if (ctx.scope.patientId === null) return ctx.raise("none");
    const now = ctx.clock.now();
    const held = (await certificatesOf(ctx.tx, ctx.scope.patientId, now)).filter(spendable);
    if (held.length === 0) return ctx.raise("none");
    const roubles = (kopecks: number) => `${Math.floor(kopecks / 100).toLocaleString("ru-RU").replace(/\u00a0/g, " ")} ₽`;
    await ctx.say({ template: p.template, options: held.slice(0, 8).map((c) => ({ value: `${CERT_PREFIX}${c.id}`, text: `${c.code} · ${roubles(c.balance)}` })) });
  },
});

/**
 * Makes the gift link of the certificate chosen (context.certificate = cert-<id>) and says it
 * (`template`, result.giftLink); `gone` when it is no longer the patient's to give.
 */
export const shareCertificate = defineAction({
  description: "Makes and says the gift link of the chosen certificate (context.certificate), or says `gone` when it is no longer the patient's to give.",
  params: z.object({ template: templateKey.default("gift.share"), gone: templateKey.default("gift.gone") }).strict(),
  templates: (p) => [p.template, p.gone],
  sampleResult: { giftLink: { telegram: "https://t.me/clinic_bot?start=gift_abcdefghjk", max: "https://max.ru/clinic_bot?start=gift_abcdefghjk", word: "gift_abcdefghjk", balance: 500000, expiresAt: new Date("2027-11-23T08:00:00Z") } },
  run: async (ctx, p) => {
    const id = Number(String(ctx.context.certificate ?? "").slice(CERT_PREFIX.length));
    const shared = ctx.scope.patientId !== null && Number.isInteger(id) && id > 0
      ? await startGift(ctx.tx, { clinicId: ctx.scope.clinicId, certificateId: id, ownerPatientId: ctx.scope.patientId, now: ctx.clock.now() })
      : null;
    if (!shared) return ctx.say({ template: p.gone });
    const { telegramBot, maxBot } = ctx.scope.clinic.settings;
    const word = `gift_${shared.token}`;
    ctx.result.giftLink = {
      telegram: telegramBot ? `https://t.me/${telegramBot.replace(/^@/, "")}?start=${word}` : "",
      max: maxBot ? `https://max.ru/${maxBot.replace(/^@/, "")}?start=${word}` : "",
      word,
      balance: shared.certificate.balance,
      expiresAt: shared.certificate.expiresAt,
    };
    await ctx.say({ template: p.template });
  },
});

/**
 * The friend opened a gift link (context.token): the certificate becomes theirs. Reports claimed,
 * own, unknown, expired, or needs_contact when the chat is not linked to a patient yet.
 */
export const receiveCertificate = defineAction({
  description: "Gives the certificate of the gift link in context.token to the patient; result.certificate; RESULT claimed, own, unknown, expired or needs_contact.",
  params: z.object({}).strict(),
  sampleResult: { certificate: { code: "GC-7KQ4-M2XD", balance: 500000, expiresAt: new Date("2027-11-23T08:00:00Z"), outcome: "own" } },
  run: async (ctx) => {
    if (ctx.scope.patientId === null) return ctx.raise("needs_contact");
    const { outcome, certificate } = await claimGift(ctx.tx, { clinicId: ctx.scope.clinicId, token: String(ctx.context.token ?? ""), patientId: ctx.scope.patientId, now: ctx.clock.now() });
    ctx.result.certificate = { code: certificate?.code ?? "", balance: certificate?.balance ?? 0, expiresAt: certificate?.expiresAt ?? ctx.clock.now(), outcome };
    ctx.raise(outcome);
  },
});
