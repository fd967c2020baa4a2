import { DateTime } from "luxon";
import type { Database, Db, Prisma } from "../db/client.ts";
import { accrualPoints } from "../domain/bonus/accrual.ts";
import { parseClinicSettings } from "../domain/clinic/settings.ts";
import { birthMonthDay } from "../domain/patients/birthday.ts";
import { newReferralCode } from "../domain/referrals/code.ts";
import { generatePassword, hashPassword } from "../operators/password.ts";
import type { Clock } from "../util/clock.ts";
import { DEMO_CLINIC, DEMO_SERVICES, EXTRA_TIME_ZONES, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, SOURCES, TAG_SETS } from "./demo-data.ts";
import type { DemoService } from "./demo-data.ts";
import { seedHistory } from "./demo-history.ts";

export interface DemoSeedResult {
  clinicId: number;
  patients: number;
  visits: number;
  operatorLogin: string;
  operatorPassword: string;
}

export const DEMO_PATIENT_COUNT = 50;
export const DEMO_OPERATOR_LOGIN = "admin";
/** The sleeping patient whom last month's campaign brought back. */
const CAME_BACK_INDEX = 45;

/** A small seeded generator: the demo is the same on every machine for the same day. */
function prng(seed: number): { next(): number; int(max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max) => Math.floor(next() * max), pick: (items) => items[Math.floor(next() * items.length)]! };
}

interface PlannedVisit {
  service: DemoService;
  status: "completed" | "scheduled" | "missed";
  at: DateTime;
}

/**
 * The demo clinic: ~50 patients whose visits, bonuses, follow-ups and birthdays are spread around
 * "now" so that every scheduled job has someone to write to today. Idempotent per database: it
 * refuses to run when the demo clinic exists.
 */
