// Seeds a clinic's patient base with a handful of set-based statements (INSERT … SELECT over a
// generated series), so a million patients take seconds, not one Prisma call each.
import type { Database } from "../../src/db/client.ts";
import { parseClinicSettings } from "../../src/domain/clinic/settings.ts";
import { seedDialect } from "./dialect.ts";

/** When the seeded rows were written, and the first day of their credits' expiry dates. */
export const SEEDED_AT = "2026-01-15T09:00:00Z";
export const CREDITS_EXPIRE_FROM = "2026-12-01T09:00:00Z";
/** Credits expire over this many consecutive days, one day per patient in turn. */
export const EXPIRY_SPREAD_DAYS = 180;
/** The first scheduled visit (08:00 on 2 December in Moscow); visits follow every 15 minutes for a week. */
export const VISITS_FROM = "2026-12-02T05:00:00Z";
const VISIT_SLOTS = 7 * 96;

/**
 * The shape of the base, by patient number i (1..n). Clinics' real bases look like this in the
 * ways the planners care about:
 * - birth dates spread over the whole year (29 Feb included), missing for 1 patient in 20;
 * - 85 % live on the clinic's clock (no zone of their own); the rest in Vladivostok,
 *   Yekaterinburg or Kaliningrad;
 * - about 3 % opted out;
 * - a bonus account each, 6 in 7 with points; each holder has one credit expiring within
 *   EXPIRY_SPREAD_DAYS days;
 * - 90 % have a linked chat (70 % Telegram, 20 % WhatsApp), about 1 % of those blocked the bot;
 * - one scheduled visit each (an appointment on a booked slot), spread every 15 minutes over the
 *   seven days from VISITS_FROM, so a day's reminders concern a seventh of the base.
 */
const SHAPE = {
  noBirthDate: "i % 20 = 0",
  zone: `CASE i % 20 WHEN 1 THEN 'Asia/Vladivostok' WHEN 2 THEN 'Asia/Yekaterinburg' WHEN 3 THEN 'Europe/Kaliningrad' END`,
  // 7919 is prime, so consecutive patients walk over all 366 days of the leap year.
  birthDay: "(i * 7919) % 366",
  optedOut: "i % 33 = 0",
  balance: "CASE WHEN i % 7 = 0 THEN 0 ELSE 50 + (i * 37) % 5000 END",
  noChat: "i % 10 = 3",
  channel: "CASE WHEN i % 10 IN (4, 9) THEN 'whatsapp' ELSE 'telegram' END",
  blocked: "i % 97 = 0",
} as const;

export interface SeedStep {
  name: string;
  rows: number;
  ms: number;
}

export interface SeededBase {
  clinicId: number;
  patients: number;
  steps: SeedStep[];
  /** Wall time of the whole seeding, statistics included. */
  ms: number;
}

