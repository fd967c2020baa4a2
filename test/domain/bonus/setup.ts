import { expect } from "vitest";
import type { Db, Tx } from "../../../src/db/client.ts";
import { parseClinicSettings } from "../../../src/domain/clinic/settings.ts";
import type { ClinicSettingsInput } from "../../../src/domain/clinic/settings.ts";
import type { BonusRules, VisitForAccrual } from "../../../src/domain/bonus/ledger.ts";
import { createMigratedDatabase } from "../../support/db.ts";
import type { MigratedDatabase } from "../../support/db.ts";
import { createClinic, createPatient } from "../../support/fixtures.ts";

// Shared by the ledger tests: a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL),
// one clinic, and helpers that check the ledger's invariants after each step.

export const NOW = new Date("2026-11-22T09:00:00Z");
export const DAY = 86_400_000;
export const days = (n: number, from: Date = NOW) => new Date(from.getTime() + n * DAY);

export interface LedgerTest {
  t: MigratedDatabase;
  db: Db;
  clinicId: number;
  rules: BonusRules;
  /** Runs fn in one interactive transaction, as the application does. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  patient(): Promise<number>;
  visit(patientId: number, v?: { amount?: number; category?: string | null; completedAt?: Date }): Promise<VisitForAccrual>;
  /** Another clinic in the same database: for clinic-wide runs (expireDue) that must see only their own rows. */
  another(settings?: ClinicSettingsInput): Promise<LedgerTest>;
}

export async function openLedger(settings: ClinicSettingsInput = {}): Promise<LedgerTest> {
  return clinicLedger(await createMigratedDatabase(), settings);
}

let visits = 0;

async function clinicLedger(t: MigratedDatabase, settings: ClinicSettingsInput): Promise<LedgerTest> {
  const db = t.db.prisma;
  const clinic = await createClinic(db, settings);
  return {
    t,
    db,
    clinicId: clinic.id,
    rules: parseClinicSettings(settings).bonus,
    tx: (fn) => db.$transaction((tx) => fn(tx)),
    patient: async () => (await createPatient(db, clinic.id)).id,
    visit: async (patientId, v = {}) => {
      visits++;
      const completedAt = v.completedAt ?? NOW;
      const row = await db.visit.create({
        data: {
          clinicId: clinic.id,
          patientId,
          externalId: `V-${visits}`,
          doctor: "Иванов И. И.",
          service: "Приём",
          serviceCategory: v.category === undefined ? "therapy" : v.category,
          amount: v.amount ?? 250_000,
          status: "completed",
          startsAt: new Date(completedAt.getTime() - 3_600_000),
          completedAt,
        },
      });
      return { id: row.id, externalId: row.externalId, amount: row.amount, serviceCategory: row.serviceCategory, completedAt };
    },
    another: (other = settings) => clinicLedger(t, other),
  };
}

/** The patient's ledger in booking order, and the cached balance. */
export async function ledgerOf(db: Db, patientId: number) {
  const [account, entries] = await Promise.all([
    db.bonusAccount.findUnique({ where: { patientId } }),
    db.bonusEntry.findMany({ where: { patientId }, orderBy: { id: "asc" } }),
  ]);
  return { balance: account?.balance ?? 0, entries };
}

/**
 * The ledger's invariants, for every account of the database: the cached balance is the sum of
 * the entries, never negative, and equals what the open credits still hold; each credit's
 * remaining lies between 0 and its amount; debits carry no remaining.
 */
export async function expectConsistent(db: Db): Promise<void> {
  const [accounts, sums, entries] = await Promise.all([
    db.bonusAccount.findMany(),
    db.bonusEntry.groupBy({ by: ["accountId"], _sum: { amount: true } }),
    db.bonusEntry.findMany(),
  ]);
  const sumOf = new Map(sums.map((s) => [s.accountId, s._sum.amount ?? 0]));
  const openOf = new Map<number, number>();
  for (const e of entries) {
    if (e.amount > 0) {
      expect(e.remaining, `credit ${e.sourceKey}`).not.toBeNull();
      expect(e.remaining!).toBeGreaterThanOrEqual(0);
      expect(e.remaining!).toBeLessThanOrEqual(e.amount);
      expect(e.expiresAt, `credit ${e.sourceKey}`).not.toBeNull();
      openOf.set(e.accountId, (openOf.get(e.accountId) ?? 0) + e.remaining!);
    } else {
      expect(e.remaining, `debit ${e.sourceKey}`).toBeNull();
    }
  }
  for (const a of accounts) {
    expect(a.balance, `account ${a.id}: balance vs ledger sum`).toBe(sumOf.get(a.id) ?? 0);
    expect(a.balance, `account ${a.id}: balance vs open credits`).toBe(openOf.get(a.id) ?? 0);
    expect(a.balance).toBeGreaterThanOrEqual(0);
  }
}

/** A small seeded generator (mulberry32): the same sequence on every run and machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max: number) => Math.floor(next() * max) };
}

/**
 * Runs a transaction again when the database refused it for a concurrent one: a unique
 * violation (P2002), a write conflict or deadlock (P2034), a serialization failure (40001).
 * What an application's transaction runner does on PostgreSQL.
 */
export async function withRetry<T>(run: () => Promise<T>, options: { attempts?: number; onRetry?: (error: unknown) => void } = {}): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (i >= (options.attempts ?? 5) || !isConflict(error)) throw error;
      options.onRetry?.(error);
    }
  }
}

function isConflict(error: unknown): boolean {
  const e = error as { code?: string; message?: string; meta?: unknown };
  if (e?.code === "P2002" || e?.code === "P2034") return true;
  return /40001|40P01|could not serialize|deadlock/i.test(`${e?.message ?? ""} ${JSON.stringify(e?.meta ?? {})}`);
}