export async function seedDemo(db: Database, clock: Clock, timezone: string, options: { password?: string } = {}): Promise<DemoSeedResult> {
  const existing = await db.prisma.clinic.findUnique({ where: { slug: DEMO_CLINIC.slug } });
  if (existing) throw new Error(`the demo clinic already exists (clinic id ${existing.id})`);

  const settings = parseClinicSettings({
    address: DEMO_CLINIC.address,
    phone: DEMO_CLINIC.phone,
    reviewUrl: DEMO_CLINIC.reviewUrl,
    // `carebot campaigns preview winter-return` / `run winter-return` work on the demo.
    segments: [{ id: "sleeping-adults", title: "Взрослые, не были больше полугода", ageMin: 18, lastVisitOlderThanMonths: 6 }],
    campaigns: [
      {
        id: "winter-return",
        title: "Давно не виделись",
        segment: "sleeping-adults",
        flow: "reactivation",
        offer: { text: "профессиональная гигиена полости рта со скидкой 15 % до конца месяца" },
        cameBackWithinDays: 60,
      },
    ],
  });
  const rules = settings.bonus;
  const now = DateTime.fromJSDate(clock.now()).setZone(timezone);
  const rnd = prng(20261122);
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);

  // One transaction: a demo clinic is there whole or not at all.
  return db.transaction(
    async (tx) => {
      const clinic = await tx.clinic.create({
        data: { slug: DEMO_CLINIC.slug, name: DEMO_CLINIC.name, timezone, locale: "ru", settings: settings as Prisma.InputJsonValue },
      });
      const admin = await tx.operator.create({
        data: { clinicId: clinic.id, login: DEMO_OPERATOR_LOGIN, passwordHash, role: "admin", displayName: "Администратор" },
      });

      let visitCount = 0;
      for (let i = 0; i < DEMO_PATIENT_COUNT; i++) {
        const female = i % 2 === 0;
        const first = rnd.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M);
        const last = rnd.pick(LAST_NAMES) + (female ? "а" : "");
        const birthDate = demoBirthDate(i, now, rnd);
        const patient = await tx.patient.create({
          data: {
            clinicId: clinic.id,
            externalId: `MIS-${String(1001 + i)}`,
            fullName: `${last} ${first}`,
            phone: `+7999${String(1000000 + i * 7919).slice(-7)}`,
            birthDate,
            birthMonthDay: birthMonthDay(birthDate),
            timezone: i >= 32 && i < 35 ? EXTRA_TIME_ZONES[i - 32] : null,
            locale: i === 30 || i === 31 ? "en" : "ru",
            tags: rnd.pick(TAG_SETS),
            source: rnd.pick(SOURCES),
            referralCode: newReferralCode((max) => rnd.int(max)),
            consentAt: now.minus({ months: 13 }).toJSDate(),
            consentSource: "registration-form",
            optedOutAt: i >= 48 ? now.minus({ days: 20 }).toJSDate() : null,
            optOutSource: i >= 48 ? "telegram" : null,
          },
        });

        await tx.consent.createMany({ data: demoConsents(clinic.id, patient.id, i, now) });
        const account = await tx.bonusAccount.create({ data: { clinicId: clinic.id, patientId: patient.id } });
        let balance = 0;
        let lastCompleted: Date | null = null;
        let firstCompleted = true;
        for (const plan of demoVisits(i, now, rnd)) {
          const visit = await tx.visit.create({
            data: {
              clinicId: clinic.id,
              patientId: patient.id,
              externalId: `V-${1001 + i}-${visitCount}`,
              doctor: plan.service.doctor,
              service: plan.service.service,
              serviceCategory: plan.service.category,
              isProcedure: plan.service.isProcedure,
              amount: plan.service.price * 100,
              status: plan.status,
              startsAt: plan.at.toJSDate(),
              completedAt: plan.status === "completed" ? plan.at.plus({ hours: 1 }).toJSDate() : null,
            },
          });
          visitCount++;
          if (plan.status === "missed") {
            await tx.followUp.create({
              data: {
                clinicId: clinic.id,
                patientId: patient.id,
                visitId: visit.id,
                dueAt: plan.at.toJSDate(),
                service: plan.service.service,
                doctor: plan.service.doctor,
                missedAt: plan.at.plus({ hours: 2 }).toJSDate(),
              },
            });
          }
          if (plan.status !== "completed") continue;
          const completedAt = plan.at.plus({ hours: 1 });
          lastCompleted = completedAt.toJSDate();
          const credits = [
            { kind: "accrual" as const, points: accrualPoints(plan.service.price * 100, plan.service.category, rules), key: `visit:${visit.externalId}` },
            ...(firstCompleted ? [{ kind: "welcome" as const, points: rules.welcomeBonus, key: `welcome:${patient.id}` }] : []),
          ];
          firstCompleted = false;
          for (const credit of credits.filter((c) => c.points > 0)) {
            const expiresAt = completedAt.plus({ months: rules.expiryMonths });
            const expired = expiresAt <= now;
            const entry = await tx.bonusEntry.create({
              data: {
                clinicId: clinic.id,
                accountId: account.id,
                patientId: patient.id,
                kind: credit.kind,
                amount: credit.points,
                remaining: expired ? 0 : credit.points,
                expiresAt: expiresAt.toJSDate(),
                sourceKey: credit.key,
                visitId: visit.id,
                createdAt: completedAt.toJSDate(),
              },
            });
            balance += credit.points;
            if (expired) {
              await tx.bonusEntry.create({
                data: {
                  clinicId: clinic.id,
                  accountId: account.id,
                  patientId: patient.id,
                  kind: "expiry",
                  amount: -credit.points,
                  sourceKey: `expiry:${entry.id}`,
                  createdAt: expiresAt.toJSDate(),
                },
              });
              balance -= credit.points;
            }
          }
          if (plan.service.followUpDays && i >= 11 && i < 21) {
            // Overdue for 11..16 (the rebooking nudge has work), due soon for 17..20.
            const due = i < 17 ? now.minus({ days: 3 + i }) : now.plus({ days: i - 10 });
            await tx.followUp.create({
              data: {
                clinicId: clinic.id,
                patientId: patient.id,
                visitId: visit.id,
                dueAt: due.toJSDate(),
                service: plan.service.service,
                doctor: plan.service.doctor,
              },
            });
          }
        }
        await tx.bonusAccount.update({ where: { id: account.id }, data: { balance } });
        await tx.patient.update({ where: { id: patient.id }, data: { lastCompletedVisitAt: lastCompleted } });
      }

      await seedSlots(tx, clinic.id, now);
      await seedHistory(tx, { clinicId: clinic.id, operatorId: admin.id, settings, timezone, now, random: rnd.next, campaignId: "winter-return", cameBackPatientIndex: CAME_BACK_INDEX });
      return { clinicId: clinic.id, patients: DEMO_PATIENT_COUNT, visits: visitCount, operatorLogin: DEMO_OPERATOR_LOGIN, operatorPassword: password };
    },
    { timeout: 60_000 },
  );
}

/** Birthdays today, in two days, yesterday, on 29 February, and spread over the year for the rest. */
function demoBirthDate(i: number, now: DateTime, rnd: ReturnType<typeof prng>): string {
  const year = 1950 + rnd.int(55);
  const on = (d: DateTime) => `${year}-${d.toFormat("MM-dd")}`;
  if (i === 6) return on(now);
  if (i === 7) return on(now.plus({ days: 2 }));
  if (i === 8) return on(now.minus({ days: 1 }));
  if (i === 9) return "1988-02-29";
  return on(DateTime.fromObject({ year: 2001, month: 1, day: 1 }).plus({ days: rnd.int(365) }));
}

