// A known data set, written straight through Prisma: each patient named by their externalId.
import type { Db, Prisma } from "../../src/db/client.ts";
import { birthMonthDay } from "../../src/domain/patients/birthday.ts";
import { newReferralCode } from "../../src/domain/referrals/code.ts";
import { grantConsents } from "../support/fixtures.ts";

export interface PatientSpec {
  /** The patient's externalId: tests name patients by it. */
  key: string;
  fullName?: string;
  birthDate?: string;
  tags?: Prisma.InputJsonValue;
  source?: string;
  /** Patient.lastCompletedVisitAt, UTC ISO. */
  lastVisitAt?: string;
  /** Bonus points; null: no bonus account at all. Default 0. */
  balance?: number | null;
  /** The patient's chats: a Telegram one by default. */
  chat?: "telegram" | "whatsapp" | "web" | "unreachable" | "none" | "unreachable-and-whatsapp";
  optedOut?: boolean;
  /** Whether the patient gave the advertising consent campaigns need (default: yes). */
  advertisingConsent?: boolean;
  visits?: { category: string | null; status?: "completed" | "missed" | "scheduled"; at?: string; amount?: number }[];
  followUp?: "open" | "done";
}

let serial = 0;

/** Creates the patients; returns externalId → patient id. */
export async function addPatients(db: Db, clinicId: number, specs: PatientSpec[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const spec of specs) {
    const patient = await db.patient.create({
      data: {
        clinicId,
        externalId: spec.key,
        fullName: spec.fullName ?? "Петрова Анна Сергеевна",
        phone: `+7999${String(2000000 + ++serial).slice(-7)}`,
        birthDate: spec.birthDate ?? null,
        birthMonthDay: spec.birthDate ? birthMonthDay(spec.birthDate) : null,
        tags: spec.tags ?? [],
        source: spec.source ?? null,
        referralCode: newReferralCode(),
        lastCompletedVisitAt: spec.lastVisitAt ? new Date(spec.lastVisitAt) : null,
        optedOutAt: spec.optedOut ? new Date("2026-10-01T10:00:00Z") : null,
      },
    });
    ids.set(spec.key, patient.id);
    await grantConsents(db, clinicId, patient.id, spec.advertisingConsent === false ? ["personal_data", "care_messages"] : ["personal_data", "care_messages", "advertising"]);
    if (spec.balance !== null) await db.bonusAccount.create({ data: { clinicId, patientId: patient.id, balance: spec.balance ?? 0 } });
    const chat = spec.chat ?? "telegram";
    const identity = (channel: "telegram" | "whatsapp" | "web", unreachable = false) =>
      db.channelIdentity.create({
        data: {
          clinicId,
          channel,
          externalChatId: `${channel}-${clinicId}-${spec.key}`,
          patientId: patient.id,
          linkedAt: new Date("2026-01-01T00:00:00Z"),
          ...(unreachable ? { unreachableAt: new Date("2026-09-01T00:00:00Z"), unreachableReason: "blocked" } : {}),
        },
      });
    if (chat === "telegram" || chat === "whatsapp" || chat === "web") await identity(chat);
    if (chat === "unreachable" || chat === "unreachable-and-whatsapp") await identity("telegram", true);
    if (chat === "unreachable-and-whatsapp") await identity("whatsapp");
    let n = 0;
    for (const v of spec.visits ?? []) {
      const at = new Date(v.at ?? "2026-03-01T09:00:00Z");
      const status = v.status ?? "completed";
      await db.visit.create({
        data: {
          clinicId,
          patientId: patient.id,
          externalId: `V-${spec.key}-${++n}`,
          doctor: "Громов Артур Сергеевич",
          service: "Приём",
          serviceCategory: v.category,
          amount: v.amount ?? 100_000,
          status,
          startsAt: at,
          completedAt: status === "completed" ? at : null,
        },
      });
    }
    if (spec.followUp) {
      await db.followUp.create({
        data: { clinicId, patientId: patient.id, dueAt: new Date("2026-10-01T09:00:00Z"), service: "Лечение кариеса", status: spec.followUp },
      });
    }
  }
  return ids;
}

/** The externalIds of a list of patient ids, sorted: what tests compare. */
export async function keysOf(db: Db, ids: number[]): Promise<string[]> {
  const rows = await db.patient.findMany({ where: { id: { in: ids } }, select: { externalId: true } });
  return rows.map((r) => r.externalId).sort();
}
