// Finding a clinic's patient the way staff type: a name in any case and with ё or е, or a phone in
// any spelling ("8 916 555-01-01", "+7 (916) 555…", the last four digits).
import type { Db, Prisma } from "../../db/client.ts";
import { maskPhone } from "../../util/privacy.ts";

export const PATIENT_PAGE_SIZE = 25;

/** "Семёнова  АННА" → "семенова анна": how names are compared (Russian case rules, ё as е). */
export function foldName(text: string): string {
  return text.toLocaleLowerCase("ru").replace(/ё/g, "е").replace(/\s+/g, " ").trim();
}

export type PatientQuery = { kind: "all" } | { kind: "name"; words: string[] } | { kind: "phone"; digits: string };

/** What the search box holds: digits and phone punctuation only (three digits or more) is a phone. */
export function readPatientQuery(input: string): PatientQuery {
  const text = input.trim();
  if (!text) return { kind: "all" };
  const digits = text.replace(/\D/g, "");
  if (/^[\d\s()+\-.]+$/.test(text) && digits.length >= 3) return { kind: "phone", digits };
  const words = foldName(text).split(" ").filter(Boolean);
  return words.length ? { kind: "name", words } : { kind: "all" };
}

/**
 * Phones are stored in E.164 (+79165550101). The typed digits may be anywhere in it ("916555",
 * the last four) or start with the Russian trunk prefix 8 in place of the country code 7.
 */
function phoneFilter(digits: string) {
  const anywhere = { phone: { contains: digits } };
  return digits.startsWith("8") && digits.length > 1 ? { OR: [anywhere, { phone: { startsWith: `+7${digits.slice(1)}` } }] } : anywhere;
}

export interface PatientSearchRow {
  id: number;
  fullName: string;
  /** Masked ("+7916***0101"): enough to tell two patients apart at the desk, not to copy. */
  maskedPhone: string | null;
  lastVisitAt: Date | null;
  channels: { channel: "telegram" | "whatsapp" | "max"; reachable: boolean }[];
}

export interface PatientSearchPage {
  total: number;
  page: number;
  pages: number;
  rows: PatientSearchRow[];
}

const byName = [{ fullName: "asc" as const }, { id: "asc" as const }];

/**
 * One page of the clinic's patients matching `input`, by name. A name is matched here rather than
 * in SQL: neither SQLite (ASCII-only case folding) nor PostgreSQL (ё ≠ е) folds Russian names the
 * way people type them. Only ids and names are read for that, one short row per patient.
 * `scope` narrows the clinic's patients to those the asker may see (a branch's: patients-of.ts).
 */
export async function searchPatients(db: Db, clinicId: number, input: string, page = 1, pageSize = PATIENT_PAGE_SIZE, scope: Prisma.PatientWhereInput = {}): Promise<PatientSearchPage> {
  const query = readPatientQuery(input);
  let total: number;
  let ids: number[];
  const skip = (Math.max(1, page) - 1) * pageSize;
  if (query.kind === "name") {
    const names = await db.patient.findMany({ where: { clinicId, AND: [scope] }, select: { id: true, fullName: true }, orderBy: byName });
    const matching = names.filter((p) => {
      const name = foldName(p.fullName);
      return query.words.every((word) => name.includes(word));
    });
    total = matching.length;
    ids = matching.slice(skip, skip + pageSize).map((p) => p.id);
  } else {
    const where = { clinicId, AND: query.kind === "phone" ? [scope, phoneFilter(query.digits)] : [scope] };
    total = await db.patient.count({ where });
    ids = (await db.patient.findMany({ where, select: { id: true }, orderBy: byName, skip, take: pageSize })).map((p) => p.id);
  }
  const rows = ids.length
    ? await db.patient.findMany({
        where: { id: { in: ids }, clinicId },
        orderBy: byName,
        select: {
          id: true,
          fullName: true,
          phone: true,
          lastCompletedVisitAt: true,
          identities: { where: { channel: { not: "web" } }, select: { channel: true, unreachableAt: true }, orderBy: { id: "asc" } },
        },
      })
    : [];
  return {
    total,
    page: Math.max(1, page),
    pages: Math.max(1, Math.ceil(total / pageSize)),
    rows: rows.map((p) => ({
      id: p.id,
      fullName: p.fullName,
      maskedPhone: p.phone ? maskPhone(p.phone) : null,
      lastVisitAt: p.lastCompletedVisitAt,
      channels: p.identities.map((i) => ({ channel: i.channel as "telegram" | "whatsapp" | "max", reachable: i.unreachableAt === null })),
    })),
  };
}
