// A patient as the clinic's MIS describes it (POST /api/patients, `carebot import patients`):
// one zod schema for both, and one upsert by the MIS's own id.
import { z } from "zod";
import type { Prisma, Tx } from "../../db/client.ts";
import { isValidTimeZone } from "../../util/timezone.ts";
import { ensureAccount } from "../bonus/ledger.ts";
import { newReferralCode } from "../referrals/code.ts";
import { birthMonthDay } from "./birthday.ts";
import { normalizePhone } from "./phone.ts";
import { saysParams } from "../../i18n/zod.ts";
import { LANGS } from "../../i18n/lang.ts";
import { CONSENT_KINDS } from "../consents/kinds.ts";
import { recordConsent } from "../consents/record.ts";
import { applyGuardians, GuardianNotFound, guardianInput } from "../families/guardian-input.ts";

/** The languages a patient may be written to in: CareBot's. */
export const PATIENT_LOCALES = LANGS;

/** "is required" when the field is missing, otherwise what it must be. */
export const required = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`);

/** Trimmed, non-empty text of at most `max` characters. */
export const requiredText = (max: number) =>
  z
    .string({ error: required("text") })
    .trim()
    .min(1, "must not be empty")
    .max(max, `is too long (${max} characters at most)`);

const optionalText = (max: number) => z.string({ error: "must be text" }).trim().max(max, `is too long (${max} characters at most)`);

/** The runtime's own spelling of a zone ("europe/moscow" → "Europe/Moscow"). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
}

const phone = z.string({ error: required("a phone number (text)") }).transform((raw, ctx) => {
  const e164 = normalizePhone(raw);
  if (!e164) {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not a valid phone number`, params: saysParams("phoneInvalid", { value: raw }) });
    return z.NEVER;
  }
  return e164;
});

const birthDate = z.string({ error: 'must be a date "YYYY-MM-DD"' }).transform((raw, ctx) => {
  const value = raw.trim();
  if (!z.iso.date().safeParse(value).success || value < "1900-01-01") {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not a date "YYYY-MM-DD"`, params: saysParams("birthDateInvalid", { value: raw }) });
    return z.NEVER;
  }
  return value;
});

const timezone = z.string({ error: 'must be an IANA time zone such as "Europe/Moscow"' }).transform((raw, ctx) => {
  const value = raw.trim();
  // Offsets ("+03:00") and abbreviations ("MSK") are not zones: they ignore the zone's rules.
  if (!/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/.test(value) || !isValidTimeZone(value)) {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not an IANA time zone such as "Europe/Moscow"`, params: saysParams("timeZoneInvalid", { value: raw }) });
    return z.NEVER;
  }
  return canonicalZone(value);
});

/** One consent as the MIS or an import sends it (docs/consents.md). */
const consentInput = z.object(
  {
    kind: z.enum(CONSENT_KINDS, { error: `must be one of ${CONSENT_KINDS.join(", ")}` }),
    granted: z.boolean({ error: "must be true (given) or false (withdrawn)" }).default(true),
    at: z.iso.datetime({ offset: true, error: 'must be a date and time with its zone, "2026-09-01T10:00:00+03:00"' }).transform((v) => new Date(v)),
    source: z.enum(["mis", "import", "paper"], { error: "must be mis, import or paper" }).default("mis"),
    /** The version of the consent text the patient signed or agreed to. */
    textVersion: requiredText(100),
    note: optionalText(200).optional(),
    /** Given by the patient's guardian (the first of `guardians`, else the one on record): a parent for a child. */
    byGuardian: z.boolean({ error: "must be true or false" }).default(false),
  },
  { error: "must be a JSON object" },
);

export const patientInputSchema = z.object(
  {
    externalId: requiredText(100),
    fullName: requiredText(200),
    /** The given name when the MIS keeps it apart («Анна»); otherwise told from fullName. */
    firstName: optionalText(100)
      .transform((v) => v || null)
      .nullable()
      .optional(),
    phone,
    /** Optional fields: absent leaves the stored value alone, null clears it. */
    birthDate: birthDate.nullable().optional(),
    timezone: timezone.nullable().optional(),
    locale: z.enum(PATIENT_LOCALES, { error: 'must be "ru" or "en"' }).nullable().optional(),
    tags: z
      .array(optionalText(50).min(1, "must not be empty"), { error: "must be a list of text tags" })
      .max(50, "has too many tags (50 at most)")
      .transform((tags) => [...new Set(tags)])
      .optional(),
    source: optionalText(100)
      .transform((v) => v || null)
      .nullable()
      .optional(),
    /** Consents the clinic holds (a form signed at the desk, the MIS's own records): each recorded once. */
    consents: z.array(consentInput, { error: "must be a list of consents" }).max(30, "has too many consents (30 at most)").optional(),
    /** Who looks after the patient (a child, an elderly parent) and is written to about them (src/domain/families). */
    guardians: z.array(guardianInput, { error: "must be a list of guardians" }).max(5, "has too many guardians (5 at most)").optional(),
  },
  { error: "must be a JSON object" },
);