/** The clinic (Moscow, default settings) and `n` patients with accounts, credits and chats. */
export async function seedBase(database: Database, n: number): Promise<SeededBase> {
  const started = performance.now();
  const d = seedDialect(database.provider);
  const clinic = await database.prisma.clinic.create({
    data: {
      slug: `bench-${n}`,
      name: "Клиника «Здоровье»",
      timezone: "Europe/Moscow",
      settings: parseClinicSettings({ address: "Москва, ул. Примерная, 1", phone: "+74951234567" }),
    },
  });
  const c = clinic.id;
  const at = d.time(SEEDED_AT);
  const steps: SeedStep[] = [];
  const step = async (name: string, sql: string) => {
    const t = performance.now();
    const rows = await database.prisma.$executeRawUnsafe(sql);
    steps.push({ name, rows, ms: performance.now() - t });
  };

  await step(
    "Patient",
    `INSERT INTO "Patient" ("id", "clinicId", "externalId", "fullName", "phone", "birthDate", "birthMonthDay", "timezone", "referralCode", "consentAt", "consentSource", "optedOutAt", "optOutSource", "createdAt", "updatedAt")
     SELECT i, ${c}, 'B-' || i, 'Пациент ' || i, '+7999' || ${d.pad7("i")},
       CASE WHEN ${SHAPE.noBirthDate} THEN NULL
            WHEN md = '02-29' THEN (1952 + 4 * (i % 12)) || '-' || md
            ELSE (1950 + i % 55) || '-' || md END,
       CASE WHEN ${SHAPE.noBirthDate} THEN NULL ELSE CAST(substr(md, 1, 2) AS INTEGER) * 100 + CAST(substr(md, 4, 2) AS INTEGER) END,
       ${SHAPE.zone}, 'R' || i, ${at}, 'bench',
       CASE WHEN ${SHAPE.optedOut} THEN ${at} END, CASE WHEN ${SHAPE.optedOut} THEN 'bench' END, ${at}, ${at}
     FROM (SELECT i, ${d.monthDayOfLeapYear(SHAPE.birthDay)} AS md FROM ${d.series(n)} n) b`,
  );
  await step(
    "BonusAccount",
    `INSERT INTO "BonusAccount" ("id", "clinicId", "patientId", "balance", "createdAt", "updatedAt")
     SELECT i, ${c}, i, ${SHAPE.balance}, ${at}, ${at} FROM ${d.series(n)} n`,
  );
  await step(
    "BonusEntry",
    `INSERT INTO "BonusEntry" ("id", "clinicId", "accountId", "patientId", "kind", "amount", "remaining", "expiresAt", "sourceKey", "createdAt")
     SELECT i, ${c}, i, i, ${d.asEnum("BonusEntryKind", "'accrual'")}, ${SHAPE.balance}, ${SHAPE.balance},
       ${d.plusDays(CREDITS_EXPIRE_FROM, `i % ${EXPIRY_SPREAD_DAYS}`)}, 'bench:' || i, ${at}
     FROM ${d.series(n)} n WHERE NOT (i % 7 = 0)`,
  );
  await step(
    "ChannelIdentity",
    `INSERT INTO "ChannelIdentity" ("id", "clinicId", "channel", "externalChatId", "patientId", "linkedAt", "unreachableAt", "unreachableReason", "createdAt")
     SELECT i, ${c}, ${d.asEnum("Channel", SHAPE.channel)},
       CASE WHEN i % 10 IN (4, 9) THEN '7999' || ${d.pad7("i")} || '@c.us' ELSE CAST(1000000000 + i AS TEXT) END,
       i, ${at}, CASE WHEN ${SHAPE.blocked} THEN ${at} END, CASE WHEN ${SHAPE.blocked} THEN 'Forbidden: bot was blocked by the user' END, ${at}
     FROM ${d.series(n)} n WHERE NOT (${SHAPE.noChat})`,
  );

  await step(
    "Slot",
    `INSERT INTO "Slot" ("id", "clinicId", "externalId", "doctor", "service", "startsAt", "endsAt", "status", "createdAt", "updatedAt")
     SELECT i, ${c}, 'BS-' || i, 'Врач ' || (i % 40), 'Приём', ${d.plusDays(VISITS_FROM, `(i % ${VISIT_SLOTS}) / 96.0`)},
       ${d.plusDays(VISITS_FROM, `(i % ${VISIT_SLOTS} + 1) / 96.0`)}, ${d.asEnum("SlotStatus", "'booked'")}, ${at}, ${at}
     FROM ${d.series(n)} n`,
  );
  await step(
    "Appointment",
    `INSERT INTO "Appointment" ("id", "clinicId", "patientId", "slotId", "slotBooking", "status", "createdAt", "updatedAt")
     SELECT i, ${c}, i, i, 1, ${d.asEnum("AppointmentStatus", "'booked'")}, ${at}, ${at} FROM ${d.series(n)} n`,
  );

  if (database.provider === "postgresql") {
    // Explicit ids leave the sequences behind; a later insert must not collide with them.
    for (const table of ["Patient", "BonusAccount", "BonusEntry", "ChannelIdentity", "Slot", "Appointment"]) {
      await database.prisma.$queryRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), ${n})`);
    }
    // Autovacuum would analyze these tables soon after a bulk load; do it now so the first
    // planner run is not planned on empty-table statistics.
    const t = performance.now();
    await database.prisma.$executeRawUnsafe("ANALYZE");
    steps.push({ name: "ANALYZE", rows: 0, ms: performance.now() - t });
  }
  return { clinicId: c, patients: n, steps, ms: performance.now() - started };
}
