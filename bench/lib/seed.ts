// A clinic with patients whose Telegram chats are already linked (as after the contact step),
// written with createMany so 100,000 of them take seconds, not minutes.
import type { Db } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";

export const FIRST_CHAT_ID = 700_000;
const BATCH = 1000;

export interface SeededClinic {
  clinicId: number;
  /** Identity id by Telegram chat id, for chats FIRST_CHAT_ID … FIRST_CHAT_ID + count - 1. */
  identities: Map<number, number>;
}

export async function seedClinic(prisma: Db, patients: number): Promise<SeededClinic> {
  const clinic = await prisma.clinic.create({
    data: {
      slug: `bench-${Date.now().toString(36)}`,
      name: "Клиника «Здоровье»",
      timezone: "Europe/Moscow",
      settings: parseClinicSettings({ address: "Москва, ул. Примерная, 1", phone: "+74951234567" }),
    },
  });
  await addPatients(prisma, clinic.id, 0, patients);
  const identities = new Map<number, number>();
  const rows = await prisma.channelIdentity.findMany({ where: { clinicId: clinic.id }, select: { id: true, externalChatId: true } });
  for (const row of rows) identities.set(Number(row.externalChatId), row.id);
  return { clinicId: clinic.id, identities };
}

/** Patients number `from` … `from + count - 1`, each with a bonus account and a linked chat. */
export async function addPatients(prisma: Db, clinicId: number, from: number, count: number): Promise<void> {
  const linkedAt = new Date("2026-01-01T00:00:00Z");
  for (let start = from; start < from + count; start += BATCH) {
    const numbers = Array.from({ length: Math.min(BATCH, from + count - start) }, (_, k) => start + k);
    await prisma.patient.createMany({
      data: numbers.map((n) => ({
        clinicId,
        externalId: `B-${n}`,
        fullName: `Петрова Анна ${n}`,
        phone: `+7900${String(n).padStart(7, "0")}`,
        referralCode: `R${n.toString(36).toUpperCase().padStart(6, "0")}`,
        consentAt: linkedAt,
      })),
    });
    const ids = await prisma.patient.findMany({ where: { clinicId, externalId: { in: numbers.map((n) => `B-${n}`) } }, select: { id: true, externalId: true } });
    await prisma.bonusAccount.createMany({ data: ids.map((p) => ({ clinicId, patientId: p.id, balance: 500 })) });
    await prisma.channelIdentity.createMany({
      data: ids.map((p) => ({
        clinicId,
        channel: "telegram" as const,
        externalChatId: String(FIRST_CHAT_ID + Number(p.externalId.slice(2))),
        externalUserId: String(FIRST_CHAT_ID + Number(p.externalId.slice(2))),
        patientId: p.id,
        linkedAt,
        locale: "ru",
      })),
    });
  }
}
