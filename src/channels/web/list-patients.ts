import type { CareBot } from "../../core.ts";
import type { Prisma } from "../../db/client.ts";

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
 * The clinic's patients by name, those whose name contains `q` (any case) when given.
 * PostgreSQL compares case-insensitively itself; SQLite folds only ASCII, so there the names are
 * matched here (Cyrillic names are the common case).
 */
export async function listPatients(carebot: CareBot, q = "", limit = PATIENT_LIST_LIMIT): Promise<PatientListItem[]> {
  const prisma = carebot.db.prisma;
  const clinicId = carebot.clinic.id;
  const needle = q.trim();
  let rows;
  if (!needle) {
    rows = await prisma.patient.findMany({ where: { clinicId }, select, orderBy, take: limit });
  } else if (carebot.db.provider === "postgresql") {
    // The client is typed against SQLite, whose filters have no `mode`; PostgreSQL's do.
    const fullName = { contains: needle, mode: "insensitive" } as unknown as Prisma.StringFilter<"Patient">;
    rows = await prisma.patient.findMany({ where: { clinicId, fullName }, select, orderBy, take: limit });
  } else {
    const folded = needle.toLocaleLowerCase("ru");
    const names = await prisma.patient.findMany({ where: { clinicId }, select: { id: true, fullName: true }, orderBy });
    const ids = names.filter((p) => p.fullName.toLocaleLowerCase("ru").includes(folded)).slice(0, limit).map((p) => p.id);
    rows = ids.length ? await prisma.patient.findMany({ where: { id: { in: ids } }, select, orderBy }) : [];
  }
  return rows.map((p) => ({ id: p.id, fullName: p.fullName, locale: p.locale, balance: p.bonusAccount?.balance ?? 0, optedOut: p.optedOutAt !== null }));
}
