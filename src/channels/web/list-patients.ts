import type { CareBot } from "../../core.ts";
import type { Prisma } from "../../db/client.ts";
import { searchPatients } from "../../domain/patients/search.ts";

export interface PatientListItem {
  id: number;
  fullName: string;
  locale: string | null;
  /** Bonus points. */
  balance: number;
  optedOut: boolean;
}

export const PATIENT_LIST_LIMIT = 50;

const select = { id: true, fullName: true, locale: true, optedOutAt: true, bonusAccount: { select: { balance: true } } } as const;
const orderBy: Prisma.PatientOrderByWithRelationInput[] = [{ fullName: "asc" }, { id: "asc" }];

/**
 * The clinic's patients by name, those the console's patient search finds for `q` when given
 * (a name in any case and with ё or е, or a phone in any spelling: src/domain/patients/search.ts).
 */
export async function listPatients(carebot: Pick<CareBot, "db" | "clinic">, q = "", limit = PATIENT_LIST_LIMIT): Promise<PatientListItem[]> {
  const prisma = carebot.db.prisma;
  const clinicId = carebot.clinic.id;
  let rows;
  if (!q.trim()) {
    rows = await prisma.patient.findMany({ where: { clinicId }, select, orderBy, take: limit });
  } else {
    const ids = (await searchPatients(prisma, clinicId, q, 1, limit)).rows.map((p) => p.id);
    rows = ids.length ? await prisma.patient.findMany({ where: { id: { in: ids }, clinicId }, select, orderBy }) : [];
  }
  return rows.map((p) => ({ id: p.id, fullName: p.fullName, locale: p.locale, balance: p.bonusAccount?.balance ?? 0, optedOut: p.optedOutAt !== null }));
}
