// The clinic's certificates as the console lists them: each with its ledger, oldest entry first.
import type { Tx } from "../../../db/client.ts";
import { normalizeCertificateCode } from "./codes.ts";
import { certificateView } from "./view.ts";
import type { CertificateView } from "./view.ts";

export type CertificateEntryKind = "issue" | "spend" | "gift" | "expiry";

export interface CertificateEntryView {
  kind: CertificateEntryKind;
  /** Kopecks, signed: + issue, − spend and expiry, 0 for a change of holder. */
  amount: number;
  at: Date;
  /** The patient the entry concerns: the buyer, the payer, the new holder, the holder at expiry. */
  patientId: number | null;
  visitExternalId: string | null;
}

export interface CertificateWithHistory extends CertificateView {
  issuedAt: Date;
  history: CertificateEntryView[];
}

type Reader = Pick<Tx, "giftCertificate" | "giftCertificateEntry">;

/** At most this many on the page: a clinic looks one up by its code or holder beyond that. */
export const CERTIFICATE_LIST_LIMIT = 200;

/**
 * The clinic's certificates, newest first, each with its history. `code` narrows to the one with
 * that code (typed as the desk reads it); `holderIds` to those these patients hold or bought.
 */
export async function certificatesWithHistory(
  db: Reader,
  clinicId: number,
  now: Date,
  filter: { code?: string; holderIds?: number[] } = {},
): Promise<CertificateWithHistory[]> {
  const where = {
    clinicId,
    ...(filter.code || filter.holderIds
      ? {
          OR: [
            ...(filter.code ? [{ code: normalizeCertificateCode(filter.code) }] : []),
            ...(filter.holderIds && filter.holderIds.length > 0 ? [{ ownerPatientId: { in: filter.holderIds } }, { buyerPatientId: { in: filter.holderIds } }] : []),
          ],
        }
      : {}),
  };
  if (Array.isArray(where.OR) && where.OR.length === 0) return [];
  const rows = await db.giftCertificate.findMany({ where, orderBy: { id: "desc" }, take: CERTIFICATE_LIST_LIMIT });
  if (rows.length === 0) return [];
  const entries = await db.giftCertificateEntry.findMany({ where: { clinicId, certificateId: { in: rows.map((r) => r.id) } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const byCertificate = new Map<number, CertificateEntryView[]>();
  for (const e of entries) {
    const list = byCertificate.get(e.certificateId) ?? [];
    list.push({ kind: e.kind as CertificateEntryKind, amount: e.amount, at: e.createdAt, patientId: e.patientId, visitExternalId: e.visitExternalId });
    byCertificate.set(e.certificateId, list);
  }
  return rows.map((r) => ({ ...certificateView(r, now), issuedAt: r.createdAt, history: byCertificate.get(r.id) ?? [] }));
}
