// Shared set-up of the scheduler tests: a clinic per test on a real database, and patients
// described by what the planners look at (balance, birthday, zone, opt-out, chats).
import type { Database, Db } from "../../src/db/client.ts";
import { birthMonthDay } from "../../src/domain/patients/birthday.ts";
import type { ClinicSettingsInput } from "../../src/domain/clinic/settings.ts";
import type { PlannerKind } from "../../src/scheduler/kinds.ts";
import { runPlanner } from "../../src/scheduler/run-planner.ts";
import { createClinic, createPatient } from "../support/fixtures.ts";

export type ChatKind = "telegram" | "whatsapp" | "web" | "blocked";

export interface PatientSpec {
  balance?: number;
  birthDate?: string;
  timezone?: string;
  optedOut?: boolean;
  /** Chats linked to the patient (default: one telegram chat); "blocked" is an unreachable telegram chat. */
  chats?: ChatKind[];
}

let chatCounter = 0;

export function clinicHelpers(db: Database) {
  const prisma: Db = db.prisma;

  async function clinic(settings: ClinicSettingsInput = {}, timezone = "Europe/Moscow") {
    return createClinic(prisma, settings, timezone);
  }

  async function patient(clinicId: number, spec: PatientSpec = {}) {
    const p = await createPatient(prisma, clinicId, { balance: spec.balance, birthDate: spec.birthDate, timezone: spec.timezone });
    if (spec.birthDate || spec.optedOut) {
      await prisma.patient.update({
        where: { id: p.id },
        data: {
          ...(spec.birthDate ? { birthMonthDay: birthMonthDay(spec.birthDate) } : {}),
          ...(spec.optedOut ? { optedOutAt: new Date("2026-06-01T00:00:00Z"), optOutSource: "test" } : {}),
        },
      });
    }
    for (const chat of spec.chats ?? ["telegram"]) {
      await prisma.channelIdentity.create({
        data: {
          clinicId,
          channel: chat === "blocked" ? "telegram" : chat,
          externalChatId: `chat-${process.pid}-${++chatCounter}`,
          patientId: p.id,
          linkedAt: new Date("2026-01-01T00:00:00Z"),
          ...(chat === "blocked" ? { unreachableAt: new Date("2026-06-01T00:00:00Z"), unreachableReason: "blocked" } : {}),
        },
      });
    }
    return p;
  }

  /** Runs a planner of the clinic as if the clock said `at`. */
  const plan = (clinicId: number, kind: PlannerKind, at: string, extra: { dryRun?: boolean; onStatement?: (sql: string) => void } = {}) =>
    runPlanner(db, kind, { clinicId, now: new Date(at), ...extra });

  /** The clinic's outbox keys, sorted. */
  const keys = async (clinicId: number) =>
    (await prisma.outbox.findMany({ where: { clinicId }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey).sort();

  return { prisma, clinic, patient, plan, keys };
}
