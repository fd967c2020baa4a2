import type { Tx } from "../../db/client.ts";
import { newReferralCode } from "./code.ts";
import { codeFrom } from "./links.ts";

export type AttributionOutcome = "attributed" | "unknown_code" | "own_code" | "already_patient" | "already_referred";

/**
 * Credits a referrer with a new patient. Refused: an unknown code, the patient's own code, a
 * person who already came to the clinic (a completed visit), and a second referral.
 */
export async function attributeReferral(tx: Tx, input: { clinicId: number; refereeId: number; codeText: string; now: Date }): Promise<{ outcome: AttributionOutcome; referrerId?: number }> {
  const code = codeFrom(input.codeText);
  const referrer = code ? await tx.patient.findUnique({ where: { clinicId_referralCode: { clinicId: input.clinicId, referralCode: code } } }) : null;
  if (!code || !referrer) return { outcome: "unknown_code" };
  if (referrer.id === input.refereeId) return { outcome: "own_code" };
  if (await tx.referral.findUnique({ where: { refereeId: input.refereeId } })) return { outcome: "already_referred" };
  if ((await tx.visit.count({ where: { patientId: input.refereeId, status: "completed" } })) > 0) return { outcome: "already_patient" };
  await tx.referral.create({ data: { clinicId: input.clinicId, code, referrerId: referrer.id, refereeId: input.refereeId, createdAt: input.now } });
  return { outcome: "attributed", referrerId: referrer.id };
}

/**
 * A newcomer who came through a friend's link is not in the clinic's records yet: keep them as a
 * lead with the phone they shared, so the MIS finds them by phone when they register.
 */
export async function createLead(tx: Tx, input: { clinicId: number; identityId: number; phone: string; name: string | null; now: Date }) {
  const patient = await tx.patient.create({
    data: {
      clinicId: input.clinicId,
      externalId: `lead-${input.identityId}`,
      fullName: input.name?.trim() || input.phone,
      phone: input.phone,
      source: "referral",
      tags: ["lead"],
      referralCode: newReferralCode(),
      consentAt: input.now,
      consentSource: "chat",
    },
  });
  await tx.bonusAccount.create({ data: { clinicId: input.clinicId, patientId: patient.id } });
  await tx.channelIdentity.update({ where: { id: input.identityId }, data: { patientId: patient.id, linkedAt: input.now, phone: input.phone } });
  return patient;
}