export type PatientInput = z.output<typeof patientInputSchema>;

export interface UpsertPatientResult {
  id: number;
  externalId: string;
  created: boolean;
}

async function freeReferralCode(tx: Tx, clinicId: number): Promise<string> {
  // 31^6 ≈ 887 million codes: a collision is rare, several in a row mean something else is wrong.
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = newReferralCode();
    const taken = await tx.patient.findUnique({ where: { clinicId_referralCode: { clinicId, referralCode: code } }, select: { id: true } });
    if (!taken) return code;
  }
  throw new Error("could not find a free referral code in 20 attempts");
}

/**
 * Creates the clinic's patient with this MIS id (with a referral code and a bonus account), or
 * updates the fields that changed. Fields left out of the input keep their stored values.
 */
export async function upsertPatient(tx: Tx, clinicId: number, input: PatientInput): Promise<UpsertPatientResult> {
  const result = await upsertPatientRecord(tx, clinicId, input);
  const guardianIds = await applyGuardians(tx, clinicId, result.id, input.guardians ?? []);
  for (const [i, c] of (input.consents ?? []).entries()) {
    const guardianId = c.byGuardian ? (guardianIds[0] ?? (await tx.guardianship.findFirst({ where: { wardId: result.id }, orderBy: { id: "asc" } }))?.guardianId) : null;
    if (c.byGuardian && !guardianId) throw new GuardianNotFound(`consents.${i}.byGuardian`, "the patient has no guardian");
    await recordConsent(tx, { clinicId, patientId: result.id, kind: c.kind, granted: c.granted, at: c.at, source: c.source, textVersion: c.textVersion, note: c.note ?? null, guardianId: guardianId ?? null });
  }
  return result;
}

async function upsertPatientRecord(tx: Tx, clinicId: number, input: PatientInput): Promise<UpsertPatientResult> {
  // A newcomer who came through a friend's link was kept as a lead under their phone: the MIS's
  // record of the same person adopts it, with its referral, chats and points.
  const existing =
    (await tx.patient.findUnique({ where: { clinicId_externalId: { clinicId, externalId: input.externalId } } })) ??
    (await adoptLead(tx, clinicId, input));
  if (!existing) {
    const patient = await tx.patient.create({
      data: {
        clinicId,
        externalId: input.externalId,
        fullName: input.fullName,
        firstName: input.firstName ?? null,
        phone: input.phone,
        birthDate: input.birthDate ?? null,
        birthMonthDay: input.birthDate ? birthMonthDay(input.birthDate) : null,
        timezone: input.timezone ?? null,
        locale: input.locale ?? null,
        tags: input.tags ?? [],
        source: input.source ?? null,
        referralCode: await freeReferralCode(tx, clinicId),
      },
      select: { id: true, externalId: true },
    });
    await ensureAccount(tx, clinicId, patient.id);
    return { ...patient, created: true };
  }

  const data: Prisma.PatientUpdateInput = {};
  if (input.fullName !== existing.fullName) data.fullName = input.fullName;
  if (input.firstName !== undefined && input.firstName !== existing.firstName) data.firstName = input.firstName;
  if (input.phone !== existing.phone) data.phone = input.phone;
  if (input.birthDate !== undefined && input.birthDate !== existing.birthDate) {
    data.birthDate = input.birthDate;
    data.birthMonthDay = input.birthDate ? birthMonthDay(input.birthDate) : null;
  }
  if (input.timezone !== undefined && input.timezone !== existing.timezone) data.timezone = input.timezone;
  if (input.locale !== undefined && input.locale !== existing.locale) data.locale = input.locale;
  if (input.source !== undefined && input.source !== existing.source) data.source = input.source;
  if (input.tags !== undefined && JSON.stringify(input.tags) !== JSON.stringify(existing.tags)) data.tags = input.tags;
  if (Object.keys(data).length > 0) await tx.patient.update({ where: { id: existing.id }, data });
  return { id: existing.id, externalId: existing.externalId, created: false };
}

async function adoptLead(tx: Tx, clinicId: number, input: PatientInput) {
  if (!input.phone) return null;
  const lead = await tx.patient.findFirst({ where: { clinicId, phone: input.phone, externalId: { startsWith: "lead-" } }, orderBy: { id: "asc" } });
  if (!lead) return null;
  const tags = Array.isArray(lead.tags) ? (lead.tags as string[]).filter((t) => t !== "lead") : [];
  return tx.patient.update({ where: { id: lead.id }, data: { externalId: input.externalId, tags } });
}
