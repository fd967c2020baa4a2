// A patient's guardians as the MIS or an import names them: another patient by their MIS id, or a
// contact by phone (a parent who is not the clinic's patient). Validated with the patient's schema.
import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { normalizePhone } from "../patients/phone.ts";
import { saysParams } from "../../i18n/zod.ts";
import { newReferralCode } from "../referrals/code.ts";
import { ensureAccount } from "../bonus/ledger.ts";
import { guardianRelation, setGuardian } from "./guardians.ts";
import type { GuardianRelation } from "./guardians.ts";

const guardianPhone = z.string({ error: "must be a phone number (text)" }).transform((raw, ctx) => {
  const e164 = normalizePhone(raw);
  if (!e164) {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not a valid phone number`, params: saysParams("phoneInvalid", { value: raw }) });
    return z.NEVER;
  }
  return e164;
});

export const guardianInput = z
  .object(
    {
      /** The guardian's own record in the MIS, when they are a patient too. */
      externalId: z.string({ error: "must be text" }).trim().min(1, "must not be empty").max(100, "is too long (100 characters at most)").optional(),
      /** The phone their messenger is on: how their chat finds them. */
      phone: guardianPhone.optional(),
      /** For a contact who is not a patient: how to call them («Петрова Анна»). */
      fullName: z.string({ error: "must be text" }).trim().max(200, "is too long (200 characters at most)").optional(),
      relation: guardianRelation.default("parent"),
    },
    { error: "must be a JSON object" },
  )
  .refine((g) => g.externalId !== undefined || g.phone !== undefined, { message: "needs the guardian's externalId or phone" });

export type GuardianInput = z.output<typeof guardianInput>;

/**
 * Ties the ward to each guardian: a patient by MIS id (who must exist), else the clinic's patient
 * with that phone, else a new contact record under the phone (`guardian-<digits>`) that their chat
 * links to when they share their contact. Returns the guardians' ids in the input's order.
 */
export async function applyGuardians(tx: Tx, clinicId: number, wardId: number, guardians: GuardianInput[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, g] of guardians.entries()) {
    const id = await resolveGuardian(tx, clinicId, wardId, g);
    if (id === null) throw new GuardianNotFound(`guardians.${i}.externalId`, `no patient "${g.externalId ?? ""}"`);
    await setGuardian(tx, { clinicId, guardianId: id, wardId, relation: g.relation as GuardianRelation });
    ids.push(id);
  }
  return ids;
}

/** A guardian named by an MIS id the clinic has no patient for. */
export class GuardianNotFound extends Error {
  constructor(
    /** The input's field, "guardians.0.externalId" or "consents.1.byGuardian". */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

async function resolveGuardian(tx: Tx, clinicId: number, wardId: number, g: GuardianInput): Promise<number | null> {
  if (g.externalId !== undefined) {
    const found = await tx.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId: g.externalId } }, select: { id: true } });
    return found?.id ?? null;
  }
  const phone = g.phone!;
  const byPhone = await tx.patient.findFirst({ where: { clinicId, phone, erasedAt: null, id: { not: wardId } }, orderBy: { id: "asc" }, select: { id: true } });
  if (byPhone) return byPhone.id;
  const contact = await tx.patient.create({
    data: {
      clinicId,
      externalId: `guardian-${phone.replace(/\D/g, "")}`,
      fullName: g.fullName?.trim() || phone,
      phone,
      tags: ["guardian"],
      source: "guardian",
      referralCode: newReferralCode(),
    },
    select: { id: true },
  });
  await ensureAccount(tx, clinicId, contact.id);
  return contact.id;
}
