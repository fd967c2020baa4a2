import type { Db, Prisma } from "../../db/client.ts";
import { searchPatients } from "./search.ts";

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
 * The clinic's patients by name (the preview's and the texts page's patient pickers), those the
 * console's patient search finds for `q` when given (a name in any case and with ё or е, or a
 * phone in any spelling: search.ts).
 */
export async function listClinicPatients(prisma: Db, clinicId: number, q = "", limit = PATIENT_LIST_LIMIT): Promise<PatientListItem[]> {
  let rows;
  if (!q.trim()) {
    rows = await prisma.patient.findMany({ where: { clinicId }, select, orderBy, take: limit });
  } else {
    const ids = (await searchPatients(prisma, clinicId, q, 1, limit)).rows.map((p) => p.id);
    rows = ids.length ? await prisma.patient.findMany({ where: { id: { in: ids }, clinicId }, select, orderBy }) : [];
  }
  return rows.map((p) => ({ id: p.id, fullName: p.fullName, locale: p.locale, balance: p.bonusAccount?.balance ?? 0, optedOut: p.optedOutAt !== null }));
}
