import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import type { ClinicSettingsInput } from "../../src/domain/clinic/settings.ts";
import { newReferralCode } from "../../src/domain/referrals/code.ts";

let counter = 0;

export async function createClinic(db: Db, settings: ClinicSettingsInput = {}, timezone = "Europe/Moscow") {
  counter++;
  return db.clinic.create({
    data: {
      slug: `clinic-${process.pid}-${counter}`,
      name: "Клиника «Здоровье»",
      timezone,
      settings: parseClinicSettings({ address: "Москва, ул. Примерная, 1", phone: "+74951234567", ...settings }),
    },
  });
}

export async function createPatient(
  db: Db,
  clinicId: number,
  data: { fullName?: string; phone?: string; locale?: string; timezone?: string; birthDate?: string; balance?: number; advertisingConsent?: boolean } = {},
) {
  counter++;
  const patient = await db.patient.create({
    data: {
      clinicId,
      externalId: `P-${counter}`,
      fullName: data.fullName ?? "Петрова Анна Сергеевна",
      phone: data.phone ?? `+7999${String(1000000 + counter).slice(-7)}`,
      locale: data.locale ?? null,
      timezone: data.timezone ?? null,
      birthDate: data.birthDate ?? null,
      referralCode: newReferralCode(),
      consentAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  await db.bonusAccount.create({ data: { clinicId, patientId: patient.id, balance: data.balance ?? 0 } });
  await grantConsents(db, clinicId, patient.id, data.advertisingConsent === false ? ["personal_data", "care_messages"] : ["personal_data", "care_messages", "advertising"]);
  return patient;
}

/** A chat already linked to a patient (as after the contact step), on the given channel. */
export async function linkChat(db: Db, clinicId: number, patientId: number, chatId: string, channel: "telegram" | "whatsapp" | "web" = "telegram") {
  return db.channelIdentity.create({ data: { clinicId, channel, externalChatId: chatId, patientId, linkedAt: new Date() } });
}

/** Consents given on the clinic's paper form on 1 January 2026 (a test patient gets all three unless told). */
export async function grantConsents(db: Db, clinicId: number, patientId: number, kinds: ("personal_data" | "care_messages" | "advertising")[]) {
  await db.consent.createMany({
    data: kinds.map((kind) => ({ clinicId, patientId, kind, granted: true, at: new Date("2026-01-01T00:00:00Z"), source: "paper" as const, textVersion: "АНКЕТА-2026" })),
  });
}
