import type { Prisma, Tx } from "../../../db/client.ts";
import type { PromoCodeInput, PromoCodeView } from "./definition.ts";

type Reader = Pick<Tx, "promoCode" | "promoRedemption">;

type PromoRow = Awaited<ReturnType<Tx["promoCode"]["findFirstOrThrow"]>>;

export function servicesOf(row: Pick<PromoRow, "services">): string[] {
  return Array.isArray(row.services) ? row.services.filter((s): s is string => typeof s === "string") : [];
}

function viewOf(row: PromoRow, used: number): PromoCodeView {
  return {
    code: row.code,
    reward: row.reward,
    value: row.value,
    perPatient: row.perPatient,
    totalLimit: row.totalLimit,
    startsAt: row.startsAt?.toISOString() ?? null,
    endsAt: row.endsAt?.toISOString() ?? null,
    services: servicesOf(row),
    description: row.description,
    active: row.active,
    used,
  };
}

/** Creates the code or replaces its terms (uses so far stay counted). */
export async function savePromoCode(tx: Tx, clinicId: number, input: PromoCodeInput): Promise<{ view: PromoCodeView; created: boolean }> {
  const data = {
    reward: input.reward,
    value: input.value,
    perPatient: input.perPatient,
    totalLimit: input.totalLimit,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
    services: input.services as Prisma.InputJsonValue,
    description: input.description,
    active: input.active,
  };
  const before = await tx.promoCode.findUnique({ where: { clinicId_code: { clinicId, code: input.code } }, select: { id: true } });
  const row = await tx.promoCode.upsert({ where: { clinicId_code: { clinicId, code: input.code } }, create: { clinicId, code: input.code, ...data }, update: data });
  const used = await tx.promoRedemption.count({ where: { promoCodeId: row.id } });
  return { view: viewOf(row, used), created: !before };
}

/** Creates a new code; an existing one is left as it is (null), so a form never replaces terms unseen. */
export async function createPromoCode(tx: Tx, clinicId: number, input: PromoCodeInput): Promise<PromoCodeView | null> {
  const before = await tx.promoCode.findUnique({ where: { clinicId_code: { clinicId, code: input.code } }, select: { id: true } });
  if (before) return null;
  return (await savePromoCode(tx, clinicId, input)).view;
}

/** Turns a code off (or on again); uses so far stay counted. Null: the clinic has no such code. */
export async function setPromoCodeActive(tx: Tx, clinicId: number, code: string, active: boolean, now: Date): Promise<PromoCodeView | null> {
  const found = await tx.promoCode.findUnique({ where: { clinicId_code: { clinicId, code } } });
  if (!found) return null;
  const row = await tx.promoCode.update({ where: { id: found.id }, data: { active, updatedAt: now } });
  return viewOf(row, await tx.promoRedemption.count({ where: { promoCodeId: row.id } }));
}

/** The clinic's promo codes, newest first, with how often each was used. */
export async function listPromoCodes(db: Reader, clinicId: number): Promise<PromoCodeView[]> {
  const rows = await db.promoCode.findMany({ where: { clinicId }, orderBy: { id: "desc" } });
  const counts = await db.promoRedemption.groupBy({ by: ["promoCodeId"], where: { clinicId }, _count: { _all: true } });
  const used = new Map(counts.map((c) => [c.promoCodeId, c._count._all]));
  return rows.map((row) => viewOf(row, used.get(row.id) ?? 0));
}

/** The promo codes a patient used, newest first (the patient card, the MIS API). */
export async function promoCodesUsedBy(db: Reader, patientId: number): Promise<{ code: string; reward: string; value: number; at: Date; visitExternalId: string | null }[]> {
  const rows = await db.promoRedemption.findMany({ where: { patientId }, orderBy: { id: "desc" } });
  if (rows.length === 0) return [];
  const codes = await db.promoCode.findMany({ where: { id: { in: rows.map((r) => r.promoCodeId) } } });
  const byId = new Map(codes.map((c) => [c.id, c]));
  return rows.map((r) => ({ code: byId.get(r.promoCodeId)?.code ?? "?", reward: byId.get(r.promoCodeId)?.reward ?? "discount", value: byId.get(r.promoCodeId)?.value ?? 0, at: r.createdAt, visitExternalId: r.visitExternalId }));
}

/** What new terms leave behind them: limits now below the uses already made. */
export interface PromoTermsNotice {
  /** The new total limit is below the uses so far: the code takes no more. */
  totalBelowUses: { limit: number; used: number } | null;
  /** Some patient already used it more often than the new per-patient limit. */
  perPatientBelowUses: { limit: number; most: number } | null;
}

/**
 * Replaces an existing code's terms (what it gives, limits, dates, services, text); whether it is
 * turned on stays as it is, and uses so far stay counted. Null: the clinic has no such code.
 */
export async function updatePromoCodeTerms(
  tx: Tx,
  clinicId: number,
  input: PromoCodeInput,
  now: Date,
): Promise<{ before: PromoCodeView; view: PromoCodeView; notice: PromoTermsNotice } | null> {
  const found = await tx.promoCode.findUnique({ where: { clinicId_code: { clinicId, code: input.code } } });
  if (!found) return null;
  const used = await tx.promoRedemption.count({ where: { promoCodeId: found.id } });
  const row = await tx.promoCode.update({
    where: { id: found.id },
    data: {
      reward: input.reward,
      value: input.value,
      perPatient: input.perPatient,
      totalLimit: input.totalLimit,
      startsAt: input.startsAt ? new Date(input.startsAt) : null,
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      services: input.services as Prisma.InputJsonValue,
      description: input.description,
      updatedAt: now,
    },
  });
  const perPatient = await tx.promoRedemption.groupBy({ by: ["patientId"], where: { promoCodeId: found.id }, _count: { _all: true } });
  const most = perPatient.reduce((max, p) => Math.max(max, p._count._all), 0);
  return {
    before: viewOf(found, used),
    view: viewOf(row, used),
    notice: {
      totalBelowUses: input.totalLimit !== null && input.totalLimit < used ? { limit: input.totalLimit, used } : null,
      perPatientBelowUses: input.perPatient < most ? { limit: input.perPatient, most } : null,
    },
  };
}