/** Each patient's visits, chosen so that every planner finds someone. */
function demoVisits(i: number, now: DateTime, rnd: ReturnType<typeof prng>): PlannedVisit[] {
  const at = (d: DateTime, hour: number) => d.set({ hour, minute: 0, second: 0, millisecond: 0 });
  const procedure = DEMO_SERVICES.filter((s) => s.isProcedure);
  const withFollowUp = DEMO_SERVICES.filter((s) => s.followUpDays);
  const anyService = () => rnd.pick(DEMO_SERVICES);
  const visits: PlannedVisit[] = [];
  // Slept for half a year, then came back after last month's campaign.
  if (i === CAME_BACK_INDEX) {
    return [
      { service: DEMO_SERVICES[1]!, status: "completed", at: at(now.minus({ months: 9 }), 11) },
      { service: DEMO_SERVICES[1]!, status: "completed", at: at(now.minus({ days: 12 }), 12) },
    ];
  }
  // Sleeping patients: nothing in the last seven months.
  if (i % 10 === 0) return [{ service: anyService(), status: "completed", at: at(now.minus({ months: 7 + (i % 5) }), 11) }];
  // History: one or two visits over the last five months.
  for (let k = 0; k < 1 + rnd.int(2); k++) {
    visits.push({ service: anyService(), status: "completed", at: at(now.minus({ days: 20 + rnd.int(130) }), 10 + rnd.int(8)) });
  }
  if (i >= 1 && i <= 3) visits.push({ service: procedure[i - 1]!, status: "completed", at: at(now.minus({ days: 1 }), 10 + i) });
  if (i === 4 || i === 5) visits.push({ service: DEMO_SERVICES[0]!, status: "completed", at: now.minus({ hours: 3 }).startOf("hour") });
  if (i >= 11 && i < 21) visits.push({ service: withFollowUp[i % withFollowUp.length]!, status: "completed", at: at(now.minus({ days: 40 }), 12) });
  // Points that expire within two weeks.
  if (i >= 21 && i <= 24) visits.push({ service: DEMO_SERVICES[1]!, status: "completed", at: at(now.minus({ months: 6 }).plus({ days: 5 + i - 21 }), 12) });
  if (i >= 25 && i <= 27) visits.push({ service: anyService(), status: "scheduled", at: at(now.plus({ days: 1 }), 9 + i - 25) });
  if (i === 28 || i === 29) visits.push({ service: withFollowUp[0]!, status: "missed", at: at(now.minus({ days: 2 + i - 28 }), 14) });
  return visits.sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

/** Free slots for the next two weeks, morning and afternoon, for every doctor and service. */
async function seedSlots(tx: Pick<Db, "slot">, clinicId: number, now: DateTime): Promise<void> {
  const rows = [];
  for (let day = 1; day <= 14; day++) {
    const date = now.plus({ days: day }).startOf("day");
    if (date.weekday === 7) continue;
    for (const [n, s] of DEMO_SERVICES.entries()) {
      for (const hour of [10, 15]) {
        const startsAt = date.set({ hour: hour + (n % 3) });
        rows.push({
          clinicId,
          externalId: `S-${startsAt.toFormat("yyyyMMdd-HH")}-${n}`,
          doctor: s.doctor,
          service: s.service,
          startsAt: startsAt.toJSDate(),
          endsAt: startsAt.plus({ minutes: 45 }).toJSDate(),
        });
      }
    }
  }
  await tx.slot.createMany({ data: rows });
}

/**
 * The demo patients' consents, as a clinic's paper forms would give them: personal data and care
 * messages for everyone, advertising for four in five; the two who said «стоп» withdrew care
 * messages and advertising in the chat.
 */
function demoConsents(clinicId: number, patientId: number, i: number, now: DateTime) {
  const signed = now.minus({ months: 13 }).toJSDate();
  const stopped = i >= 48 ? now.minus({ days: 20 }).toJSDate() : null;
  const paper = (kind: "personal_data" | "care_messages" | "advertising", textVersion: string, supersededAt: Date | null = null) =>
    ({ clinicId, patientId, kind, granted: true, at: signed, source: "paper" as "paper" | "chat", textVersion, note: "анкета при регистрации", supersededAt });
  const rows = [paper("personal_data", "ПД-2025-09"), paper("care_messages", "ПД-2025-09", stopped)];
  if (i % 5 !== 4) rows.push(paper("advertising", "РЕКЛ-2025-09", stopped));
  if (stopped) {
    for (const kind of ["care_messages", "advertising"] as const) {
      rows.push({ clinicId, patientId, kind, granted: false, at: stopped, source: "chat", textVersion: "chat:opt-out", note: "stop (telegram)", supersededAt: null });
    }
  }
  return rows;
}
